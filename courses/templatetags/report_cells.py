"""
The group report table's lesson cells: a symbol for the eye and the status in words for screen
readers. A filter rather than a loop in the template: a page of the table has hundreds of
cells, and a template loop with three lookups a cell was most of the report's time.
"""

from django import template
from django.utils.html import format_html_join

from courses.progress import STATUS_LABELS, STATUS_SYMBOLS

register = template.Library()


@register.filter
def report_cells(row):
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    return format_html_join(
        "",
        '<td class="report-cell cell-{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></td>',
        ((status, STATUS_SYMBOLS[status], labels[status]) for status in row.statuses),
    )
