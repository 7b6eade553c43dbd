"""
The funders' file: one row per parent, with no name, email, date or id of ours.

Each row carries a random identifier made for this export alone (new every time, not derived
from anything we store), the sessions the parent came to, the lessons they finished, and their
check-in theme scores at the start, the end and the follow-up. Rows are in random order.

A facilitator knows who came to which session and who finished what, so those two columns could
point at a parent and, through them, at their scores. So they are given exactly only when every
combination of the two is shared by at least 5 parents; otherwise they are given in bands, and
parents whose band combination is still rarer than that get "withheld" in both columns (and,
by outcomes/privacy.shown_parts, enough others with them that the withheld rows are 5 or more).
With fewer than 5 parents there is no file at all.

A score column (a theme at one check-in) follows the rule of every check-in figure: it is filled
only when at least 5 parents in the file have a score there, and says "withheld" on every row
otherwise, so the file tells no more than the report page about who answered.
"""

import csv
import secrets
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from circle.downloads import csv_filename
from outcomes.models import Moment
from outcomes.privacy import can_show, shown_parts

WITHHELD = "withheld"


class TooFewParents(Exception):
    """The file would be about fewer than 5 parents: it is not made."""


def attendance_band(count):
    if count == 0:
        return "0"
    if count <= 2:
        return "1-2"
    if count <= 5:
        return "3-5"
    return "6+"


def lessons_band(done, total):
    if done == 0:
        return "none"
    return "all" if total and done >= total else "some"


def _details(rows, make):
    """{row index: (attendance, lessons)} by `make`, and the indexes whose details are shown."""
    details = {index: make(row) for index, row in enumerate(rows)}
    classes = defaultdict(set)
    for index, value in details.items():
        classes[value].add(index)
    shown = shown_parts(classes, set(details))
    return details, {index for key in shown for index in classes[key]}


def quasi_identifiers(rows, lessons_total):
    """
    The (sessions attended, lessons done) column values of each row: exact if every
    combination is shared by 5 or more rows, else in bands, withheld for rare bands.
    `rows` is a list of (attended, done).
    """
    details, shown = _details(rows, lambda row: row)
    if len(shown) == len(rows):
        return [(str(a), str(d)) for a, d in rows]
    details, shown = _details(
        rows, lambda row: (attendance_band(row[0]), lessons_band(row[1], lessons_total))
    )
    return [
        details[index] if index in shown else (WITHHELD, WITHHELD) for index in range(len(rows))
    ]


def export_ids(count):
    """`count` distinct random identifiers, new for every export."""
    ids = set()
    while len(ids) < count:
        ids.add(secrets.token_hex(4))
    return list(ids)


class _Echo:
    def write(self, value):
        return value


def _score(value):
    return "" if value is None else f"{value:.2f}"


def funders_csv_lines(*, facts, user_ids):
    """
    The file's lines for these parents (from outcomes.reports.facts_read). Raises TooFewParents
    under 5 parents.
    """
    user_ids = list(user_ids)
    if not can_show(len(user_ids)):
        raise TooFewParents
    # Random order: the order of our ids or names must not survive into the file.
    secrets.SystemRandom().shuffle(user_ids)
    raw = [
        (facts.attended.get(user_id, 0), facts.progress.get(user_id, (0, 0))[1])
        for user_id in user_ids
    ]
    details = quasi_identifiers(raw, facts.lessons_total)
    moments = facts.checkin.moments if facts.checkin else []
    theme_columns = [
        (moment, theme["key"], f"{theme['title']} ({Moment(moment).label})")
        for moment in moments
        for theme in facts.themes
    ]
    # Columns answered by too few parents are withheld on every row (outcomes/privacy.py).
    shown = {
        (moment, key)
        for moment, key, _label in theme_columns
        if can_show(sum(facts.scores[moment].get(uid, {}).get(key) is not None for uid in user_ids))
    }
    # The bands and "withheld" in the reader's language; the numbers as they are.
    words = {
        "none": pgettext("lessons done", "none"),
        "some": pgettext("lessons done", "some"),
        "all": pgettext("lessons done", "all"),
        WITHHELD: pgettext("a figure left out", "withheld"),
    }
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(
        [
            _("export id"),
            _("sessions attended"),
            _("lessons done (of %(total)s)") % {"total": facts.lessons_total},
            *(label for _moment, _key, label in theme_columns),
        ]
    )
    for export_id, user_id, (attended, done) in zip(
        export_ids(len(user_ids)), user_ids, details, strict=True
    ):
        yield writer.writerow(
            [
                export_id,
                words.get(attended, attended),
                words.get(done, done),
                *(
                    _score(facts.scores[moment].get(user_id, {}).get(key))
                    if (moment, key) in shown
                    else words[WITHHELD]
                    for moment, key, _label in theme_columns
                ),
            ]
        )


def funders_filename(name, today=None):
    return csv_filename(_("%(group)s-outcomes-%(date)s"), name, today)
