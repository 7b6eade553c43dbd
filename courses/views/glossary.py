"""A course's glossary: public, like the course outline."""

from django.shortcuts import render

from courses.access import get_course_for_visitor
from courses.content_cache import course_glossary


def glossary(request, course_slug):
    course = get_course_for_visitor(course_slug)
    return render(
        request, "courses/glossary.html", {"course": course, "glossary": course_glossary(course)}
    )
