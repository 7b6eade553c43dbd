"""The staff preview: any lesson, published or not, shown exactly as a parent would see it."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from courses.access import get_lesson_for_staff
from courses.glossary import GlossaryTerm, glossary_entries, glossary_link
from courses.models import Lesson
from courses.views.parent import lesson_page_context


def preview_body_html(lesson, lesson_pks):
    """
    The lesson's body with the glossary links it would carry if parents could see it now:
    the first appearances counted over the published lessons plus this one, in course order.
    Computed afresh (two small queries): previews are rare and must show the latest words.
    """
    course = lesson.module.course
    entries = glossary_entries(GlossaryTerm.objects.filter(course=course))
    if not entries:
        return lesson.body_html
    bodies = dict(Lesson.objects.filter(pk__in=lesson_pks).values_list("pk", "body"))
    _, linked = glossary_link(
        entries=entries,
        lessons=[(pk, bodies[pk]) for pk in lesson_pks],
        url=reverse("courses:glossary", args=[course.slug]),
    )
    return linked.get(lesson.pk, lesson.body_html)


@login_required
def lesson_preview(request, course_slug, lesson_slug):
    lesson = get_lesson_for_staff(request.user, course_slug, lesson_slug)
    # Numbered and linked as parents will meet it: the published lessons, plus this one.
    in_order = list(
        Lesson.objects.filter(module__course=lesson.module.course)
        .filter(Q(pk=lesson.pk) | Q(pk__in=Lesson.objects.published().values("pk")))
        .in_course_order()
        .values_list("pk", "slug", "title")
    )
    siblings = [(slug, title) for _, slug, title in in_order]
    context = lesson_page_context(
        lesson,
        siblings,
        user=request.user,
        body_html=preview_body_html(lesson, [pk for pk, _, _ in in_order]),
    )
    # No progress is recorded: previewing is not taking the lesson.
    context.update(
        preview=True,
        hidden_reasons=lesson.hidden_reasons(),
        lesson_url_name="courses:lesson-preview",
        progress=None,
    )
    return render(request, "courses/lesson.html", context)
