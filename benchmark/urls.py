"""The ceilings' addresses, routed only when the benchmark app is installed."""

from django.urls import path

from benchmark import views

app_name = "benchmark"
urlpatterns = [
    path("bench/ceiling/", views.ceiling, name="ceiling"),
    path("bench/ceiling/signed-in/", views.ceiling_signed_in, name="ceiling-signed-in"),
    path(
        "bench/ceiling/signed-in/page-sized/",
        views.ceiling_signed_in_page,
        name="ceiling-signed-in-page",
    ),
    path(
        "bench/lesson-reads/courses/<slug:course_slug>/<slug:lesson_slug>/",
        views.lesson_reads,
        name="lesson-reads",
    ),
    path(
        "bench/lesson-floor/courses/<slug:course_slug>/<slug:lesson_slug>/",
        views.lesson_floor,
        name="lesson-floor",
    ),
    path(
        "bench/lesson-read-write/courses/<slug:course_slug>/<slug:lesson_slug>/",
        views.lesson_read_then_write,
        name="lesson-read-write",
    ),
    path(
        "bench/lesson-statements/courses/<slug:course_slug>/<slug:lesson_slug>/",
        views.lesson_statements,
        name="lesson-statements",
    ),
    path(
        "bench/lesson-pipelined/courses/<slug:course_slug>/<slug:lesson_slug>/",
        views.lesson_pipelined,
        name="lesson-pipelined",
    ),
]
