"""
Loads courses from Markdown files with YAML front matter (see courses/content/README.md).

Creates or updates by slug and never deletes: a lesson that disappears from the files stays in
the database (unpublish it in the admin), so no parent loses progress. Questions and choices are
matched by position and replaced in place.
"""

from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from courses.models import Choice, CirclePlace, Course, Lesson, Module, Principle, Question

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def add(self, label, created, changed):
        if created:
            self.created.append(label)
        elif changed:
            self.updated.append(label)
        else:
            self.unchanged.append(label)

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def _read(path):
    try:
        post = frontmatter.load(path)
    except Exception as error:
        raise ValidationError(f"{path}: cannot read front matter ({error})") from error
    return post.metadata, post.content.strip()


def _require(meta, path, *keys):
    missing = [key for key in keys if meta.get(key) in (None, "")]
    if missing:
        raise ValidationError(f"{path}: missing {', '.join(missing)}")


def _upsert(model, lookup, values):
    """Create or update one row; returns (object, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, False, bool(changed)


def _lesson_values(meta, body, path, module, position):
    _require(meta, path, "slug", "title", "circle_place")
    if meta["circle_place"] not in CirclePlace.values:
        raise ValidationError(f"{path}: circle_place must be one of {CirclePlace.values}")
    principle = meta.get("principle") or ""
    if principle and principle not in Principle.values:
        raise ValidationError(f"{path}: principle must be empty or one of {Principle.values}")
    return {
        "module": module,
        "title": meta["title"],
        "summary": meta.get("summary", ""),
        "circle_place": meta["circle_place"],
        "principle": principle,
        "minutes": int(meta.get("minutes", 10)),
        "body": body,
        "key_points": "\n".join(str(point).strip() for point in meta.get("key_points", [])),
        "practice": str(meta.get("practice", "")).strip(),
        "reflection_prompt": str(meta.get("reflection_prompt", "")).strip(),
        "position": position,
        "is_published": bool(meta.get("published", True)),
    }


def _load_questions(lesson, questions, path):
    changed = False
    existing = list(lesson.questions.all())
    for position, item in enumerate(questions, start=1):
        choices = item.get("choices") or []
        if sum(bool(choice.get("correct")) for choice in choices) != 1:
            raise ValidationError(f"{path}: question {position} needs exactly one correct choice")
        values = {"text": item["text"], "position": position}
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
            f"{where} has parents' answers, so it cannot be removed. Keep it in the file, "
            "or move the lesson's questions into a new lesson and unpublish this one."
        ) from None


def _load_choices(question, choices, where):
    changed = False
    existing = list(question.choices.all())
    for position, item in enumerate(choices, start=1):
        values = {
            "text": item["text"],
            "is_correct": bool(item.get("correct")),
            "feedback": item.get("feedback", ""),
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


@transaction.atomic
def course_load(*, path):
    """Load one course folder (course.md, NN-module/module.md, NN-module/NN-lesson.md)."""
    path = Path(path)
    report = LoadReport()
    meta, body = _read(path / "course.md")
    _require(meta, path / "course.md", "slug", "title")
    course, created, changed = _upsert(
        Course,
        {"slug": meta["slug"]},
        {
            "title": meta["title"],
            "summary": meta.get("summary", ""),
            "description": body,
            "is_published": bool(meta.get("published", True)),
        },
    )
    report.add(f"course {course.slug}", created, changed)
    module_dirs = sorted(p for p in path.iterdir() if (p / "module.md").is_file())
    for module_position, module_dir in enumerate(module_dirs, start=1):
        meta, _ = _read(module_dir / "module.md")
        _require(meta, module_dir / "module.md", "slug", "title")
        module, created, changed = _upsert(
            Module,
            {"course": course, "slug": meta["slug"]},
            {
                "title": meta["title"],
                "summary": meta.get("summary", ""),
                "position": module_position,
                "is_published": bool(meta.get("published", True)),
            },
        )
        report.add(f"module {module.slug}", created, changed)
        lesson_files = sorted(p for p in module_dir.glob("*.md") if p.name != "module.md")
        for lesson_position, lesson_file in enumerate(lesson_files, start=1):
            meta, body = _read(lesson_file)
            values = _lesson_values(meta, body, lesson_file, module, lesson_position)
            lesson, created, changed = _upsert(Lesson, {"slug": meta["slug"]}, values)
            changed |= _load_questions(lesson, meta.get("questions") or [], lesson_file)
            report.add(f"lesson {lesson.slug}", created, changed)
    return report


def content_load(*, root=CONTENT_DIR):
    """Load every course folder under root; returns {course folder name: LoadReport}."""
    folders = sorted(p for p in Path(root).iterdir() if (p / "course.md").is_file())
    return {folder.name: course_load(path=folder) for folder in folders}
