"""
The staff preview: any lesson, published or not, shown exactly as a parent would see it; with
`?language=es`, as a parent reading that language sees it (translators check their text here).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from courses.access import get_lesson_for_staff
from courses.content_cache import glossary_entries_in
from courses.glossary import GlossaryTerm, glossary_link
from courses.models import Lesson
from courses.translation import content_languages, current_language
from courses.views.parent import lesson_page_context


def preview_body_html(lesson, lesson_pks):
    """
    The lesson's body with the glossary links it would carry if parents could see it now:
    the first appearances counted over the published lessons plus this one, in course order.
    Computed afresh (two small queries): previews are rare and must show the latest words.
    """
    course = lesson.module.course
    language = current_language() or ""
    entries = glossary_entries_in(GlossaryTerm.objects.filter(course=course), language)
    if not entries:
        return lesson.tr("body_html")
    bodies = {
        pk: (translations or {}).get(language, {}).get("body") or body
        for pk, body, translations in Lesson.objects.filter(pk__in=lesson_pks).values_list(
            "pk", "body", "translations"
        )
    }
    _, linked = glossary_link(
        entries=entries,
        lessons=[(pk, bodies[pk]) for pk in lesson_pks],
        url=reverse("courses:glossary", args=[course.slug]),
    )
    return linked.get(lesson.pk, lesson.tr("body_html"))


def preview_language(request):
    """The language asked for with ?language= (made the page's), or "" for the usual one."""
    language = request.GET.get("language", "")
    if not language:
        return ""
    if language not in (settings.LANGUAGE_CODE, *content_languages()):
        raise Http404("No such language.")
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


@login_required
def lesson_preview(request, course_slug, lesson_slug):
    lesson = get_lesson_for_staff(request.user, course_slug, lesson_slug)
    language = preview_language(request)
    # Numbered and linked as parents will meet it: the published lessons, plus this one.
    in_order = list(
        Lesson.objects.filter(module__course=lesson.module.course)
        .filter(Q(pk=lesson.pk) | Q(pk__in=Lesson.objects.published().values("pk")))
        .in_course_order()
        .only("pk", "slug", "title", "translations")  # titles in the language previewed
    )
    context = lesson_page_context(
        lesson,
        [(other.slug, other) for other in in_order],
        user=request.user,
        body_html=preview_body_html(lesson, [other.pk for other in in_order]),
    )
    # No progress is recorded: previewing is not taking the lesson.
    context.update(
        preview=True,
        hidden_reasons=lesson.hidden_reasons(),
        lesson_url_name="courses:lesson-preview",
        # Previous and next stay in the language previewed.
        preview_query=f"?language={language}" if language else "",
        preview_edit_url=(
            reverse("admin:courses_lesson_translation", args=[lesson.pk, language])
            if language in content_languages()
            else reverse("admin:courses_lesson_change", args=[lesson.pk])
        ),
        progress=None,
    )
    return render(request, "courses/lesson.html", context)
