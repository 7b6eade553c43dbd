from django.urls import path

from courses import views

app_name = "courses"

lesson = "courses/<slug:course_slug>/<slug:lesson_slug>/"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:course_slug>/", views.course, name="course"),
    path("courses/<slug:course_slug>/certificate/", views.certificate, name="certificate"),
    path(lesson, views.lesson, name="lesson"),
    path(lesson + "complete/", views.lesson_complete, name="lesson-complete"),
    path(lesson + "reflection/", views.reflection_save_view, name="reflection-save"),
    path(lesson + "practice/", views.practice_note_add_view, name="practice-note-add"),
    path(
        lesson + "questions/<int:pk>/answer/",
        views.question_answer_view,
        name="question-answer",
    ),
    path("journal/", views.journal, name="journal"),
    path("journal/reflections/<int:pk>/share/", views.reflection_share, name="reflection-share"),
    path(
        "journal/reflections/<int:pk>/delete/",
        views.reflection_delete_view,
        name="reflection-delete",
    ),
    path("journal/practice/<int:pk>/", views.practice_note_edit, name="practice-note-edit"),
    path(
        "journal/practice/<int:pk>/delete/",
        views.practice_note_delete_view,
        name="practice-note-delete",
    ),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate-verify"),
]
