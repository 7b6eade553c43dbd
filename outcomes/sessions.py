"""
A group's sessions: planning them, recording who came, and what each module's session guide
shows for the group (counts only, from courses/insights.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from courses.insights import question_summary, reflection_summary
from courses.models import Lesson
from outcomes.models import Attendance, GroupSession


def next_session_annotations():
    """
    {name: function(today) -> expression} for each group's next session from `today` on: its
    day and time (None when none is planned). The parent's dashboard shows them, read with the
    groups (courses/assignments.py GROUP_PLAN_ANNOTATIONS): no query of its own. The place is
    not read: it is for facilitators only.
    """

    def next_session(field):
        def make(today):
            return Subquery(
                GroupSession.objects.filter(group=OuterRef("pk"), date__gte=today)
                .order_by("date", F("time").asc(nulls_last=True), "id")
                .values(field)[:1]
            )

        return make

    return {"next_session_date": next_session("date"), "next_session_time": next_session("time")}


def _session_rules(group, module):
    """What planning a session and changing one both require."""
    if group.is_archived:
        raise ValidationError(_("This group is archived: restore it to plan sessions."))
    if module is not None and module.course_id != group.course_id:
        raise ValidationError(_("That module belongs to another course."))


def session_plan(*, group, key, date, time=None, module=None, place=""):
    """Plan a session; the same form sent twice (same key) plans it once. Returns (s, created)."""
    _session_rules(group, module)
    return GroupSession.objects.get_or_create(
        group=group,
        key=key,
        defaults={"date": date, "time": time, "module": module, "place": place},
    )


def session_change(*, session, group, date, time=None, module=None, place=""):
    """
    Change a session's day, time, module or place (a typo, a room moved); who came is kept.
    A session with people marked as having come cannot move to a day still to come.
    """
    _session_rules(group, module)
    if date > timezone.localdate() and Attendance.objects.filter(session=session).exists():
        raise ValidationError(
            _(
                "Who came is already recorded for this session, so it cannot move to a day "
                "still to come."
            )
        )
    session.date, session.time, session.module, session.place = date, time, module, place
    session.save(update_fields=["date", "time", "module", "place"])
    return session


def group_sessions(*, group):
    """The group's sessions in date order, each with `present` counted: one query."""
    return list(
        GroupSession.objects.filter(group=group)
        .select_related("module")
        .annotate(present=Count("attendance"))
        .order_by("date", "time", "id")
    )


def members_for_attendance(*, group):
    """(user id, name) of the group's members, by name: one query."""
    rows = Membership.objects.filter(group=group).values_list(
        "user_id", "user__display_name", "user__email"
    )
    members = [(user_id, name or email) for user_id, name, email in rows]
    return sorted(members, key=lambda member: (member[1].lower(), member[0]))


@transaction.atomic
def attendance_record(*, session, present, members):
    """
    Make the session's attendance exactly `present` among the group's `members` (ids): sent
    twice, it leaves the same rows. Marks of people no longer in the group are left alone.
    """
    if session.date > timezone.localdate():
        raise ValidationError(_("You can record who came on the day of the session or after."))
    present = set(present) & set(members)
    Attendance.objects.filter(session=session, user_id__in=members).exclude(
        user_id__in=present
    ).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, user_id=user_id) for user_id in sorted(present)],
        ignore_conflicts=True,
    )
    return len(present)


def session_present_ids(*, session):
    return set(Attendance.objects.filter(session=session).values_list("user_id", flat=True))


def guide_group_figures(*, group, module):
    """
    For a module's guide: the knowledge-check question the group's parents most often missed
    on their first try, and how many reflections they shared on the module's lessons. Three
    queries; counts only.
    """
    lessons = list(Lesson.objects.published().filter(module=module).only("id", "title"))
    user_ids = Membership.objects.filter(group=group).values("user_id")
    checks = question_summary(lessons=lessons, user_ids=user_ids)
    missed = [
        stats
        for summary in checks.values()
        for stats in summary.questions
        if stats.first_try_missed > 0
    ]
    most_missed = max(missed, key=lambda stats: stats.first_try_missed, default=None)
    shared = 0
    if not group.is_archived:
        counts = reflection_summary(lessons=lessons, user_ids=user_ids, parents=0)
        shared = sum(count.shared for count in counts.values())
    return {"most_missed": most_missed, "shared_reflections": shared}
