"""The language switcher's choices, the page's `lang` attribute, and dates in words."""

from django import template
from django.utils import translation

from accounts import language

register = template.Library()


@register.simple_tag
def html_lang():
    """The active language as HTML's lang attribute writes it: "en-GB", "es"."""
    code = translation.get_language() or ""
    base, _, region = code.partition("-")
    return f"{base}-{region.upper() if len(region) == 2 else region}" if region else base


@register.simple_tag
def language_choices():
    """[(code, the language's name in itself)] for the switcher."""
    return language.language_choices()


@register.filter
def weekday_date(day):
    """'Monday 3 March 2026' / 'lunes 3 de marzo de 2026'; empty for no date."""
    return language.weekday_date(day) if day else ""
