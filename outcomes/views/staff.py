"""Staff's outcome report for a whole course across its groups, and its funders' file."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import ParentGroup
from outcomes.access import get_course_for_staff
from outcomes.chart import change_chart
from outcomes.privacy import MIN_PARENTS
from outcomes.reports import course_outcomes, facts_read
from outcomes.views.facilitator import funders_response


def _report(course):
    groups = ParentGroup.objects.filter(course=course).order_by("name", "pk")
    return course_outcomes(course=course, groups=groups)


@login_required
def course_report(request, course_slug):
    course = get_course_for_staff(request.user, course_slug)
    report, _facts = _report(course)
    chart = change_chart(figures=report.checkins, chart_id="chart") if report.checkins else None
    return render(
        request,
        "outcomes/course_report.html",
        {
            "course": course,
            "report": report,
            "chart": chart,
            "min_parents": MIN_PARENTS,
            "csv_url": reverse("outcomes:course-report-csv", args=[course.slug]),
        },
    )


@login_required
def course_report_csv(request, course_slug):
    course = get_course_for_staff(request.user, course_slug)
    groups = ParentGroup.objects.filter(course=course).values_list("pk", flat=True)
    facts = facts_read(course=course, groups=list(groups), today=timezone.localdate())
    return funders_response(
        request,
        facts,
        list(facts.members),
        course.slug,
        report_url=reverse("outcomes:course-report", args=[course.slug]),
    )
