"""
The outcome report's chart, drawn on the server as SVG: for each theme, the group's mean score
at the start and at the end, as two bars on the check-in's scale. It has a title and a
description for screen readers, and the page gives the same numbers in a table. Theme names are
in the page's language (outcomes/reports.py); one still in English is marked lang="en-GB".

This module works out what to draw (ChangeChart); templates/outcomes/includes/chart.html draws
it.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH = 640
LABEL_HEIGHT = 26
BAR_HEIGHT = 22
ROW_GAP = 18
TOP = 34
BEFORE_FILL = "#8fb3d9"
AFTER_FILL = "#2f7a4a"


@dataclass
class ChartBar:
    y: int
    width: str  # numbers with a decimal point are written out here, never by the page's locale
    fill: str
    value_x: str
    value_y: int
    value: str


@dataclass
class ChartRow:
    label_y: int
    title: str
    lang: str
    bars: list


@dataclass
class LegendKey:
    x: int
    fill: str
    label: str

    @property
    def text_x(self):
        return self.x + 20


@dataclass
class ChangeChart:
    id: str
    height: int
    title: str
    description: str
    rows: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def _x(score, scale_max):
    """Where a score from 1 to scale_max sits on the bar area."""
    return (WIDTH - 60) * (score - 1) / (scale_max - 1)


def change_chart(*, figures, chart_id):
    """What the chart of start and end means per theme shows, or None when it is withheld."""
    themes = [theme for theme in figures.themes if theme.change is not None]
    if not themes:
        return None
    scale_max = figures.scale_max
    rows = []
    y = TOP
    for theme in themes:
        bars = []
        for offset, mean, fill in (
            (LABEL_HEIGHT, theme.change.before_mean, BEFORE_FILL),
            (LABEL_HEIGHT + BAR_HEIGHT, theme.change.after_mean, AFTER_FILL),
        ):
            end = _x(mean, scale_max)
            bars.append(
                ChartBar(
                    y=y + offset,
                    width=f"{max(end, 1):.1f}",
                    fill=fill,
                    value_x=f"{end + 6:.1f}",
                    value_y=y + offset + BAR_HEIGHT - 4,
                    value=f"{mean:.1f}",
                )
            )
        rows.append(
            ChartRow(label_y=y + LABEL_HEIGHT - 8, title=theme.title, lang=theme.lang, bars=bars)
        )
        y += LABEL_HEIGHT + 2 * BAR_HEIGHT + ROW_GAP
    return ChangeChart(
        id=chart_id,
        height=TOP + len(themes) * (LABEL_HEIGHT + 2 * BAR_HEIGHT + ROW_GAP) + 10,
        title=_("Mean score per theme at the start and at the end (scale 1 to %(max)s)")
        % {"max": scale_max},
        description="; ".join(
            _("%(theme)s: %(before).1f at the start, %(after).1f at the end")
            % {
                "theme": theme.title,
                "before": theme.change.before_mean,
                "after": theme.change.after_mean,
            }
            for theme in themes
        ),
        rows=rows,
        legend=[LegendKey(0, BEFORE_FILL, _("Start")), LegendKey(110, AFTER_FILL, _("End"))],
    )
