"""
Content in the page's language (courses/translation.py), for templates:

    {{ lesson|tr:"title" }}        the lesson's title in the page's language, else in English
    <article{% english_lang lesson %}>   lang="en-GB" when the page shows the English instead
    {% english_note lesson %}      a one-line note saying so (nothing when translated)
    {% blocktranslate with title=lesson|tr_marked:"title" %}...{{ title }}...{% endblocktranslate %}
                                   the title inside <span lang="en-GB"> when it is the English
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from courses import translation
from courses.translation import ENGLISH_LANG

register = template.Library()


@register.filter
def tr(obj, name):
    """`obj`'s field `name` in the page's language; objects without translations as they are."""
    if obj is None or obj == "":
        return ""
    if hasattr(obj, "tr"):
        return obj.tr(name)
    if isinstance(obj, dict):
        return obj.get(name, "")
    return getattr(obj, name, "")


@register.filter
def tr_marked(obj, name):
    """`obj|tr:name` marked lang="en-GB" when it is the English (courses.translation.tr_marked)."""
    if not hasattr(obj, "tr"):
        return tr(obj, name)
    return translation.tr_marked(obj, name)


@register.filter
def shows_english(obj):
    return bool(getattr(obj, "shows_english", None) and obj.shows_english())


@register.simple_tag
def english_lang(obj):
    """` lang="en-GB"` on the element holding `obj`'s text when it is shown in English."""
    return format_html(' lang="{}"', ENGLISH_LANG) if shows_english(obj) else ""


NOTES = {
    "lesson": lambda: gettext("This lesson is not in your language yet; here it is in English."),
    "course": lambda: gettext("This course is not in your language yet; here it is in English."),
    "check-in": lambda: gettext(
        "This check-in is not in your language yet; here it is in English."
    ),
    "guide": lambda: gettext(
        "This session guide is not in your language yet; here it is in English."
    ),
}


@register.simple_tag
def english_note(obj, kind="lesson"):
    """A one-line note, in the page's language, when `obj` is shown in English."""
    if not shows_english(obj):
        return ""
    return format_html('<p class="english-note small">{}</p>', NOTES[kind]())
