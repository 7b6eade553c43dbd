"""
Facilitators' pages for one group: its sessions and who came, each module's printable session
guide, and the outcome report with the funders' file. Every page goes through courses'
`group_view`, and so through accounts.access.get_group_for_facilitator (404 to anyone else).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Module
from courses.views.facilitator import group_view
from outcomes.access import get_module_for_group, get_session_for_group
from outcomes.chart import change_chart
from outcomes.forms import AttendanceForm, SessionChangeForm, SessionForm
from outcomes.funders import TooFewParents, funders_csv_lines, funders_filename
from outcomes.privacy import MIN_PARENTS
from outcomes.reports import group_facts, group_outcomes
from outcomes.sessions import (
    attendance_record,
    group_sessions,
    guide_group_figures,
    members_for_attendance,
    session_change,
    session_plan,
    session_present_ids,
)


def _sessions_page(request, group, form, status=200):
    sessions = group_sessions(group=group)
    today = timezone.localdate()
    guides = set(
        Module.objects.filter(course_id=group.course_id, session_guide__isnull=False)
        .published()
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "outcomes/facilitator/sessions.html",
        {
            "group": group,
            "form": form,
            "past": [session for session in sessions if session.date <= today],
            "upcoming": [session for session in sessions if session.date > today],
            "guides": guides,
            "modules": Module.objects.published()
            .filter(course_id=group.course_id, session_guide__isnull=False)
            .order_by("position", "id"),
        },
        status=status,
    )


@group_view(methods=("GET", "POST"))
def sessions(request, group):
    form = SessionForm(request.POST or None, group=group)
    if request.method == "POST":
        if form.is_valid():
            try:
                session, created = session_plan(
                    group=group,
                    key=form.cleaned_data["key"],
                    date=form.cleaned_data["date"],
                    time=form.cleaned_data["time"],
                    module=form.cleaned_data["module"],
                    place=form.cleaned_data["place"],
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("outcomes:sessions", pk=group.pk)
            if created:
                messages.success(request, _("The session is planned."))
            return redirect("outcomes:sessions", pk=group.pk)
        return _sessions_page(request, group, form, status=400)
    return _sessions_page(request, group, form)


@group_view(methods=("GET", "POST"))
def session_attendance(request, group, session_pk):
    session = get_session_for_group(group, session_pk)
    members = members_for_attendance(group=group)
    if request.method == "POST":
        form = AttendanceForm(request.POST, members=members)
        if form.is_valid():
            try:
                count = attendance_record(
                    session=session,
                    present=form.cleaned_data["present"],
                    members=[user_id for user_id, _name in members],
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    _("Saved: %(count)s of %(members)s parents came.")
                    % {"count": count, "members": len(members)},
                )
                return redirect("outcomes:sessions", pk=group.pk)
        status = 400
    else:
        form = AttendanceForm(
            initial={"present": sorted(session_present_ids(session=session))}, members=members
        )
        status = 200
    return render(
        request,
        "outcomes/facilitator/attendance.html",
        {
            "group": group,
            "session": session,
            "form": form,
            "members": members,
            "is_future": session.date > timezone.localdate(),
        },
        status=status,
    )


@group_view(methods=("GET", "POST"))
def session_edit(request, group, session_pk):
    session = get_session_for_group(group, session_pk)
    day = session.date  # the form writes what was typed onto the session while it checks it
    form = SessionChangeForm(request.POST or None, instance=session, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            session_change(
                session=session,
                group=group,
                **{name: form.cleaned_data[name] for name in ("date", "time", "module", "place")},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is changed."))
            return redirect("outcomes:session-attendance", pk=group.pk, session_pk=session.pk)
    return render(
        request,
        "outcomes/facilitator/session_edit.html",
        {"group": group, "session": session, "day": day, "form": form},
        status=400 if form.errors else 200,
    )


@group_view(methods=("POST",))
def session_delete(request, group, session_pk):
    session = get_session_for_group(group, session_pk)
    session.delete()
    messages.success(request, _("The session and its attendance are removed."))
    return redirect("outcomes:sessions", pk=group.pk)


@group_view()
def session_guide(request, group, module_pk):
    module = get_module_for_group(group, module_pk)
    return render(
        request,
        "outcomes/facilitator/guide.html",
        {
            "group": group,
            "module": module,
            "guide": module.session_guide,
            **guide_group_figures(group=group, module=module),
        },
    )


@group_view()
def outcome_report(request, group):
    report, _facts = group_outcomes(group=group)
    chart = change_chart(figures=report.checkins, chart_id="chart") if report.checkins else None
    return render(
        request,
        "outcomes/facilitator/report.html",
        {
            "group": group,
            "report": report,
            "chart": chart,
            "min_parents": MIN_PARENTS,
            "csv_url": reverse("outcomes:report-csv", args=[group.pk]),
        },
    )


@group_view()
def outcome_report_csv(request, group):
    facts, user_ids = group_facts(group=group)
    report_url = reverse("outcomes:report", args=[group.pk])
    return funders_response(request, facts, user_ids, group.name, report_url=report_url)


def funders_response(request, facts, user_ids, name, report_url):
    """The funders' file, or a page saying why there is none (too few parents)."""
    try:
        lines = list(funders_csv_lines(facts=facts, user_ids=user_ids))
    except TooFewParents:
        return render(
            request, "outcomes/too_few.html", {"min_parents": MIN_PARENTS, "back_url": report_url}
        )
    response = StreamingHttpResponse(lines, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{funders_filename(name)}"'
    return response
