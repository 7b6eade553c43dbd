"""
The outcome report: what a programme shows its funders, for one group (its facilitators) or a
whole course across its groups (staff).

- Taking part: parents, how many started and finished the course, sessions held, how many
  came to at least one, and the attendance rate (present marks out of the members expected,
  a member being expected at the sessions held since the day they joined).
- Check-ins: how many parents answered at each moment, how many have both a start and an end
  answer, and for each theme the mean change with its standard deviation and the paired effect
  size (outcomes/scoring.py). Every check-in figure goes through outcomes/privacy.py: none
  from fewer than 5 parents, and none a reader could subtract their way to.

Only members count: a parent who left the group, was removed or deleted their account is in no
figure. A parent in two groups of a course counts in each group, and once for the course.

A fixed number of queries whatever the number of parents: the members, the lessons (cached),
progress per member, the sessions, attendance per member, the check-in, its versions and the
members' answers. No view or file here shows one parent's answers (outcomes/funders.py makes
the funders' file).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Membership
from courses.content_cache import course_lessons
from courses.models import LessonProgress
from outcomes.checkins import checkin_shown
from outcomes.models import (
    Attendance,
    Checkin,
    CheckinResponse,
    CheckinVersion,
    GroupSession,
    Moment,
)
from outcomes.privacy import can_show, shown_parts
from outcomes.scoring import paired_change, theme_pairs, theme_scores


@dataclass
class Facts:
    """Everything the report needs about a set of parents, read once (see `facts_read`)."""

    members: dict  # user id -> set of group ids
    group_members: dict  # group id -> set of user ids
    joined: dict  # (group id, user id) -> local date joined
    lessons_total: int
    progress: dict  # user id -> (lessons started, lessons done)
    sessions: dict  # group id -> [session dates held so far]
    attended: dict  # user id -> sessions attended (held ones, in their groups)
    checkin: object  # Checkin or None
    themes: list  # [{"key", "title", "lang"}] of the newest version, in the page's language
    scores: dict  # moment -> {user id: {theme key: score}}


def facts_read(*, course, groups, today):
    """Read the facts for the members of `groups` (a queryset of ParentGroup)."""
    memberships = Membership.objects.filter(group__in=groups).values_list(
        "group_id", "user_id", "joined_at"
    )
    members = defaultdict(set)
    group_members = defaultdict(set)
    joined = {}
    tz = timezone.get_current_timezone()
    for group_id, user_id, joined_at in memberships:
        members[user_id].add(group_id)
        group_members[group_id].add(user_id)
        joined[group_id, user_id] = joined_at.astimezone(tz).date()
    user_ids = Membership.objects.filter(group__in=groups).values("user_id")

    lesson_ids = [lesson.pk for lesson in course_lessons(course)]
    progress = {
        user_id: (started, done)
        for user_id, started, done in LessonProgress.objects.filter(
            user_id__in=user_ids, lesson_id__in=lesson_ids
        )
        .values("user_id")
        .annotate(started=Count("id"), done=Count("id", filter=Q(completed_at__isnull=False)))
        .values_list("user_id", "started", "done")
    }

    # A session is held once its day has come and someone was marked present.
    sessions = defaultdict(list)
    for group_id, date in (
        GroupSession.objects.filter(group__in=groups, date__lte=today)
        .annotate(present=Count("attendance"))
        .filter(present__gt=0)
        .values_list("group_id", "date")
    ):
        sessions[group_id].append(date)
    # Present marks at held sessions of the parent's own groups (a parent removed from a group
    # keeps no marks there that count).
    attended = defaultdict(int)
    for user_id, group_id, count in (
        Attendance.objects.filter(
            session__group__in=groups, session__date__lte=today, user_id__in=user_ids
        )
        .values("user_id", "session__group_id")
        .annotate(count=Count("id"))
        .values_list("user_id", "session__group_id", "count")
    ):
        if group_id in members.get(user_id, ()):
            attended[user_id] += count

    checkin = Checkin.objects.filter(course=course).first()
    themes, scores = [], {moment: {} for moment in Moment.values}
    if checkin is not None:
        versions, newest = {}, None
        for version_id, number, content in CheckinVersion.objects.filter(
            checkin=checkin
        ).values_list("id", "number", "content"):
            versions[version_id] = content
            if newest is None or number > newest[0]:
                newest = (number, content)
        if newest:
            # Titles in the page's language; English ones say so (lang), for the tables and chart.
            themes = checkin_shown(checkin=checkin, content=newest[1])["themes"]
        for user_id, moment, version_id, answers in CheckinResponse.objects.filter(
            checkin=checkin, user_id__in=user_ids
        ).values_list("user_id", "moment", "version_id", "answers"):
            scores[moment][user_id] = theme_scores(content=versions[version_id], answers=answers)
    return Facts(
        members=dict(members),
        group_members=dict(group_members),
        joined=joined,
        lessons_total=len(lesson_ids),
        progress=progress,
        sessions=dict(sessions),
        attended=dict(attended),
        checkin=checkin,
        themes=themes,
        scores=scores,
    )


@dataclass
class Participation:
    parents: int
    started: int
    finished: int
    attended_any: int
    sessions_held: int
    present: int
    expected: int

    @property
    def attendance_percent(self):
        return round(100 * self.present / self.expected) if self.expected else None

    @property
    def funders_file(self):
        """Enough parents for the funders' file: the count the file itself is made for."""
        return can_show(self.parents)


def participation(facts, user_ids, group_ids):
    user_ids = set(user_ids)
    total = facts.lessons_total
    started = sum(1 for user_id in user_ids if facts.progress.get(user_id, (0, 0))[0] > 0)
    finished = sum(
        1 for user_id in user_ids if total and facts.progress.get(user_id, (0, 0))[1] >= total
    )
    expected = 0
    for group_id in group_ids:
        dates = facts.sessions.get(group_id, [])
        if not dates:
            continue
        for user_id in facts.group_members.get(group_id, set()) & user_ids:
            joined = facts.joined[group_id, user_id]
            expected += sum(1 for date in dates if joined <= date)
    present = sum(facts.attended.get(user_id, 0) for user_id in user_ids)
    return Participation(
        parents=len(user_ids),
        started=started,
        finished=finished,
        attended_any=sum(1 for user_id in user_ids if facts.attended.get(user_id)),
        sessions_held=sum(len(facts.sessions.get(group_id, [])) for group_id in group_ids),
        present=present,
        expected=max(expected, present),
    )


@dataclass
class ThemeFigures:
    key: str
    title: str
    change: object  # scoring.PairedChange of start -> end, or None when withheld
    follow_up: object  # PairedChange of start -> follow-up, or None when withheld
    lang: str = ""  # "en-GB" when the title is the English on a page in another language


@dataclass
class CheckinFigures:
    checkin: Checkin
    answered: dict  # moment -> number of parents, or None when withheld
    pairs: int
    follow_up_pairs: int
    themes: list = field(default_factory=list)

    @property
    def shown(self):
        return can_show(self.pairs)

    @property
    def follow_up_shown(self):
        return can_show(self.follow_up_pairs)

    @property
    def scale_max(self):
        return len(self.checkin.scale)


def _paired_users(facts, user_ids, before, after):
    return {
        user_id
        for user_id in user_ids
        if user_id in facts.scores[before] and user_id in facts.scores[after]
    }


def checkin_figures(facts, user_ids):
    """The check-in figures of these parents, each withheld under 5 parents."""
    if facts.checkin is None:
        return None
    user_ids = set(user_ids)
    answered = {}
    for moment in facts.checkin.moments:
        count = len(user_ids & facts.scores[moment].keys())
        answered[moment] = count if can_show(count) else None
    paired = _paired_users(facts, user_ids, Moment.START, Moment.END)
    followed = _paired_users(facts, user_ids, Moment.START, Moment.FOLLOW_UP)
    figures = CheckinFigures(
        checkin=facts.checkin, answered=answered, pairs=len(paired), follow_up_pairs=len(followed)
    )
    for theme in facts.themes:
        change = follow_up = None
        if figures.shown:
            change = _theme_change(facts, paired, Moment.END, theme["key"])
        if figures.follow_up_shown:
            follow_up = _theme_change(facts, followed, Moment.FOLLOW_UP, theme["key"])
        figures.themes.append(
            ThemeFigures(
                key=theme["key"],
                title=theme["title"],
                change=change,
                follow_up=follow_up,
                lang=theme.get("lang", ""),
            )
        )
    return figures


def _theme_change(facts, user_ids, after, theme):
    before_scores = {user_id: facts.scores[Moment.START][user_id] for user_id in user_ids}
    after_scores = {user_id: facts.scores[after][user_id] for user_id in user_ids}
    pairs = theme_pairs(before=before_scores, after=after_scores, theme=theme)
    # A parent who skipped every statement of one theme has no pair for it: the theme's own
    # figure is withheld if that leaves too few.
    return paired_change(pairs) if can_show(len(pairs)) else None


@dataclass
class OutcomeReport:
    title: str
    participation: Participation
    checkins: CheckinFigures | None
    groups: list = field(default_factory=list)  # GroupLine, for a course report


@dataclass
class GroupLine:
    group: object
    participation: Participation
    checkins: CheckinFigures | None  # None when the group's figures are withheld
    withheld: bool = False


def group_facts(*, group, today=None):
    """The facts of one group's members, and their ids."""
    today = today or timezone.localdate()
    facts = facts_read(course=group.course, groups=[group.pk], today=today)
    return facts, sorted(facts.group_members.get(group.pk, set()))


def group_outcomes(*, group, today=None):
    facts, user_ids = group_facts(group=group, today=today)
    return OutcomeReport(
        title=group.name,
        participation=participation(facts, user_ids, [group.pk]),
        checkins=checkin_figures(facts, user_ids),
    ), facts


def course_outcomes(*, course, groups, today=None):
    """The course across `groups` (every group of the course), with a line per group."""
    today = today or timezone.localdate()
    groups = list(groups)
    facts = facts_read(course=course, groups=[group.pk for group in groups], today=today)
    everyone = set(facts.members)
    report = OutcomeReport(
        title=course.tr("title"),
        participation=participation(facts, everyone, [group.pk for group in groups]),
        checkins=checkin_figures(facts, everyone),
    )
    in_group = facts.group_members
    # A group's check-in figures sit beside the course's: a group is shown only if hiding the
    # others still leaves no small remainder to subtract to (outcomes/privacy.py).
    paired = _paired_users(facts, everyone, Moment.START, Moment.END)
    shown = shown_parts({gid: in_group[gid] & paired for gid in in_group}, paired)
    for group in groups:
        members = in_group.get(group.pk, set())
        withheld = group.pk not in shown
        report.groups.append(
            GroupLine(
                group=group,
                participation=participation(facts, members, [group.pk]),
                checkins=None if withheld else checkin_figures(facts, members),
                withheld=withheld,
            )
        )
    return report, facts
