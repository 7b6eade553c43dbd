from django import template

from courses.assignments import friendly_date as _friendly_date

register = template.Library()


@register.filter
def friendly_date(day):
    """'Monday 3 March' / 'lunes 3 de marzo' (with the year when it is not this year); empty for
    no date."""
    return _friendly_date(day) if day else ""
