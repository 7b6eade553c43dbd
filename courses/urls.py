from django.urls import path

from courses.views import (
    authoring,
    certificates,
    checks,
    facilitator,
    glossary,
    handout,
    journal,
    parent,
)

app_name = "courses"

lesson = "courses/<slug:course_slug>/<slug:lesson_slug>/"
group = "facilitator/groups/<int:pk>/"

urlpatterns = [
    path("dashboard/", parent.dashboard, name="dashboard"),
    path("courses/", parent.catalogue, name="catalogue"),
    path("courses/<slug:course_slug>/", parent.course, name="course"),
    # Before the lesson pattern, which would otherwise read "certificate" or "glossary" as a
    # lesson's slug (so no lesson may take them: models.RESERVED_LESSON_SLUGS).
    path("courses/<slug:course_slug>/certificate/", certificates.certificate, name="certificate"),
    path("courses/<slug:course_slug>/glossary/", glossary.glossary, name="glossary"),
    # "modules/" keeps it apart from every lesson address (courses/<course>/<lesson>/...).
    path(
        "courses/<slug:course_slug>/modules/<slug:module_slug>/handout/",
        handout.module_handout,
        name="module-handout",
    ),
    path(lesson, parent.lesson, name="lesson"),
    path(lesson + "complete/", parent.lesson_complete, name="lesson-complete"),
    path(lesson + "preview/", authoring.lesson_preview, name="lesson-preview"),
    path(lesson + "reflection/", journal.reflection_save_view, name="reflection-save"),
    path(lesson + "practice/", journal.practice_note_add_view, name="practice-note-add"),
    path(
        lesson + "questions/<int:pk>/answer/",
        checks.question_answer_view,
        name="question-answer",
    ),
    # A parent's journal: their reflections and practice notes, private unless shared.
    path("journal/", journal.journal, name="journal"),
    path("journal/reflections/<int:pk>/share/", journal.reflection_share, name="reflection-share"),
    path(
        "journal/reflections/<int:pk>/delete/",
        journal.reflection_delete_view,
        name="reflection-delete",
    ),
    path("journal/practice/<int:pk>/", journal.practice_note_edit, name="practice-note-edit"),
    path(
        "journal/practice/<int:pk>/delete/",
        journal.practice_note_delete_view,
        name="practice-note-delete",
    ),
    path("certificates/<str:code>/", certificates.certificate_verify, name="certificate-verify"),
    # A group's course pages, for its facilitators (each through accounts.access.group_view);
    # running the group itself is in accounts/urls.py.
    path(group + "assignments/", facilitator.group_assignments, name="facilitator-assignments"),
    path(group + "report/", facilitator.group_progress, name="facilitator-report"),
    path(group + "report.csv", facilitator.group_progress_csv, name="facilitator-report-csv"),
    path(
        group + "report/parents/<int:user_pk>/",
        facilitator.group_member_progress,
        name="facilitator-member-progress",
    ),
    path(
        group + "report/lessons/<int:lesson_pk>/shared/",
        facilitator.group_shared_reflections,
        name="facilitator-shared-reflections",
    ),
]
