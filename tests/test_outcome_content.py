"""
The check-in and the session guides are content: files beside the lessons, loaded, exported
and imported with the course, versioned so every answer keeps the statements it answered.
"""

import frontmatter
import pytest
from django.core.exceptions import ValidationError

from courses.exporter import course_export
from courses.loader import CONTENT_DIR, course_load
from courses.models import Course, Lesson, Module
from outcomes.models import Checkin, CheckinResponse, CheckinVersion, SessionGuide
from tests.outcome_factories import all_same, answer

pytestmark = pytest.mark.django_db

COURSE_DIR = CONTENT_DIR / "circle-of-security"


@pytest.fixture
def content(tmp_path):
    """A copy of the real course folder to change."""
    target = tmp_path / "circle-of-security"
    for path in COURSE_DIR.rglob("*.md"):
        copy = target / path.relative_to(COURSE_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_the_course_ships_its_own_short_check_in_on_three_themes():
    course_load(path=COURSE_DIR)
    checkin = Checkin.objects.get(course__slug="circle-of-security")
    assert "not a validated clinical measure" in checkin.about
    assert checkin.scale[0] == "Not at all like me" and checkin.scale[-1] == "Very like me"
    assert len(checkin.scale) == 5
    assert [theme.key for theme in checkin.themes.all()] == ["confidence", "calm", "repair"]
    statements = list(checkin.statements.all())
    assert 8 <= len(statements) <= 10
    assert any(statement.reverse for statement in statements)
    assert not all(statement.reverse for statement in statements)
    for theme in checkin.themes.all():
        assert theme.statements.exists()
    assert checkin.follow_up_weeks == 8
    assert CheckinVersion.objects.filter(checkin=checkin).count() == 1


def test_every_module_folder_has_a_session_guide_and_it_is_no_lesson():
    course_load(path=COURSE_DIR)
    modules = Module.objects.filter(course__slug="circle-of-security")
    for folder in sorted(p for p in COURSE_DIR.iterdir() if (p / "module.md").is_file()):
        assert (folder / "guide.md").is_file(), f"{folder.name} has no guide.md"
    assert SessionGuide.objects.filter(module__in=modules).count() == modules.count()
    for guide in SessionGuide.objects.filter(module__in=modules):
        assert len(guide.agenda_list) >= 3
        assert 2 <= len(guide.question_list) <= 3
        assert guide.pause
    assert not Lesson.objects.filter(slug="guide").exists()
    lesson_files = [
        path
        for path in COURSE_DIR.glob("*/*.md")
        if path.name not in {"module.md", "guide.md"} and path.name.count(".") == 1
    ]
    assert Lesson.objects.filter(module__in=modules).count() == len(lesson_files)


def test_guides_are_written_for_the_modules_that_are_on_their_way_too():
    # The course is growing (issue 14): its new modules' folders already have their guides.
    for name in ("04-being-the-hands", "05-under-the-surface"):
        meta = frontmatter.load(COURSE_DIR / name / "guide.md").metadata
        assert meta["agenda"] and meta["discussion_questions"] and meta["pause_and_reflect"]


def test_the_check_in_and_guides_survive_export_and_import(tmp_path):
    course_load(path=COURSE_DIR)
    course_export(course=Course.objects.get(), out=tmp_path / "out")
    assert (tmp_path / "out" / "checkin.md").is_file()
    assert (tmp_path / "out" / "01-welcome" / "guide.md").is_file()
    report = course_load(path=tmp_path / "out")
    assert not report.has_changes
    exported = frontmatter.load(tmp_path / "out" / "checkin.md")
    original = frontmatter.load(COURSE_DIR / "checkin.md")
    assert exported.metadata["themes"] == original.metadata["themes"]
    assert exported.content == original.content


def test_changed_statements_make_a_new_version_and_old_answers_keep_theirs(content, parent):
    course_load(path=content)
    checkin = Checkin.objects.get()
    first = checkin.versions.get()
    response = answer(parent, checkin, "start", {"stay-steady": 4})
    post = frontmatter.load(content / "checkin.md")
    post["themes"][1]["statements"][0]["text"] = "I can stay calm when my child is upset."
    (content / "checkin.md").write_text(frontmatter.dumps(post))
    report = course_load(path=content)
    assert "check-in circle-of-security" in report.updated
    assert checkin.versions.count() == 2
    response.refresh_from_db()
    assert response.version == first
    texts = [s["text"] for s in first.content["statements"]]
    assert "When my child has a big feeling, I can stay calm enough to help." in texts
    assert course_load(path=content).has_changes is False


def test_a_statement_dropped_from_the_file_keeps_the_answers_that_named_it(content, parent):
    course_load(path=content)
    checkin = Checkin.objects.get()
    answer(parent, checkin, "start", {"quick-to-snap": 2})
    post = frontmatter.load(content / "checkin.md")
    del post["themes"][1]["statements"][2]
    (content / "checkin.md").write_text(frontmatter.dumps(post))
    # A translation has the English's statements: the Spanish drops it too (else it is refused).
    spanish = frontmatter.load(content / "checkin.es.md")
    del spanish["themes"][1]["statements"][2]
    (content / "checkin.es.md").write_text(frontmatter.dumps(spanish))
    course_load(path=content)
    assert not checkin.statements.filter(key="quick-to-snap").exists()
    assert CheckinResponse.objects.get(user=parent).answers == {"quick-to-snap": 2}


def test_a_licensed_questionnaire_loads_from_a_file_in_the_same_format(tmp_path):
    folder = tmp_path / "licensed"
    (folder / "01-m").mkdir(parents=True)
    (folder / "course.md").write_text("---\nslug: licensed\ntitle: Licensed\n---\n")
    (folder / "01-m" / "module.md").write_text("---\nslug: m\ntitle: M\n---\n")
    (folder / "checkin.md").write_text(
        "---\ntitle: Our licensed measure\nabout: Used under licence.\nfollow_up_weeks: 0\n"
        "scale: [one, two, three, four, five, six, seven]\n"
        "themes:\n  - key: a\n    title: A\n    statements:\n"
        "      - {key: a1, text: First item}\n      - {key: a2, text: Second item, reverse: true}\n"
        "---\nIntro.\n"
    )
    course_load(path=folder)
    checkin = Checkin.objects.get(course__slug="licensed")
    assert len(checkin.scale) == 7 and checkin.moments == ["start", "end"]
    assert checkin.statements.get(key="a2").reverse


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda meta: meta.pop("about"), "missing about"),
        (lambda meta: meta.update(scale=["only one"]), "scale must list"),
        (lambda meta: meta["themes"][0]["statements"][0].pop("key"), "needs a key"),
        (lambda meta: meta["themes"][1].update(key="confidence"), "two themes"),
        (lambda meta: meta.update(follow_up_weeks="soon"), "follow_up_weeks"),
    ],
)
def test_a_check_in_file_with_a_mistake_is_refused_by_name(content, change, message):
    post = frontmatter.load(content / "checkin.md")
    change(post.metadata)
    (content / "checkin.md").write_text(frontmatter.dumps(post))
    with pytest.raises(ValidationError, match=message) as caught:
        course_load(path=content)
    assert "checkin.md" in str(caught.value)
    assert not Course.objects.exists()


def test_a_guide_without_an_agenda_is_refused_by_name(content):
    path = content / "02-exploration" / "guide.md"
    post = frontmatter.load(path)
    del post["agenda"]
    path.write_text(frontmatter.dumps(post))
    with pytest.raises(ValidationError, match="02-exploration/guide.md: missing agenda"):
        course_load(path=content)


def test_answers_protect_their_check_in_from_deletion(parent):
    course_load(path=COURSE_DIR)
    checkin = Checkin.objects.get()
    answer(parent, checkin, "start", all_same(3))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        checkin.delete()
