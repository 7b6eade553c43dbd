"""Export a course to Markdown files and import it back: commands and admin actions."""

import io
import zipfile
from pathlib import Path

import frontmatter
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from courses.exporter import course_export, course_zip
from courses.glossary import GlossaryTerm
from courses.loader import CONTENT_DIR, content_load, course_load
from courses.models import Choice, Course, Lesson, LessonProgress, LessonVersion, Module, Question
from tests.factories import (
    ChoiceFactory,
    CourseFactory,
    GlossaryTermFactory,
    LessonFactory,
    LessonProgressFactory,
    ModuleFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

REAL_COURSE = CONTENT_DIR / "circle-of-security"
LESSON_FIELDS = [
    "slug", "title", "summary", "circle_place", "circle_needs", "principle", "minutes", "body",
    "body_html", "key_points", "practice", "reflection_prompt", "example_baby",
    "example_toddler", "example_school_age", "position", "is_published",
]  # fmt: skip


def snapshot(slug):
    """Everything a course says, in order, without database ids or timestamps."""
    course = Course.objects.get(slug=slug)
    return {
        "course": [
            course.slug,
            course.title,
            course.summary,
            course.description,
            course.description_html,
            course.is_published,
            course.glossary_intro,
        ],
        "glossary": [
            [term.slug, term.term, term.forms, term.definition, term.position]
            for term in course.glossary_terms.order_by("position", "id")
        ],
        "modules": [
            {
                "module": [m.slug, m.title, m.summary, m.position, m.is_published],
                "lessons": [
                    {
                        **{name: getattr(lesson, name) for name in LESSON_FIELDS},
                        "archived": lesson.is_archived,
                        "questions": [
                            [
                                q.text,
                                q.position,
                                [
                                    [c.text, c.is_correct, c.feedback, c.position]
                                    for c in q.choices.order_by("position")
                                ],
                            ]
                            for q in lesson.questions.order_by("position")
                        ],
                    }
                    for lesson in m.lessons.order_by("position", "id")
                ],
            }
            for m in course.modules.order_by("position", "id")
        ],
    }


def edit_front_matter(path, change):
    post = frontmatter.load(path)
    change(post.metadata)
    path.write_text(frontmatter.dumps(post), encoding="utf-8")


def wipe_content():
    GlossaryTerm.objects.all().delete()
    Choice.objects.all().delete()
    Question.objects.all().delete()
    Lesson.objects.all().delete()
    Module.objects.all().delete()
    Course.objects.all().delete()


def files_of(folder):
    folder = Path(folder)
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.md"))
    }


@pytest.fixture
def real_course(db):
    content_load(root=REAL_COURSE)
    return Course.objects.get(slug="circle-of-security")


@pytest.fixture
def tricky_course(db):
    """Content that is easy to lose on the way through YAML and Markdown."""
    course = CourseFactory(
        slug="tricky",
        title="yes",
        description="Intro\n\n---\n\nAfter a rule.",
        glossary_intro="Words: 'quoted' and \"double\"\n\n---\n\nno: problem",
    )
    GlossaryTermFactory(
        course=course,
        slug="null",
        term="yes",
        forms="no\nkey: value",
        definition="# not a heading\n- not a list: *either*",
        position=1,
    )
    GlossaryTermFactory(course=course, slug="second", term="'quoted'", forms="on", position=2)
    visible = ModuleFactory(course=course, slug="visible", title="123", position=1)
    hidden = ModuleFactory(
        course=course, slug="hidden-module", title="key: value", position=2, is_published=False
    )
    lesson = LessonFactory(
        module=visible,
        slug="quotes",
        title='She said "no" — and meant it',
        summary="null",
        principle="repairing_relationship",
        body="## Heading\n\nText with a line\n---\nthat looks like front matter.\n\n* ünïcode ✓",
        key_points="  First: point  \nSecond # not a comment",
        practice="Line one   \nLine two\n\n  indented",
        reflection_prompt="'Single' and \"double\" quotes?",
        circle_needs=["delight_in_me", "help_me"],
        example_baby="null",
        example_toddler="Line one\nLine two: with a colon",
        example_school_age="",
        position=1,
    )
    question = QuestionFactory(lesson=lesson, text="True or false: yes", position=1)
    ChoiceFactory(question=question, text="yes", is_correct=True, feedback="off", position=1)
    ChoiceFactory(question=question, text="no", feedback="- a dash", position=2)
    LessonFactory(module=visible, slug="draft", position=2, is_published=False)
    LessonFactory(module=hidden, slug="retired", position=1, archived_at=timezone.now())
    return course


class TestRoundTrip:
    def test_export_then_import_into_an_empty_site_gives_identical_content(
        self, real_course, tmp_path
    ):
        before = snapshot("circle-of-security")
        assert len(before["modules"]) == 7
        assert sum(len(m["lessons"]) for m in before["modules"]) == 17
        call_command("export_course", "circle-of-security", "--out", str(tmp_path / "out"))
        wipe_content()
        call_command("import_course", str(tmp_path / "out"), stdout=io.StringIO())
        assert snapshot("circle-of-security") == before

    def test_importing_the_export_again_changes_nothing(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path)
        versions = LessonVersion.objects.count()
        report = course_load(path=tmp_path)
        assert not report.has_changes
        # The course, its glossary, 7 modules and 17 lessons, its check-in and 7 session guides.
        assert len(report.unchanged) == 34
        assert LessonVersion.objects.count() == versions

    def test_export_import_export_gives_the_same_files(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path / "first")
        wipe_content()
        course_load(path=tmp_path / "first")
        course_export(course=Course.objects.get(), out=tmp_path / "second")
        assert files_of(tmp_path / "first") == files_of(tmp_path / "second")

    def test_tricky_content_survives_the_round_trip(self, tricky_course, tmp_path):
        before = snapshot("tricky")
        course_export(course=tricky_course, out=tmp_path)
        wipe_content()
        course_load(path=tmp_path)
        assert snapshot("tricky") == before
        key_points = Lesson.objects.get(slug="quotes").key_points
        assert key_points == "First: point\nSecond # not a comment"
        assert Lesson.objects.get(slug="retired").is_archived
        quotes = Lesson.objects.get(slug="quotes")
        assert quotes.example_baby == "null" and quotes.example_school_age == ""
        assert quotes.circle_needs == ["delight_in_me", "help_me"]
        assert GlossaryTerm.objects.get(slug="null").form_list == ["no", "key: value"]

    def test_export_writes_the_layout_the_loader_reads(self, tricky_course, tmp_path):
        course_export(course=tricky_course, out=tmp_path)
        assert sorted(files_of(tmp_path)) == [
            "01-visible/01-quotes.md",
            "01-visible/02-draft.md",
            "01-visible/module.md",
            "02-hidden-module/01-retired.md",
            "02-hidden-module/module.md",
            "course.md",
            "glossary.md",
        ]
        draft = (tmp_path / "01-visible/02-draft.md").read_text()
        assert "published: false" in draft
        assert "archived" not in draft
        assert "archived: true" in (tmp_path / "02-hidden-module/01-retired.md").read_text()
        assert "published: false" in (tmp_path / "02-hidden-module/module.md").read_text()
        quotes = (tmp_path / "01-visible/01-quotes.md").read_text()
        assert quotes.startswith("---\nslug: quotes\ntitle: ")
        assert "questions:\n  - text: 'True or false: yes'" in quotes
        assert "circle_needs:\n  - delight_in_me\n  - help_me\n" in quotes
        assert "age_examples:\n  baby: 'null'\n  toddler: |-\n    Line one\n" in quotes
        assert "school_age" not in quotes  # an empty example is left out
        assert "age_examples" not in draft and "circle_needs: []" in draft
        glossary = (tmp_path / "glossary.md").read_text()
        assert glossary.startswith("---\nterms:\n  - slug: 'null'\n    term: 'yes'\n    forms:\n")


class TestImport:
    def test_dry_run_reports_changes_and_changes_nothing(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path)
        hands = tmp_path / "04-being-the-hands" / "01-the-hands.md"
        hands.write_text(
            hands.read_text()
            .replace("title: The hands on the circle", "title: The hands")
            .replace("Those hands are you.", "Those hands are yours.")
        )
        new_lesson = (tmp_path / "01-welcome" / "01-what-is-the-circle.md").read_text()
        new_lesson = new_lesson.replace("slug: what-is-the-circle", "slug: a-new-lesson")
        (tmp_path / "01-welcome" / "02-a-new-lesson.md").write_text(new_lesson)
        before = snapshot("circle-of-security")
        counts = (Lesson.objects.count(), LessonVersion.objects.count(), Question.objects.count())

        report = course_load(path=tmp_path, dry_run=True)

        assert snapshot("circle-of-security") == before
        assert counts == (
            Lesson.objects.count(),
            LessonVersion.objects.count(),
            Question.objects.count(),
        )
        items = {(item.kind, item.slug): item for item in report.items}
        assert items["lesson", "the-hands"].status == "updated"
        # Its Spanish was translated from the English before the edit: now it may be out of date.
        assert items["lesson", "the-hands"].fields == ["title", "body", "translation (es)"]
        assert items["lesson", "a-new-lesson"].status == "created"
        assert items["lesson", "going-out-to-explore"].status == "unchanged"
        assert report.dry_run

    def test_dry_run_reports_changes_to_examples_needs_and_the_glossary(
        self, real_course, tmp_path
    ):
        course_export(course=real_course, out=tmp_path)

        def edit_being_with(meta):
            meta["age_examples"]["toddler"] = "Your three-year-old sobs at the park gate."
            meta["circle_needs"] = ["comfort_me", "protect_me"]

        def edit_glossary(meta):
            shark_music = next(t for t in meta["terms"] if t["slug"] == "shark-music")
            shark_music["definition"] = "An old alarm that a child's ordinary need sets off."

        edit_front_matter(tmp_path / "03-safe-haven" / "03-being-with.md", edit_being_with)
        edit_front_matter(tmp_path / "glossary.md", edit_glossary)
        before = snapshot("circle-of-security")

        report = course_load(path=tmp_path, dry_run=True)

        assert snapshot("circle-of-security") == before
        items = {(item.kind, item.slug): item for item in report.items}
        assert items["lesson", "being-with"].fields == [
            "needs on the circle",
            "example for a toddler or preschooler",
            "translation (es)",
        ]
        assert items["glossary", "circle-of-security"].status == "updated"
        assert items["glossary", "circle-of-security"].fields == [
            "shark-music: definition",
            "translation (es)",
        ]
        assert items["lesson", "the-hands"].status == "unchanged"
        versions = LessonVersion.objects.count()
        course_load(path=tmp_path)
        assert LessonVersion.objects.count() == versions + 1  # the example is part of the words
        assert Lesson.objects.get(slug="being-with").circle_needs == ["comfort_me", "protect_me"]

    def test_dry_run_command_says_what_would_change(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path)
        hands = tmp_path / "04-being-the-hands" / "01-the-hands.md"
        hands.write_text(hands.read_text().replace("minutes: 9", "minutes: 12"))
        out = io.StringIO()
        call_command("import_course", str(tmp_path), "--dry-run", stdout=out)
        text = out.getvalue()
        assert "lesson the-hands: updated (estimated minutes, translation (es))" in text
        assert "Would load" in text and "Dry run: nothing was changed." in text
        assert Lesson.objects.get(slug="the-hands").minutes == 9

    def test_import_updates_by_slug_and_reports_question_changes(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path)
        hands = tmp_path / "04-being-the-hands" / "01-the-hands.md"
        hands.write_text(hands.read_text().replace("Strict and in control", "Stern and in control"))
        lesson_pk = Lesson.objects.get(slug="the-hands").pk
        report = course_load(path=tmp_path)
        item = next(item for item in report.items if item.slug == "the-hands")
        assert (item.status, item.fields) == ("updated", ["questions", "translation (es)"])
        assert Lesson.objects.get(slug="the-hands").pk == lesson_pk
        assert Choice.objects.filter(text__startswith="Stern and in control").exists()

    def test_import_never_deletes_lessons_or_progress(self, real_course, parent, tmp_path):
        hands = Lesson.objects.get(slug="the-hands")
        now = timezone.now()
        LessonProgressFactory(user=parent, lesson=hands, started_at=now, completed_at=now)
        course_export(course=real_course, out=tmp_path)
        (tmp_path / "04-being-the-hands" / "01-the-hands.md").unlink()
        report = course_load(path=tmp_path)
        assert "lesson the-hands" not in report.unchanged + report.updated + report.created
        hands.refresh_from_db()
        assert LessonProgress.objects.get(user=parent, lesson=hands).completed_at == now
        assert Lesson.objects.count() == 17

    def test_import_records_lesson_versions_by_the_importer(self, real_course, staff, tmp_path):
        course_export(course=real_course, out=tmp_path)
        hands = tmp_path / "04-being-the-hands" / "01-the-hands.md"
        hands.write_text(hands.read_text().replace("Those hands are you.", "They are you."))
        course_load(path=tmp_path, user=staff)
        newest = Lesson.objects.get(slug="the-hands").versions.first()
        assert (newest.created_by, newest.note) == (staff, "Imported from files")
        assert "They are you." in newest.body

    def test_a_bad_file_stops_the_whole_import(self, real_course, tmp_path):
        course_export(course=real_course, out=tmp_path)
        first = tmp_path / "01-welcome" / "01-what-is-the-circle.md"
        first.write_text(first.read_text().replace("title: What is", "title: Changed, what is"))
        last = tmp_path / "07-bringing-it-together" / "01-good-enough-together.md"
        last.write_text(last.read_text().replace("circle_place: whole", "circle_place: moon"))
        with pytest.raises(CommandError, match="circle_place must be one of"):
            call_command("import_course", str(tmp_path), stdout=io.StringIO())
        assert Lesson.objects.get(slug="what-is-the-circle").title == "What is the circle?"

    def test_a_folder_without_a_course_is_a_clear_error(self, db, tmp_path):
        with pytest.raises(CommandError, match="No course folder"):
            call_command("import_course", str(tmp_path), stdout=io.StringIO())

    def test_load_course_still_loads_the_seed_content(self, db):
        out = io.StringIO()
        call_command("load_course", stdout=out)
        # The course, its glossary, 7 modules and 17 lessons, its check-in and 7 session guides.
        assert "Loaded circle-of-security: 34 created" in out.getvalue()
        call_command("load_course", "--root", str(CONTENT_DIR), stdout=out)
        assert "0 created, 0 updated, 34 unchanged" in out.getvalue()


class TestExportCommand:
    def test_unknown_course_is_a_clear_error(self, real_course, tmp_path):
        with pytest.raises(CommandError, match="No course with the slug 'nope'"):
            call_command("export_course", "nope", "--out", str(tmp_path))

    def test_it_refuses_to_write_into_a_folder_with_files(self, real_course, tmp_path):
        (tmp_path / "notes.txt").write_text("keep me")
        with pytest.raises(CommandError, match="not empty"):
            call_command("export_course", "circle-of-security", "--out", str(tmp_path))
        assert (tmp_path / "notes.txt").read_text() == "keep me"


def import_url():
    return reverse("admin:courses_course_import")


def upload(data, name="course.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class TestAdminExportImport:
    def test_staff_downloads_a_course_as_a_zip(self, staff_client, real_course):
        response = staff_client.post(
            reverse("admin:courses_course_changelist"),
            {"action": "export_zip", "_selected_action": [real_course.pk]},
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert 'filename="circle-of-security-' in response["Content-Disposition"]
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "circle-of-security/course.md" in names
        assert "circle-of-security/04-being-the-hands/01-the-hands.md" in names

    def test_upload_shows_a_dry_run_then_confirm_imports(self, staff_client, staff, real_course):
        data = course_zip(courses=[real_course])
        edited = {
            name: zipfile.ZipFile(io.BytesIO(data)).read(name).decode()
            for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        }
        name = "circle-of-security/04-being-the-hands/01-the-hands.md"
        edited[name] = edited[name].replace("minutes: 9", "minutes: 11")
        before = snapshot("circle-of-security")

        response = staff_client.post(import_url(), {"archive": upload(zip_of(edited))})

        assert response.status_code == 200
        html = response.content.decode()
        assert "What this import will do" in html
        assert "estimated minutes" in html
        assert "Yes, import these changes" in html
        assert snapshot("circle-of-security") == before  # nothing changed yet

        token = response.context["token"]
        response = staff_client.post(import_url(), {"confirm": "1", "token": token}, follow=True)
        assert "Imported." in response.content.decode()
        assert Lesson.objects.get(slug="the-hands").minutes == 11
        assert Lesson.objects.get(slug="the-hands").versions.first().created_by is None
        # Minutes are not part of a version; the words did not change, so no new version.

    def test_confirming_twice_or_with_a_stale_token_imports_nothing(
        self, staff_client, real_course, tmp_path
    ):
        course_export(course=real_course, out=tmp_path / "c")
        hands = tmp_path / "c" / "04-being-the-hands" / "01-the-hands.md"
        hands.write_text(hands.read_text().replace("Those hands are you.", "They are you."))
        files = {f"c/{name}": text for name, text in files_of(tmp_path / "c").items()}
        response = staff_client.post(import_url(), {"archive": upload(zip_of(files))})
        token = response.context["token"]
        response = staff_client.post(
            import_url(), {"confirm": "1", "token": "not-the-token"}, follow=True
        )
        assert "Please upload it again" in response.content.decode()
        assert "They are you." not in Lesson.objects.get(slug="the-hands").body

        staff_client.post(import_url(), {"confirm": "1", "token": token})
        versions = LessonVersion.objects.count()
        response = staff_client.post(import_url(), {"confirm": "1", "token": token}, follow=True)
        assert "Please upload it again" in response.content.decode()
        assert LessonVersion.objects.count() == versions

    def test_a_zip_that_changes_nothing_offers_no_import(self, staff_client, real_course):
        response = staff_client.post(
            import_url(), {"archive": upload(course_zip(courses=[real_course]))}
        )
        html = response.content.decode()
        assert "there is nothing to import" in html
        assert "Yes, import these changes" not in html

    @pytest.mark.parametrize(
        "data, message",
        [
            (b"not a zip", "not a zip file"),
            (zip_of({"../evil/course.md": "---\nslug: x\ntitle: y\n---\n"}), "unsafe path"),
            (zip_of({"readme.txt": "hello"}), "holds no course"),
        ],
    )
    def test_bad_zip_files_are_refused_with_a_message(self, staff_client, db, data, message):
        response = staff_client.post(import_url(), {"archive": upload(data)})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Course.objects.exists()

    def test_a_broken_lesson_file_is_explained(self, staff_client, db):
        data = zip_of(
            {
                "c/course.md": "---\nslug: c\ntitle: C\n---\n",
                "c/01-m/module.md": "---\nslug: m\ntitle: M\n---\n",
                "c/01-m/01-l.md": "---\nslug: l\ntitle: L\n---\nBody",
            }
        )
        response = staff_client.post(import_url(), {"archive": upload(data)})
        assert "01-m/01-l.md: missing circle_place" in response.content.decode()
        assert not Course.objects.exists()

    def test_parent_and_visitor_cannot_import(self, client, parent, real_course):
        data = course_zip(courses=[real_course])
        for who in [None, parent]:
            if who:
                client.force_login(who)
            response = client.post(import_url(), {"archive": upload(data)})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
