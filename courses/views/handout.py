"""A module's handout: its lessons' key points, practice and reflection prompts, to print."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses.access import get_module_for_parent
from courses.models import Lesson


@login_required
def module_handout(request, course_slug, module_slug):
    # Locked modules are refused by the same rule as their lessons (ModuleLocked, 403).
    module = get_module_for_parent(request.user, course_slug, module_slug)
    lessons = list(
        Lesson.objects.published()
        .filter(module=module)
        .only(
            "slug",
            "title",
            "key_points",
            "practice",
            "reflection_prompt",
            "module_id",
            "translations",  # the page's language: read with the lessons, not one by one
        )
        .order_by("position", "id")
    )
    for lesson in lessons:
        lesson.module = module  # for their links, without a query each
    return render(
        request,
        "courses/handout.html",
        {"course": module.course, "module": module, "lessons": lessons},
    )
