"""
The check-in and the session guides as files beside a course's lessons, loaded and exported
with the course (registered with courses/loader.py as a content part):

    checkin.md          title, about, scale (labels, lowest first), follow_up_weeks,
                        [published], themes: [{key, title, statements: [{key, text,
                        [reverse]}]}]; the body is the introduction parents read
    NN-module/guide.md  agenda (list), discussion_questions (list), pause_and_reflect;
                        the body is notes for the facilitator

Translations (checkin.<language>.md, NN-module/guide.<language>.md; courses/translation_files.py)
repeat only the texts: themes and statements by key and position, the scale label by label;
`reverse`, `follow_up_weeks` and `published` come from the English only.

Themes and statements are matched by key: a statement dropped from the file is removed (the
answers keep the version they answered, so nothing a parent gave is lost), and whenever the
statements change a new CheckinVersion is recorded. A file with a mistake is refused with its
name, and with the loader's transaction nothing is half-loaded.
"""

import frontmatter
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from courses.loader_translations import translated_files
from courses.translation_files import TranslationFile, translation_files
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
    if _load_checkin_translations(checkin, path / CHECKIN_FILE, course.slug) and not created:
        changed.append("translations")
    report.add("check-in", course.slug, created, [str(name) for name in changed])


CHECKIN_TEXT = {
    "title": None,
    "about": None,
    "scale": None,
    "themes": {"key": None, "title": None, "statements": {"key": None, "text": None}},
}
GUIDE_TEXT = {"agenda": None, "discussion_questions": None, "pause_and_reflect": None}


def checkin_english(checkin, themes, statements):
    return [
        [checkin.title, checkin.about, checkin.intro, list(checkin.scale)],
        [[theme.key, theme.title] for theme in themes],
        [[statement.key, statement.text] for statement in statements],
    ]


def _checkin_rows(checkin):
    themes = list(checkin.themes.order_by("position", "id"))
    statements = list(checkin.statements.order_by("position", "id"))
    return themes, statements


def _translated_themes(file, themes, statements):
    """{theme key: [English, title]}, {statement key: [English, text]}, checked."""
    items = file.items("themes", len(themes), "themes")
    titles, texts = {}, {}
    for theme, item in zip(themes, items, strict=True):
        if item.get("key") != theme.key or not str(item.get("title") or "").strip():
            raise ValidationError(
                f"{file.where}: theme {theme.key} needs its key and a title, in the English order"
            )
        titles[theme.key] = [theme.title, str(item["title"]).strip()]
        own = [statement for statement in statements if statement.theme_id == theme.pk]
        translated = item.get("statements") or []
        if not isinstance(translated, list) or len(translated) != len(own):
            found = len(translated) if isinstance(translated, list) else 0
            raise ValidationError(
                f"{file.where}: theme {theme.key} has {found} statements; the English has "
                f"{len(own)}"
            )
        for statement, entry in zip(own, translated, strict=True):
            if not isinstance(entry, dict) or entry.get("key") != statement.key:
                raise ValidationError(
                    f"{file.where}: theme {theme.key}: the statement {statement.key} is not in "
                    "the English order"
                )
            if not str(entry.get("text") or "").strip():
                raise ValidationError(f"{file.where}: the statement {statement.key} needs a text")
            texts[statement.key] = [statement.text, str(entry["text"]).strip()]
    return titles, texts


def _load_checkin_translations(checkin, english_file, slug):
    """Load checkin.<language>.md files; returns whether any translation changed."""
    themes, statements = _checkin_rows(checkin)
    changed = False
    for language, path in translation_files(english_file):
        file = TranslationFile(
            english=english_file, path=path, where=f"{slug}/{path.name}", allowed=CHECKIN_TEXT
        )
        scale = file.lines("scale", len(checkin.scale))
        if not scale:
            raise ValidationError(f"{file.where}: missing scale")
        titles, texts = _translated_themes(file, themes, statements)
        values = {
            "title": file.text("title", required=True),
            "about": file.text("about", required=True),
            "intro": file.body,
            "scale": [list(pair) for pair in zip(checkin.scale, scale, strict=True)],
            "themes": titles,
            "statements": texts,
        }
        before = checkin.translation(language)
        checkin.set_translation(
            language, values, **file.source(checkin_english(checkin, themes, statements))
        )
        if checkin.translation(language) != before:
            checkin.save(update_fields=["translations"])
            changed = True
    return changed


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
    if _load_guide_translations(guide, path) and not created:
        changed.append("translations")
    report.add("session guide", module.slug, created, [] if created else changed)


def guide_english(guide):
    return [guide.agenda, guide.questions, guide.pause, guide.notes]


def _load_guide_translations(guide, english_file):
    changed = False
    for language, path in translation_files(english_file):
        file = TranslationFile(
            english=english_file,
            path=path,
            where=f"{path.parent.name}/{path.name}",
            allowed=GUIDE_TEXT,
        )
        values = {
            "agenda": "\n".join(file.lines("agenda") or []),
            "questions": "\n".join(file.lines("discussion_questions") or []),
            "pause": file.text("pause_and_reflect"),
            "notes": file.body,
        }
        before = guide.translation(language)
        guide.set_translation(language, values, **file.source(guide_english(guide)))
        if guide.translation(language) != before:
            guide.save(update_fields=["translations"])
            changed = True
    return changed


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
        from courses.exporter import document

        checkin = Checkin.objects.filter(course=course).first()
        if checkin is not None:
            text = document(checkin_meta(checkin), checkin.intro)
            yield CHECKIN_FILE, text
            themes, statements = _checkin_rows(checkin)
            yield from _written(
                CHECKIN_FILE,
                text,
                checkin,
                checkin_english(checkin, themes, statements),
                lambda language, values: _checkin_translation(
                    checkin, themes, statements, language, values
                ),
            )
        guides = SessionGuide.objects.filter(module_id__in=module_folders)
        for guide in sorted(guides, key=lambda guide: module_folders[guide.module_id]):
            meta = {
                "agenda": guide._lines(guide.agenda),
                "discussion_questions": guide._lines(guide.questions),
                "pause_and_reflect": guide.pause,
            }
            name = f"{module_folders[guide.module_id]}/{GUIDE_FILE}"
            text = document(meta, guide.notes)
            yield name, text
            yield from _written(name, text, guide, guide_english(guide), _guide_translation)


def _written(relative, text, obj, english_values, write):
    from courses.exporter import document

    for path, (meta, body) in translated_files(relative, text, obj, english_values, write):
        yield path, document(meta, body)


def _guide_translation(language, values):
    if not values.get("agenda"):
        return None
    meta = {
        "agenda": SessionGuide._lines(values["agenda"]),
        "discussion_questions": SessionGuide._lines(values.get("questions", "")),
        "pause_and_reflect": values.get("pause", ""),
    }
    return meta, values.get("notes", "")


def _checkin_translation(checkin, themes, statements, language, values):
    if not values.get("title"):
        return None

    def text(found, key, english):
        pair = found.get(key)
        return pair[1] if pair else english

    scale = dict(values.get("scale") or [])
    meta = {
        "title": values["title"],
        "about": values.get("about", ""),
        "scale": [scale.get(label, label) for label in checkin.scale],
        "themes": [
            {
                "key": theme.key,
                "title": text(values.get("themes", {}), theme.key, theme.title),
                "statements": [
                    {
                        "key": statement.key,
                        "text": text(values.get("statements", {}), statement.key, statement.text),
                    }
                    for statement in statements
                    if statement.theme_id == theme.pk
                ],
            }
            for theme in themes
        ],
    }
    return meta, values.get("intro", "")


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
