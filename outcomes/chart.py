"""
The outcome report's chart, drawn on the server as SVG: for each theme, the group's mean score
at the start and at the end, as two bars on the check-in's scale. It has a title and a
description for screen readers, and the page gives the same numbers in a table. Theme names are
in the page's language (outcomes/reports.py); one still in English is marked lang="en-GB".
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 0  # each theme's name sits on its own line above its bars, so long names fit
LABEL_HEIGHT = 26
BAR_HEIGHT = 22
ROW_GAP = 18
TOP = 34
BEFORE_FILL = "#8fb3d9"
AFTER_FILL = "#2f7a4a"


def _x(score, scale_max):
    """Where a score from 1 to scale_max sits on the bar area."""
    span = WIDTH - LABEL_WIDTH - 60
    return LABEL_WIDTH + span * (score - 1) / (scale_max - 1)


def change_chart(*, figures, chart_id):
    """The SVG (safe HTML) of start and end means per theme, or "" when withheld."""
    themes = [theme for theme in figures.themes if theme.change is not None]
    if not themes:
        return ""
    scale_max = figures.scale_max
    height = TOP + len(themes) * (LABEL_HEIGHT + 2 * BAR_HEIGHT + ROW_GAP) + 10
    rows = []
    y = TOP
    for theme in themes:
        change = theme.change
        bars = []
        for offset, mean, fill in (
            (LABEL_HEIGHT, change.before_mean, BEFORE_FILL),
            (LABEL_HEIGHT + BAR_HEIGHT, change.after_mean, AFTER_FILL),
        ):
            end = _x(mean, scale_max)
            # format_html escapes its arguments into text, so numbers are written out first.
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    LABEL_WIDTH,
                    y + offset,
                    f"{max(end - LABEL_WIDTH, 1):.1f}",
                    BAR_HEIGHT,
                    fill,
                    f"{end + 6:.1f}",
                    y + offset + BAR_HEIGHT - 4,
                    f"{mean:.1f}",
                )
            )
        rows.append(
            format_html(
                '<text x="0" y="{}" class="chart-label"{}>{}</text>{}{}',
                y + LABEL_HEIGHT - 8,
                format_html(' lang="{}"', theme.lang) if theme.lang else "",
                theme.title,
                bars[0],
                bars[1],
            )
        )
        y += LABEL_HEIGHT + 2 * BAR_HEIGHT + ROW_GAP
    description = "; ".join(
        _("%(theme)s: %(before).1f at the start, %(after).1f at the end")
        % {
            "theme": theme.title,
            "before": theme.change.before_mean,
            "after": theme.change.after_mean,
        }
        for theme in themes
    )
    legend = format_html(
        '<rect x="{}" y="4" width="14" height="14" fill="{}"/>'
        '<text x="{}" y="16" class="chart-value">{}</text>'
        '<rect x="{}" y="4" width="14" height="14" fill="{}"/>'
        '<text x="{}" y="16" class="chart-value">{}</text>',
        0,
        BEFORE_FILL,
        20,
        _("Start"),
        110,
        AFTER_FILL,
        130,
        _("End"),
    )
    return format_html(
        '<svg class="outcome-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        _("Mean score per theme at the start and at the end (scale 1 to %(max)s)")
        % {"max": scale_max},
        chart_id,
        description,
        legend,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
