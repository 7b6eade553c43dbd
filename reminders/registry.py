"""
Kinds of message another app decides and words, sent through this app's pipeline: the outbox
row per (kind, person, occasion), the hourly sweep, the task queue, the person's preferences and
one-click unsubscribe. outcomes registers the follow-up check-in invitation this way from its
AppConfig.ready(), so reminders never imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass


class NotWanted(Exception):
    """The message should no longer go out; the reason is recorded in the outbox."""


@dataclass(frozen=True)
class ExternalKind:
    kind: str  # a reminders.models.Kind value, listed in PARENT_KINDS
    # rows_for_day(today) -> [(kind, user id, occasion, context)], everyone due that day
    rows_for_day: Callable
    # email_context(user=, context=) -> the templates' context; raises NotWanted
    email_context: Callable
    template_base: str  # "<app>/email/<kind>": _subject.txt, .txt and .html beside it


EXTERNAL_KINDS = {}


def register_kind(external):
    EXTERNAL_KINDS[external.kind] = external
