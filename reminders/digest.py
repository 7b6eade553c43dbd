"""The numbers in a facilitator's weekly digest of one group. Counts and names, no writing."""

from dataclasses import dataclass

from courses.models import Reflection
from reminders import rules
from reminders.needs import group_members


@dataclass
class Digest:
    members: int
    started: int
    finished: int
    away: list  # names of parents away two weeks or more
    newly_shared: int


def group_digest(*, group, since, now):
    from django.utils import timezone

    today = timezone.localtime(now).date()
    members, module_totals = group_members(group=group)
    total = sum(module_totals.values())
    away = [
        member.name
        for member in members
        if any(
            reason == "away"
            for reason, _ in rules.needs_a_hand(
                today=today,
                joined_on=member.joined_on,
                last_seen=member.last_seen,
                behind_modules=[],
                finished=total > 0 and member.done >= total,
            )
        )
    ]
    newly_shared = (
        Reflection.objects.shared()
        .filter(
            user__memberships__group=group,
            lesson__module__course_id=group.course_id,
            updated_at__gte=since,
            updated_at__lt=now,
        )
        .count()
    )
    return Digest(
        members=len(members),
        started=sum(1 for member in members if member.started),
        finished=sum(1 for member in members if total and member.done >= total),
        away=away,
        newly_shared=newly_shared,
    )
