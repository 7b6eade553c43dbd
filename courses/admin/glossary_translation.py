"""
A course's glossary in one language, edited in the admin beside the English like the course's
own text (courses/admin/translations.py): `<course pk>/glossary/translations/<language>/`.
The same page as a glossary.<language>.md file gives: the introduction, and each term's word,
forms and definition; slugs and order come from the English.
"""

from django.urls import reverse
from django.utils.translation import gettext

from courses.admin.translation_forms import GlossaryTranslationForm
from courses.loader_translations import glossary_english
from courses.translation_edit import glossary_translation_save, glossary_translation_status


def glossary_translation_url(course, language):
    return reverse("admin:courses_course_glossary_translation", args=[course.pk, language])


class GlossaryTranslation:
    """
    The `text` of CourseAdmin.translation_page for a course's glossary; one per request, which
    reads the course's terms once for the English, the form and the status alike.
    """

    def __init__(self):
        self._found = {}

    def translation_english(self, course):
        return glossary_english(course, self._terms(course))

    def translation_form(self, course, language, data):
        return GlossaryTranslationForm(
            data, obj=course, language=language, terms=self._terms(course)
        )

    def translation_save(self, request, course, language, form):
        return glossary_translation_save(
            course=course,
            terms=form.terms,
            language=language,
            intro=form.intro(),
            term_values=form.term_values(),
        )

    def translation_page_status(self, course, language, english):
        return glossary_translation_status(course, language, self._terms(course))

    def translation_page_url(self, course, language):
        return glossary_translation_url(course, language)

    def translation_title(self, course):
        return gettext("Glossary of %(course)s") % {"course": course}

    def translation_tools(self, course, language):
        return []

    def translation_english_changes(self, course, language):
        return []  # the glossary keeps no versions

    def _terms(self, course):
        if course.pk not in self._found:
            self._found[course.pk] = list(course.glossary_terms.order_by("position", "id"))
        return self._found[course.pk]
