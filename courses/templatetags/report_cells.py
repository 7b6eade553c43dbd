"""
The group report table's lesson cells: a symbol for the eye and the status in words for screen
readers. A filter rather than a loop in the template: a page of the table has hundreds of
cells, and a loop with three lookups a cell was most of the report's time. There are only three
kinds of cell, so each is escaped once per language and a row joins them.
"""

from functools import cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from courses.progress import STATUS_LABELS, STATUS_SYMBOLS

register = template.Library()


@cache
def _cells(language):
    return {
        status: format_html(
            '<td class="report-cell cell-{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></td>',
            status,
            STATUS_SYMBOLS[status],
            label,
        )
        for status, label in STATUS_LABELS.items()
    }


@register.filter
def report_cells(row):
    cells = _cells(get_language())
    # Joining strings each escaped by format_html above is itself safe.
    return SafeString("".join(cells[status] for status in row.statuses))
