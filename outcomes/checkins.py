"""
Check-ins for a parent: when one is offered, saving their answers, "not now", and deleting
their answers. Only the parent ever reads their own answers (outcomes/access.py); everyone
else gets group figures (outcomes/reports.py).

When each moment is open and when it is offered (a gentle card on the dashboard and course
page, never in the way of a lesson) is decided by `moment_open` and `moment_offered`, plain
functions of what the parent has done, so they are tested on their own.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from courses.translation import ENGLISH_LANG, current_language
from outcomes.models import (
    Checkin,
    CheckinDecline,
    CheckinResponse,
    CheckinStatement,
    CheckinTheme,
    CheckinVersion,
    Moment,
)
from outcomes.scoring import theme_scores

# The start check-in is offered (on a card) until the parent has finished this many lessons:
# before or at the first lesson. They can still open it later from "My check-ins".
START_OFFERED_UNTIL_DONE = 1


# Content and versions ---------------------------------------------------------------------


def checkin_content(*, checkin):
    """The check-in's statements, themes and scale as they are now, as a version stores them."""
    themes = list(CheckinTheme.objects.filter(checkin=checkin).order_by("position", "id"))
    statements = (
        CheckinStatement.objects.filter(checkin=checkin)
        .select_related("theme")
        .order_by("position", "id")
    )
    return {
        "scale": [str(label) for label in checkin.scale],
        "themes": [{"key": theme.key, "title": theme.title} for theme in themes],
        "statements": [
            {
                "key": statement.key,
                "theme": statement.theme.key,
                "text": statement.text,
                "reverse": statement.reverse,
            }
            for statement in statements
        ],
    }


@transaction.atomic
def checkin_record_version(*, checkin):
    """
    Freeze the check-in's current statements as a new CheckinVersion unless the latest version
    already says exactly this. Returns (version, created).
    """
    # Lock the check-in, so two saves at once cannot both make version n + 1.
    Checkin.objects.select_for_update().filter(pk=checkin.pk).first()
    content = checkin_content(checkin=checkin)
    latest = CheckinVersion.objects.latest_for(checkin)
    if latest is not None and latest.content == content:
        return latest, False
    number = latest.number + 1 if latest else 1
    return CheckinVersion.objects.create(checkin=checkin, number=number, content=content), True


def checkin_current_version(*, checkin):
    """The version parents answer now (recorded first if the statements changed unrecorded)."""
    return checkin_record_version(checkin=checkin)[0]


def checkin_shown(*, checkin, content, language=None):
    """
    A version's content (scale, themes, statements) in the page's language: each text from the
    check-in's translation when that translates the very English of this version, else the
    English with `lang` set (en-GB). No query: the translations are on the check-in row.
    """
    language = language or current_language()
    found = checkin.translation(language) if language else {}

    def pick(pairs, key, english):
        pair = pairs.get(key)
        if pair and pair[0] == english:
            return {"lang": ""}, pair[1]
        return {"lang": ENGLISH_LANG if language else ""}, english

    themes = []
    for theme in content["themes"]:
        extra, title = pick(found.get("themes") or {}, theme["key"], theme["title"])
        themes.append({**theme, **extra, "title": title})
    statements = []
    for statement in content["statements"]:
        extra, text = pick(found.get("statements") or {}, statement["key"], statement["text"])
        statements.append({**statement, **extra, "text": text})
    return {
        **content,
        "scale": _scale_in(found, content["scale"]),
        "themes": themes,
        "statements": statements,
    }


def scale_shown(*, checkin, labels, language=None):
    """
    The scale's labels in the page's language: each label's translation when the check-in's
    translation names that very English label, else the English. No query.
    """
    language = language or current_language()
    return _scale_in(checkin.translation(language) if language else {}, labels)


def _scale_in(found, labels):
    """`labels` from `found`, a check-in's translation: a label's own, else the English."""
    scale = dict(tuple(pair) for pair in found.get("scale") or [])
    return [scale.get(label, label) for label in labels]


# When a check-in is open and offered -------------------------------------------------------


@dataclass(frozen=True)
class ParentCheckins:
    """What the parent has done with a course's check-in: answered and declined moments."""

    answered: frozenset
    declined: frozenset  # moments they said "not now" to
    withdrawn: bool  # they stopped the check-ins for this course


def follow_up_day(*, finished_on, weeks):
    return finished_on + datetime.timedelta(weeks=weeks) if finished_on and weeks else None


def moment_open(*, moment, checkin, state, done, total, finished_on, today):
    """Whether the parent may answer this moment now (whatever they declined before)."""
    if moment in state.answered or moment not in checkin.moments:
        return False
    complete = total > 0 and done >= total
    if moment == Moment.START:
        return not complete and Moment.END not in state.answered
    if moment == Moment.END:
        return complete
    due = follow_up_day(finished_on=finished_on, weeks=checkin.follow_up_weeks)
    return due is not None and today >= due


def moment_offered(*, checkin, state, done, total, finished_on, today):
    """
    The moment to offer on a card now, or None: start before or at the first lesson, end once
    the course is complete, the follow-up from `follow_up_weeks` after finishing (to parents
    who answered at the start or end). Never one they declined, never after they withdrew.
    """
    if state.withdrawn:
        return None
    for moment in checkin.moments:
        if moment in state.declined or not moment_open(
            moment=moment,
            checkin=checkin,
            state=state,
            done=done,
            total=total,
            finished_on=finished_on,
            today=today,
        ):
            continue
        if moment == Moment.START and done > START_OFFERED_UNTIL_DONE:
            continue
        if moment == Moment.FOLLOW_UP and not state.answered & {Moment.START, Moment.END}:
            continue
        return moment
    return None


def state_of(checkin):
    """The ParentCheckins of a check-in read with Checkin.objects.with_state_of(user)."""
    return ParentCheckins(
        answered=frozenset(m for m in Moment.values if getattr(checkin, f"answered_{m}")),
        declined=frozenset(m for m in Moment.values if getattr(checkin, f"declined_{m}")),
        withdrawn=checkin.withdrawn,
    )


def course_checkin_annotations():
    """
    {attribute: function(user) -> expression} for courses.progress.COURSE_ANNOTATIONS: the
    course's published check-in (its id and follow-up weeks) and what the user did with it, on
    the course row the dashboard and course page read anyway (no query of their own).
    """
    published = Checkin.objects.published().filter(course=OuterRef("pk"))
    found = {
        "checkin_pk": lambda user: Subquery(published.values("pk")[:1]),
        "checkin_follow_up_weeks": lambda user: Subquery(published.values("follow_up_weeks")[:1]),
    }

    def answered(moment):
        return lambda user: Exists(
            CheckinResponse.objects.filter(
                checkin__course=OuterRef("pk"), checkin__is_published=True, user=user, moment=moment
            )
        )

    def declined(moment):
        return lambda user: Exists(
            CheckinDecline.objects.filter(
                checkin__course=OuterRef("pk"), checkin__is_published=True, user=user, moment=moment
            )
        )

    for moment in Moment.values:
        found[f"checkin_answered_{moment}"] = answered(moment)
        found[f"checkin_declined_{moment}"] = declined(moment)
    found["checkin_withdrawn"] = declined(CheckinDecline.ALL)
    return found


def checkin_from_course(course):
    """
    (check-in, ParentCheckins) from a course read with course_checkin_annotations: the
    check-in as an unsaved stand-in with its id and follow-up weeks; (None, None) if the
    course has no published check-in; KeyError if the course was read without them.
    """
    if not hasattr(course, "checkin_pk"):
        raise KeyError("The course was read without the check-in annotations.")
    if course.checkin_pk is None:
        return None, None
    checkin = Checkin(
        pk=course.checkin_pk, course=course, follow_up_weeks=course.checkin_follow_up_weeks
    )
    state = ParentCheckins(
        answered=frozenset(m for m in Moment.values if getattr(course, f"checkin_answered_{m}")),
        declined=frozenset(m for m in Moment.values if getattr(course, f"checkin_declined_{m}")),
        withdrawn=course.checkin_withdrawn,
    )
    return checkin, state


def parent_checkins(*, user, checkin):
    """The parent's answered and declined moments: one query."""
    return state_of(Checkin.objects.with_state_of(user).get(pk=checkin.pk))


# Writing ------------------------------------------------------------------------------------


def _clean_answers(*, version, data):
    """{statement key: rating} from submitted data; ValidationError naming what is missing."""
    scale_max = version.scale_max
    answers = {}
    missing = []
    for number, statement in enumerate(version.content["statements"], start=1):
        raw = str(data.get(statement["key"], "")).strip()
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= scale_max):
            missing.append(number)
            continue
        answers[statement["key"]] = int(raw)
    if missing:
        raise ValidationError(
            _("Please choose an answer for statement %(numbers)s.")
            % {"numbers": ", ".join(str(number) for number in missing)},
            code="missing",
        )
    return answers


@transaction.atomic
def response_save(*, user, checkin, moment, data, version):
    """
    Save the parent's answers to one moment on the version they were shown. Answering again
    (a double submit) keeps the first answers. Answering lifts any "not now" or withdrawal.
    Returns (response, created).
    """
    if version.checkin_id != checkin.pk:
        raise ValidationError(_("These statements belong to another check-in."))
    answers = _clean_answers(version=version, data=data)
    try:
        with transaction.atomic():
            response = CheckinResponse.objects.create(
                user=user, checkin=checkin, version=version, moment=moment, answers=answers
            )
    except IntegrityError:
        return CheckinResponse.objects.get(user=user, checkin=checkin, moment=moment), False
    CheckinDecline.objects.filter(user=user, checkin=checkin, moment__in=[moment, ""]).delete()
    return response, True


def checkin_decline(*, user, checkin, moment):
    """Remember "not now" for one moment (or, with moment "", stop the check-ins)."""
    CheckinDecline.objects.bulk_create(
        [CheckinDecline(user=user, checkin=checkin, moment=moment)], ignore_conflicts=True
    )


@transaction.atomic
def responses_delete(*, user, checkin, withdraw=False):
    """Delete every answer the parent gave to this check-in; with `withdraw`, stop asking."""
    deleted, _ = CheckinResponse.objects.filter(user=user, checkin=checkin).delete()
    if withdraw:
        checkin_decline(user=user, checkin=checkin, moment=CheckinDecline.ALL)
    return deleted


# A parent's own results ----------------------------------------------------------------------


@dataclass
class ThemeResult:
    key: str
    title: str
    scores: dict  # moment -> score or None
    lang: str = ""  # "en-GB" when the title is the English on a page in another language


def own_results(*, user, checkin):
    """
    The parent's theme scores at each moment they answered, for their eyes only. Themes come
    from the newest version they answered, in its order. Two queries.
    """
    responses = list(
        CheckinResponse.objects.filter(user=user, checkin=checkin).select_related("version")
    )
    by_moment = {
        response.moment: theme_scores(content=response.version.content, answers=response.answers)
        for response in responses
    }
    if not responses:
        return [], {}
    newest = max(responses, key=lambda response: response.version.number).version
    results = [
        ThemeResult(
            key=theme["key"],
            title=theme["title"],
            scores={moment: scores.get(theme["key"]) for moment, scores in by_moment.items()},
            lang=theme["lang"],
        )
        for theme in checkin_shown(checkin=checkin, content=newest.content)["themes"]
    ]
    return results, {response.moment: response for response in responses}
