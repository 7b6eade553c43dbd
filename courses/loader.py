"""
Reads courses from Markdown files with YAML front matter, so content can move between a staging
and a production site and live in the repository (courses/content/); courses/exporter.py writes
them in the same layout.

Layout of one course folder:
    course.md                 slug, title, summary, [published]; the body is the description
    [glossary.md]             terms: [{slug, term, forms, definition}]; the body introduces them
    NN-module/module.md       slug, title, summary, [published]
    NN-module/NN-lesson.md    slug, title, circle_place, circle_needs, principle, minutes,
                              summary, key_points, practice, reflection_prompt, age_examples
                              ({baby, toddler, school_age}), questions, [published],
                              [archived]; the body is the lesson text
Order comes from the NN- prefixes. `published` and `archived` are only written when they differ
from the default. A glossary.md holds the whole glossary: terms it no longer lists are removed
(nothing of a parent's hangs from them); a course folder without one leaves the glossary as it is.
Other apps' files beside them (outcomes' checkin.md and NN-module/guide.md)
are read and written by the content parts those apps register (CONTENT_PARTS below).

Loading creates or updates by slug and never deletes a course, module or lesson: one that
disappears from the files stays in the database (unpublish or archive it in the admin), so no
parent loses progress or reflections. Questions and choices are matched by position and updated
in place. Every load reports, item by item, what it created or changed; a dry run does all the
work inside a transaction and rolls it back, so its report is exactly what a real load would do.
"""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import frontmatter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from accounts.models import ChildAge
from courses.glossary import GlossaryTerm, glossary_terms_parse
from courses.lesson_fields import AGE_EXAMPLE_FIELDS, circle_needs_problem, reserved_slug_problem
from courses.loader_translations import (
    load_course_translations,
    load_glossary_translations,
    load_lesson_translations,
    load_module_translations,
)
from courses.models import Choice, CirclePlace, Course, Lesson, Module, Principle, Question

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MAX_ZIP_BYTES = 20 * 1024 * 1024  # unpacked; a course is a few hundred kilobytes

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# What the admin's import page calls them, in the admin's language.
KIND_LABELS = {
    "course": pgettext_lazy("imported item", "course"),
    "module": pgettext_lazy("imported item", "module"),
    "lesson": pgettext_lazy("imported item", "lesson"),
    "glossary": pgettext_lazy("imported item", "glossary"),
}
STATUS_LABELS = {
    CREATED: pgettext_lazy("imported item", "created"),
    UPDATED: pgettext_lazy("imported item", "updated"),
    UNCHANGED: pgettext_lazy("imported item", "unchanged"),
}
# Kept with each lesson version in the site's language; the versions page shows it translated.
NOTE_IMPORTED = gettext_noop("Imported from files")

# Other apps' content that lives beside a course's lessons (outcomes' check-in and session
# guides): each part, registered from its AppConfig.ready() so this module never imports it,
# names the files it owns (`file_names`, never read as lessons), loads them after the course
# (`load(course=, path=, report=, module_folders={folder Path: Module})`) and writes them back
# (`files(course=, module_folders={module pk: folder name})`, yielding (path, text) pairs).
CONTENT_PARTS = []


def register_content_part(part):
    """
    Another app's files beside the lessons: `part` has `file_names`, `load(...)`, `export(...)`
    and `kind_labels` ({kind: translatable label} for the kinds it adds to a LoadReport).
    """
    if part not in CONTENT_PARTS:
        CONTENT_PARTS.append(part)
        KIND_LABELS.update(part.kind_labels)


def _not_lessons():
    return {"module.md"}.union(*(part.file_names for part in CONTENT_PARTS))


@dataclass
class ReportItem:
    kind: str  # "course", "module", "lesson" or "glossary" (a key of KIND_LABELS)
    slug: str
    status: str  # CREATED, UPDATED or UNCHANGED
    fields: list = field(default_factory=list)  # for UPDATED: what changes, in plain words

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def __str__(self):
        text = f"{self.kind} {self.slug}: {self.status}"
        return f"{text} ({', '.join(self.fields)})" if self.fields else text


@dataclass
class LoadReport:
    items: list = field(default_factory=list)
    dry_run: bool = False

    def add(self, kind, slug, created, changed_fields):
        status = CREATED if created else UPDATED if changed_fields else UNCHANGED
        self.items.append(ReportItem(kind, slug, status, [] if created else changed_fields))

    def _labels(self, status):
        return [f"{item.kind} {item.slug}" for item in self.items if item.status == status]

    @property
    def created(self):
        return self._labels(CREATED)

    @property
    def updated(self):
        return self._labels(UPDATED)

    @property
    def unchanged(self):
        return self._labels(UNCHANGED)

    @property
    def has_changes(self):
        return any(item.status != UNCHANGED for item in self.items)

    def __str__(self):
        return gettext("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


# Reading --------------------------------------------------------------------------------------


def _read(path):
    try:
        post = frontmatter.load(path)
    except Exception as error:
        raise ValidationError(
            gettext("%(file)s: cannot read the front matter (%(error)s)")
            % {"file": path.name, "error": error}
        ) from error
    return post.metadata, post.content.strip()


def _require(meta, path, *keys):
    missing = [key for key in keys if meta.get(key) in (None, "")]
    if missing:
        raise ValidationError(
            gettext("%(file)s: missing %(keys)s") % {"file": path, "keys": ", ".join(missing)}
        )


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _upsert(model, obj, lookup, values, save_kwargs=None):
    """Create or update one row; returns (object, created, [labels of changed fields])."""
    save_kwargs = save_kwargs or {}
    if obj is None:
        obj = model(**lookup, **values)
        obj.save(**save_kwargs)
        return obj, True, []
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(**save_kwargs)
    return obj, False, [_label(model, name) for name in changed]


def _lesson_values(meta, body, path, module, position, existing):
    _require(meta, path, "slug", "title", "circle_place")
    if problem := reserved_slug_problem(str(meta["slug"])):
        raise ValidationError(f"{path}: {problem}")
    if meta["circle_place"] not in CirclePlace.values:
        raise ValidationError(
            gettext("%(file)s: circle_place must be one of %(values)s")
            % {"file": path, "values": CirclePlace.values}
        )
    principle = meta.get("principle") or ""
    if principle and principle not in Principle.values:
        raise ValidationError(
            gettext("%(file)s: principle must be empty or one of %(values)s")
            % {"file": path, "values": Principle.values}
        )
    try:
        minutes = int(meta.get("minutes", 10))
    except (TypeError, ValueError):
        raise ValidationError(
            gettext("%(file)s: minutes must be a whole number") % {"file": path}
        ) from None
    needs = meta.get("circle_needs")
    needs = [] if needs is None else needs
    problem = circle_needs_problem(needs, meta["circle_place"])
    if problem:
        raise ValidationError(
            gettext("%(file)s: circle_needs: %(problem)s") % {"file": path, "problem": problem}
        )
    examples = _age_examples(meta.get("age_examples"), path)
    archived_at = None
    if meta.get("archived"):
        # Keep the original archive date when the lesson was archived already.
        archived_at = existing.archived_at if existing and existing.archived_at else timezone.now()
    return {
        "module_id": module.pk,
        "title": str(meta["title"]),
        "summary": str(meta.get("summary") or ""),
        "circle_place": meta["circle_place"],
        "circle_needs": needs,
        "principle": principle,
        "minutes": minutes,
        "body": body,
        "key_points": "\n".join(
            str(point).strip() for point in meta.get("key_points") or [] if str(point).strip()
        ),
        "practice": str(meta.get("practice") or "").strip(),
        "reflection_prompt": str(meta.get("reflection_prompt") or "").strip(),
        **examples,
        "position": position,
        "is_published": bool(meta.get("published", True)),
        "archived_at": archived_at,
    }


def _age_examples(examples, path):
    """{field name: text} from a lesson's `age_examples` mapping; a missing age is empty."""
    if examples is None:
        examples = {}
    if not isinstance(examples, dict):
        raise ValidationError(
            gettext("%(file)s: age_examples must map %(ages)s to a short example each.")
            % {"file": path, "ages": ", ".join(ChildAge.values)}
        )
    unknown = [str(age) for age in examples if age not in AGE_EXAMPLE_FIELDS]
    if unknown:
        raise ValidationError(
            gettext("%(file)s: age_examples has an unknown age '%(age)s'; the ages are %(ages)s.")
            % {"file": path, "age": unknown[0], "ages": ", ".join(ChildAge.values)}
        )
    values = {}
    for age, name in AGE_EXAMPLE_FIELDS.items():
        text = examples.get(age.value)
        if text is not None and not isinstance(text, str):
            raise ValidationError(
                gettext("%(file)s: age_examples: the example for '%(age)s' must be text.")
                % {"file": path, "age": age.value}
            )
        values[name] = (text or "").strip()
    return values


def _read_glossary(path):
    """
    The course's glossary.md as (introduction, [term values in order]), or None without one.
    Every term is checked (courses/glossary.py), so a mistake names the file and the term.
    """
    file = path / "glossary.md"
    if not file.is_file():
        return None
    meta, body = _read(file)
    try:
        return body, glossary_terms_parse(meta.get("terms"))
    except ValidationError as error:
        raise ValidationError(f"glossary.md: {error.messages[0]}") from None


def _translation_labels(languages):
    return [gettext("translation (%(language)s)") % {"language": code} for code in languages]


def _load_glossary(course, terms, report, file):
    """Make the course's glossary exactly `terms`, reporting what changes as one item."""
    existing = {term.slug: term for term in course.glossary_terms.all()}
    created = not existing and bool(terms)
    changes = []
    for position, values in enumerate(terms, start=1):
        values = {**values, "position": position}
        slug = values.pop("slug")
        _term, new, changed = _upsert(
            GlossaryTerm, existing.pop(slug, None), {"course": course, "slug": slug}, values
        )
        if new:
            changes.append(gettext("new term %(slug)s") % {"slug": slug})
        elif changed:
            changes.append(f"{slug}: {', '.join(changed)}")
    for slug, term in existing.items():
        term.delete()
        changes.append(gettext("removed term %(slug)s") % {"slug": slug})
    if languages := load_glossary_translations(course, file):
        changes.extend(_translation_labels(languages))
    report.add("glossary", course.slug, created, changes)


def _load_questions(lesson, questions, path):
    changed = False
    existing = list(lesson.questions.all())
    for position, item in enumerate(questions, start=1):
        if not isinstance(item, dict) or not item.get("text"):
            raise ValidationError(
                gettext("%(file)s: question %(number)d needs a text")
                % {"file": path, "number": position}
            )
        choices = item.get("choices") or []
        if not 2 <= len(choices) <= Question.MAX_CHOICES:
            raise ValidationError(
                gettext("%(file)s: question %(number)d needs 2 to %(most)d choices")
                % {"file": path, "number": position, "most": Question.MAX_CHOICES}
            )
        if sum(bool(choice.get("correct")) for choice in choices) != 1:
            raise ValidationError(
                gettext("%(file)s: question %(number)d needs exactly one correct choice")
                % {"file": path, "number": position}
            )
        values = {"text": str(item["text"]), "position": position}
        if position <= len(existing):
            question = existing[position - 1]
            if any(getattr(question, name) != value for name, value in values.items()):
                Question.objects.filter(pk=question.pk).update(**values)
                changed = True
        else:
            question = Question.objects.create(lesson=lesson, **values)
            changed = True
        changed |= _load_choices(question, choices, f"{path}: question {position}")
    for position, question in enumerate(existing[len(questions) :], start=len(questions) + 1):
        _delete_unanswered(question, f"{path}: question {position}")
        changed = True
    return changed


def _delete_unanswered(obj, where):
    """Remove a question or choice, unless parents have answered it: their answers are kept."""
    try:
        obj.delete()
    except ProtectedError:
        raise ValidationError(
            gettext(
                "%(where)s has parents' answers, so it cannot be removed. Keep it in the file, "
                "or move the lesson's questions into a new lesson and unpublish this one."
            )
            % {"where": where}
        ) from None


def _load_choices(question, choices, where):
    changed = False
    existing = list(question.choices.all())
    for position, item in enumerate(choices, start=1):
        values = {
            "text": str(item["text"]),
            "is_correct": bool(item.get("correct")),
            "feedback": str(item.get("feedback") or ""),
            "position": position,
        }
        if position <= len(existing):
            choice = existing[position - 1]
            if any(getattr(choice, name) != value for name, value in values.items()):
                Choice.objects.filter(pk=choice.pk).update(**values)
                changed = True
        else:
            Choice.objects.create(question=question, **values)
            changed = True
    for position, choice in enumerate(existing[len(choices) :], start=len(choices) + 1):
        _delete_unanswered(choice, f"{where}, choice {position}")
        changed = True
    return changed


def _load_course(path, report, user):
    meta, body = _read(path / "course.md")
    _require(meta, "course.md", "slug", "title")
    glossary = _read_glossary(path)
    values = {
        "title": str(meta["title"]),
        "summary": str(meta.get("summary") or ""),
        "description": body,
        "is_published": bool(meta.get("published", True)),
    }
    if glossary is not None:
        values["glossary_intro"] = glossary[0]
    course, created, changed = _upsert(
        Course, Course.objects.filter(slug=meta["slug"]).first(), {"slug": meta["slug"]}, values
    )
    if languages := load_course_translations(course, path / "course.md"):
        changed = changed if created else [*changed, *_translation_labels(languages)]
    report.add("course", course.slug, created, changed)
    if glossary is not None:
        _load_glossary(course, glossary[1], report, path / "glossary.md")
    lesson_save = {"edited_by": user, "version_note": NOTE_IMPORTED}
    module_dirs = sorted(p for p in path.iterdir() if (p / "module.md").is_file())
    module_folders = {}
    for module_position, module_dir in enumerate(module_dirs, start=1):
        where = f"{module_dir.name}/module.md"
        meta, _ = _read(module_dir / "module.md")
        _require(meta, where, "slug", "title")
        module, created, changed = _upsert(
            Module,
            Module.objects.filter(course=course, slug=meta["slug"]).first(),
            {"course": course, "slug": meta["slug"]},
            {
                "title": str(meta["title"]),
                "summary": str(meta.get("summary") or ""),
                "position": module_position,
                "is_published": bool(meta.get("published", True)),
            },
        )
        if languages := load_module_translations(module, module_dir / "module.md", module_dir.name):
            changed = changed if created else [*changed, *_translation_labels(languages)]
        report.add("module", module.slug, created, changed)
        module_folders[module_dir] = module
        # NAME.<language>.md files beside a lesson are its translations, not lessons.
        lesson_files = sorted(
            p
            for p in module_dir.glob("*.md")
            if p.name not in _not_lessons() and p.name.count(".") == 1
        )
        for lesson_position, lesson_file in enumerate(lesson_files, start=1):
            where = f"{module_dir.name}/{lesson_file.name}"
            meta, body = _read(lesson_file)
            _require(meta, where, "slug")
            existing = Lesson.objects.filter(slug=meta["slug"]).first()
            values = _lesson_values(meta, body, where, module, lesson_position, existing)
            lesson, created, changed = _upsert(
                Lesson, existing, {"slug": meta["slug"]}, values, lesson_save
            )
            if _load_questions(lesson, meta.get("questions") or [], where) and not created:
                changed.append("questions")
            languages = load_lesson_translations(
                lesson, lesson_file, module_dir.name, user=user, note=NOTE_IMPORTED
            )
            if languages and not created:
                changed.extend(_translation_labels(languages))
            report.add("lesson", lesson.slug, created, changed)
    for part in CONTENT_PARTS:
        part.load(course=course, path=path, report=report, module_folders=module_folders)


@transaction.atomic
def course_load(*, path, dry_run=False, user=None):
    """
    Load one course folder; returns a LoadReport. With dry_run, nothing is kept. `user` is
    recorded as the author of any new lesson versions.
    """
    path = Path(path)
    if not (path / "course.md").is_file():
        raise ValidationError(
            gettext("%(folder)s: there is no course.md in this folder.")
            % {"folder": path.name or path}
        )
    report = LoadReport(dry_run=dry_run)
    _load_course(path, report, user)
    if dry_run:
        transaction.set_rollback(True)
    return report


def course_folders(root):
    """The course folders at root: root itself if it holds a course.md, else its subfolders."""
    root = Path(root)
    if (root / "course.md").is_file():
        return [root]
    if not root.is_dir():
        raise ValidationError(gettext("%(folder)s is not a folder.") % {"folder": root})
    return sorted(p for p in root.iterdir() if (p / "course.md").is_file())


@transaction.atomic
def courses_load(*, folders, dry_run=False, user=None):
    """Load several course folders, all or nothing; returns {folder name: LoadReport}."""
    reports = {
        folder.name: course_load(path=folder, dry_run=dry_run, user=user) for folder in folders
    }
    if dry_run:
        transaction.set_rollback(True)
    return reports


def content_load(*, root=CONTENT_DIR, dry_run=False, user=None):
    """Load every course folder under root (or root itself if it is one)."""
    return courses_load(folders=course_folders(root), dry_run=dry_run, user=user)


def course_zip_extract(*, data, into):
    """
    Unpack an uploaded zip of course folders into the folder `into`, safely: only .md files,
    no paths outside `into`, a cap on the unpacked size. Returns the course folders found.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(gettext("That file is not a zip file.")) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > MAX_ZIP_BYTES:
            raise ValidationError(gettext("That zip file is too big to be a course."))
        for info in members:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise ValidationError(
                    gettext("The zip file has an unsafe path: %(path)s") % {"path": info.filename}
                )
            if name.suffix != ".md" or name.parts[0] == "__MACOSX":
                continue  # stray files (.DS_Store and the like) are not content
            target = Path(into).joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
    root = Path(into)
    folders = course_folders(root) or [
        folder
        for child in sorted(root.iterdir())
        if child.is_dir()
        for folder in course_folders(child)
    ]
    if not folders:
        raise ValidationError(gettext("The zip file holds no course (no course.md inside)."))
    return folders
