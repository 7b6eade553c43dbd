"""
This app's sections of a person's data export (accounts/personal_data.py): their check-in
answers, statement by statement with the words they answered, and the group sessions they
were marked present at. Two queries each, whatever the number of answers.
"""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import register_section
from outcomes.models import Attendance, CheckinDecline, CheckinResponse
from outcomes.scoring import theme_scores


def _when(value):
    return value.isoformat() if value else None


def _checkins(user):
    responses = CheckinResponse.objects.filter(user=user).select_related(
        "version", "checkin__course"
    )
    declines = CheckinDecline.objects.filter(user=user).select_related("checkin__course")
    answers = []
    for response in responses.order_by("created_at", "id"):
        content = response.version.content
        scale = content["scale"]
        answers.append(
            {
                "course": response.checkin.course.title,
                "check_in": response.checkin.title,
                "moment": response.moment,
                "version": response.version.number,
                "answered_at": _when(response.created_at),
                "answers": [
                    {
                        "statement": statement["text"],
                        "rating": response.answers.get(statement["key"]),
                        "label": scale[response.answers[statement["key"]] - 1]
                        if statement["key"] in response.answers
                        else None,
                    }
                    for statement in content["statements"]
                ],
                "theme_scores": {
                    theme["title"]: score
                    for theme in content["themes"]
                    for key, score in theme_scores(
                        content=content, answers=response.answers
                    ).items()
                    if key == theme["key"]
                },
            }
        )
    return {
        "answers": answers,
        "not_now": [
            {
                "course": decline.checkin.course.title,
                "moment": decline.moment or "all (stopped)",
                "at": _when(decline.created_at),
            }
            for decline in declines.order_by("created_at", "id")
        ],
    }


def _sessions(user):
    rows = Attendance.objects.filter(user=user).select_related("session__group", "session__module")
    return [
        {
            "group": row.session.group.name,
            "date": row.session.date.isoformat(),
            "module": row.session.module.title if row.session.module else None,
            "recorded_at": _when(row.recorded_at),
        }
        for row in rows.order_by("session__date", "id")
    ]


register_section(
    "check_ins",
    _checkins,
    kept=_("Your check-in answers, if you gave any (only you can see them)."),
)
register_section(
    "group_sessions", _sessions, kept=_("The group sessions you were marked present at.")
)
