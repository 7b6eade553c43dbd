"""The content loader: creates or updates by slug, is idempotent, and never loses progress."""

import shutil
from pathlib import Path

import frontmatter
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from courses.loader import CONTENT_DIR, content_load, course_load
from courses.models import Choice, CirclePlace, Course, Lesson, LessonProgress, Module, Principle
from tests.factories import LessonProgressFactory

pytestmark = pytest.mark.django_db

COURSE_DIR = CONTENT_DIR / "circle-of-security"


@pytest.fixture
def content(tmp_path):
    """A private copy of the real course, safe to edit."""
    target = tmp_path / "circle-of-security"
    shutil.copytree(COURSE_DIR, target)
    return target


def lesson_files(folder):
    # Module folders also hold a session guide (guide.md, outcomes/content.py) and
    # translations (NAME.<language>.md): neither is a lesson.
    return sorted(
        p
        for p in Path(folder).glob("*/*.md")
        if p.name not in {"module.md", "guide.md"} and p.name.count(".") == 1
    )


def test_the_real_course_loads_with_every_lesson_complete():
    course_load(path=COURSE_DIR)
    course = Course.objects.get(slug="circle-of-security")
    lessons = Lesson.objects.filter(module__course=course)
    assert lessons.count() >= 9
    assert course.modules.count() >= 4
    for lesson in lessons.prefetch_related("questions__choices"):
        assert 300 <= len(lesson.body.split()) <= 700, lesson.slug
        assert 3 <= len(lesson.key_point_list) <= 5, lesson.slug
        assert lesson.practice and lesson.reflection_prompt, lesson.slug
        questions = list(lesson.questions.all())
        assert 2 <= len(questions) <= 3, lesson.slug
        for question in questions:
            choices = list(question.choices.all())
            assert sum(choice.is_correct for choice in choices) == 1
            assert all(choice.feedback for choice in choices)
        assert lesson.body_html.startswith("<")


def test_the_real_course_covers_both_halves_the_hands_and_all_five_principles():
    course_load(path=COURSE_DIR)
    places = set(Lesson.objects.values_list("circle_place", flat=True))
    assert {CirclePlace.EXPLORATION, CirclePlace.SAFE_HAVEN, CirclePlace.HANDS} <= places
    principles = set(Lesson.objects.exclude(principle="").values_list("principle", flat=True))
    assert principles == set(Principle.values)


def test_loading_twice_changes_nothing(content):
    first = course_load(path=content)
    counts = (Course.objects.count(), Module.objects.count(), Lesson.objects.count())
    choice_ids = set(Choice.objects.values_list("pk", flat=True))
    second = course_load(path=content)
    assert first.created and not second.created and not second.updated
    assert (Course.objects.count(), Module.objects.count(), Lesson.objects.count()) == counts
    assert set(Choice.objects.values_list("pk", flat=True)) == choice_ids


def test_a_second_load_keeps_progress(content, parent):
    course_load(path=content)
    lesson = Lesson.objects.order_by("pk").first()
    LessonProgressFactory(user=parent, lesson=lesson)
    course_load(path=content)
    assert LessonProgress.objects.filter(user=parent, lesson=lesson).exists()


def test_an_edited_file_updates_the_lesson(content):
    course_load(path=content)
    path = lesson_files(content)[0]
    post = frontmatter.load(path)
    post["title"] = "A new title"
    post.content = post.content + "\n\nOne more kind sentence."
    path.write_text(frontmatter.dumps(post))
    report = course_load(path=content)
    lesson = Lesson.objects.get(slug=post["slug"])
    assert lesson.title == "A new title"
    assert "One more kind sentence." in lesson.body_html
    assert report.updated == [f"lesson {lesson.slug}"]


def test_an_edited_choice_updates_in_place(content):
    course_load(path=content)
    path = lesson_files(content)[0]
    post = frontmatter.load(path)
    post["questions"][0]["choices"][0]["feedback"] = "Fresh feedback."
    path.write_text(frontmatter.dumps(post))
    before = Choice.objects.count()
    course_load(path=content)
    assert Choice.objects.count() == before
    assert Choice.objects.filter(feedback="Fresh feedback.").count() == 1


def test_a_lesson_removed_from_the_files_stays_with_its_progress(content, parent):
    course_load(path=content)
    path = lesson_files(content)[-1]
    slug = frontmatter.load(path)["slug"]
    LessonProgressFactory(user=parent, lesson=Lesson.objects.get(slug=slug))
    path.unlink()
    course_load(path=content)
    assert Lesson.objects.filter(slug=slug).exists()
    assert LessonProgress.objects.filter(user=parent, lesson__slug=slug).exists()


def test_a_bad_file_is_refused_with_its_name_and_nothing_is_half_loaded(content):
    path = lesson_files(content)[0]
    post = frontmatter.load(path)
    post["circle_place"] = "middle"
    path.write_text(frontmatter.dumps(post))
    with pytest.raises(ValidationError, match=path.name):
        course_load(path=content)
    assert not Course.objects.exists()


def test_a_question_without_one_correct_choice_is_refused(content):
    path = lesson_files(content)[0]
    post = frontmatter.load(path)
    for choice in post["questions"][0]["choices"]:
        choice["correct"] = False
    path.write_text(frontmatter.dumps(post))
    with pytest.raises(ValidationError, match="exactly one correct"):
        course_load(path=content)


def test_unpublished_in_front_matter_is_respected(content):
    path = lesson_files(content)[0]
    post = frontmatter.load(path)
    post["published"] = False
    path.write_text(frontmatter.dumps(post))
    course_load(path=content)
    assert not Lesson.objects.get(slug=post["slug"]).is_published


def test_command_reports_what_it_did(content, capsys):
    call_command("load_course", root=str(content.parent))
    call_command("load_course", root=str(content.parent))
    out = capsys.readouterr().out
    assert "created" in out and "0 created, 0 updated" in out


def test_command_with_no_courses_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="No course folder"):
        call_command("load_course", root=str(tmp_path))


def test_content_load_reads_every_course_folder(content):
    reports = content_load(root=content.parent)
    assert list(reports) == ["circle-of-security"]
