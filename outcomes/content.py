"""
The check-in and the session guides as files beside a course's lessons, loaded and exported
with the course (registered with courses/loader.py as a content part):

    checkin.md          title, about, scale (labels, lowest first), follow_up_weeks,
                        [published], themes: [{key, title, statements: [{key, text,
                        [reverse]}]}]; the body is the introduction parents read
    NN-module/guide.md  agenda (list), discussion_questions (list), pause_and_reflect;
                        the body is notes for the facilitator

Themes and statements are matched by key: a statement dropped from the file is removed (the
answers keep the version they answered, so nothing a parent gave is lost), and whenever the
statements change a new CheckinVersion is recorded. A file with a mistake is refused with its
name, and with the loader's transaction nothing is half-loaded.
"""

import frontmatter
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from outcomes.checkins import checkin_record_version
from outcomes.models import Checkin, CheckinStatement, CheckinTheme, SessionGuide

CHECKIN_FILE = "checkin.md"
GUIDE_FILE = "guide.md"


def _read(path, where):
    try:
        post = frontmatter.load(path)
    except Exception as error:
        raise ValidationError(f"{where}: cannot read the front matter ({error})") from error
    return post.metadata, post.content.strip()


def _lines(value, where, name):
    if not isinstance(value, list) or not all(str(item).strip() for item in value):
        raise ValidationError(f"{where}: {name} must be a list of lines")
    return "\n".join(str(item).strip() for item in value)


def _key(value, where, what):
    key = str(value or "").strip()
    if not key or slugify(key) != key:
        raise ValidationError(f"{where}: {what} needs a key of lowercase letters, digits and -")
    return key


def _checkin_values(meta, body, where):
    for name in ("title", "about", "scale", "themes"):
        if not meta.get(name):
            raise ValidationError(f"{where}: missing {name}")
    scale = meta["scale"]
    if not isinstance(scale, list) or not 2 <= len(scale) <= 11:
        raise ValidationError(f"{where}: scale must list 2 to 11 labels, lowest first")
    try:
        weeks = int(meta.get("follow_up_weeks", 8))
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: follow_up_weeks must be a whole number") from None
    if weeks < 0:
        raise ValidationError(f"{where}: follow_up_weeks cannot be negative")
    return {
        "title": str(meta["title"]),
        "about": str(meta["about"]).strip(),
        "intro": body,
        "scale": [str(label).strip() for label in scale],
        "follow_up_weeks": weeks,
        "is_published": bool(meta.get("published", True)),
    }


def _themes(meta, where):
    """[(theme values, [statement values])] from the file, checked."""
    themes, theme_keys, statement_keys = [], set(), set()
    if not isinstance(meta["themes"], list):
        raise ValidationError(f"{where}: themes must be a list")
    for number, theme in enumerate(meta["themes"], start=1):
        if not isinstance(theme, dict) or not theme.get("title"):
            raise ValidationError(f"{where}: theme {number} needs a title")
        key = _key(theme.get("key"), where, f"theme {number}")
        if key in theme_keys:
            raise ValidationError(f"{where}: two themes have the key {key}")
        theme_keys.add(key)
        statements = theme.get("statements") or []
        if not isinstance(statements, list) or not statements:
            raise ValidationError(f"{where}: theme {key} needs statements")
        items = []
        for item in statements:
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                raise ValidationError(f"{where}: every statement of theme {key} needs a text")
            item_key = _key(item.get("key"), where, f"a statement of theme {key}")
            if item_key in statement_keys:
                raise ValidationError(f"{where}: two statements have the key {item_key}")
            statement_keys.add(item_key)
            items.append(
                {
                    "key": item_key,
                    "text": str(item["text"]).strip(),
                    "reverse": bool(item.get("reverse", False)),
                }
            )
        themes.append(({"key": key, "title": str(theme["title"]).strip()}, items))
    return themes


def _changed(obj, values):
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _load_checkin(*, course, path, report):
    where = f"{course.slug}/{CHECKIN_FILE}"
    meta, body = _read(path / CHECKIN_FILE, where)
    values = _checkin_values(meta, body, where)
    themes = _themes(meta, where)
    checkin = Checkin.objects.filter(course=course).first()
    created = checkin is None
    if created:
        checkin = Checkin(course=course)
    changed = _changed(checkin, values)
    if changed:
        checkin.save()
    existing_themes = {theme.key: theme for theme in checkin.themes.all()}
    existing_statements = {statement.key: statement for statement in checkin.statements.all()}
    statement_position = 0
    kept_statements = set()
    for theme_position, (theme_values, items) in enumerate(themes, start=1):
        theme = existing_themes.pop(theme_values["key"], None) or CheckinTheme(
            checkin=checkin, key=theme_values["key"]
        )
        if _changed(theme, {"title": theme_values["title"], "position": theme_position}) or (
            theme.pk is None
        ):
            theme.save()
        for item in items:
            statement_position += 1
            kept_statements.add(item["key"])
            statement = existing_statements.get(item["key"]) or CheckinStatement(
                checkin=checkin, key=item["key"]
            )
            fields = {
                "theme_id": theme.pk,
                "text": item["text"],
                "reverse": item["reverse"],
                "position": statement_position,
            }
            if _changed(statement, fields) or statement.pk is None:
                statement.save()
    CheckinStatement.objects.filter(checkin=checkin).exclude(key__in=kept_statements).delete()
    for theme in existing_themes.values():
        theme.delete()
    _, new_version = checkin_record_version(checkin=checkin)
    if new_version and not created:
        changed.append("statements")
    report.add("check-in", course.slug, created, [str(name) for name in changed])


def _load_guide(*, module, path, report):
    where = f"{path.parent.name}/{GUIDE_FILE}"
    meta, body = _read(path, where)
    for name in ("agenda", "discussion_questions", "pause_and_reflect"):
        if not meta.get(name):
            raise ValidationError(f"{where}: missing {name}")
    values = {
        "agenda": _lines(meta["agenda"], where, "agenda"),
        "questions": _lines(meta["discussion_questions"], where, "discussion_questions"),
        "pause": str(meta["pause_and_reflect"]).strip(),
        "notes": body,
    }
    guide = SessionGuide.objects.filter(module=module).first()
    created = guide is None
    guide = guide or SessionGuide(module=module)
    changed = _changed(guide, values)
    if changed:
        guide.save()
    report.add("session guide", module.slug, created, [] if created else changed)


class OutcomesContent:
    """The content part courses/loader.py calls (see its CONTENT_PARTS)."""

    file_names = frozenset({CHECKIN_FILE, GUIDE_FILE})
    kind_labels = {
        "check-in": pgettext_lazy("imported item", "check-in"),
        "session guide": pgettext_lazy("imported item", "session guide"),
    }

    def load(self, *, course, path, report, module_folders):
        if (path / CHECKIN_FILE).is_file():
            _load_checkin(course=course, path=path, report=report)
        for folder, module in module_folders.items():
            if (folder / GUIDE_FILE).is_file():
                _load_guide(module=module, path=folder / GUIDE_FILE, report=report)

    def files(self, *, course, module_folders):
        from courses.loader import document

        checkin = Checkin.objects.filter(course=course).first()
        if checkin is not None:
            yield CHECKIN_FILE, document(checkin_meta(checkin), checkin.intro)
        guides = SessionGuide.objects.filter(module_id__in=module_folders)
        for guide in sorted(guides, key=lambda guide: module_folders[guide.module_id]):
            meta = {
                "agenda": guide.agenda_list,
                "discussion_questions": guide.question_list,
                "pause_and_reflect": guide.pause,
            }
            yield f"{module_folders[guide.module_id]}/{GUIDE_FILE}", document(meta, guide.notes)


def checkin_meta(checkin):
    themes = []
    statements = list(checkin.statements.order_by("position", "id"))
    for theme in checkin.themes.order_by("position", "id"):
        items = []
        for statement in statements:
            if statement.theme_id == theme.pk:
                item = {"key": statement.key, "text": statement.text}
                if statement.reverse:
                    item["reverse"] = True
                items.append(item)
        themes.append({"key": theme.key, "title": theme.title, "statements": items})
    meta = {
        "title": checkin.title,
        "about": checkin.about,
        "follow_up_weeks": checkin.follow_up_weeks,
        "scale": list(checkin.scale),
        "themes": themes,
    }
    if not checkin.is_published:
        meta["published"] = False
    return meta


CONTENT_PART = OutcomesContent()
