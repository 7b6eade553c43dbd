"""Where a person can write when something does not arrive (DJANGO_CONTACT_EMAIL)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def contact_email():
    return settings.CONTACT_EMAIL
