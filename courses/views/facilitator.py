"""
Course pages for a group's facilitators: the modules planned for the group, its progress
report and CSV, and the reflections its parents shared, lesson by lesson. (Running the group
itself, its members, code and invitations, is the accounts app's: accounts/views/facilitator.py.)

Every page is wrapped in accounts.access.group_view, which logs the person in and fetches the
group through get_group_for_facilitator, the one helper that answers 404 to anyone who does not
facilitate it. A view cannot reach a group any other way.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.access import group_view
from courses.assignments import group_plan_save
from courses.forms import AssignmentForm
from courses.models import Lesson, Module
from courses.progress import STATUS_LABELS
from courses.reports import (
    Member,
    group_report,
    report_csv_lines,
    report_filename,
    shared_reflections_page,
)
from courses.reports.group import report_lessons
from courses.reports.members import member_rows, members_in_order

PLAN_FIELDS = ("planned", "opens_on", "due_on")  # a module's line of the plan form


def _lesson_of(group, lesson_pk):
    """A lesson the group's report shows (published, in the group's course); 404 otherwise."""
    return get_object_or_404(
        Lesson.objects.published()
        .select_related("module")
        .only("title", "translations", "module__title", "module__translations"),
        pk=lesson_pk,
        module__course_id=group.course_id,
    )


@group_view(["GET", "POST"])
def group_assignments(request, group):
    """The group's plan: every module of the course in one form, saved all at once."""
    modules = list(Module.objects.published().filter(course_id=group.course_id))
    assignments = {a.module_id: a for a in group.assignments.all()}
    data = request.POST if request.method == "POST" else None
    rows = []
    for number, module in enumerate(modules, start=1):
        assignment = assignments.get(module.pk)
        initial = {"planned": assignment is not None}
        if assignment is not None:
            initial.update(opens_on=assignment.opens_on, due_on=assignment.due_on)
        form = AssignmentForm(data, initial=initial, prefix=f"m{module.pk}")
        rows.append({"number": number, "module": module, "assignment": assignment, "form": form})
    status = 200
    if data is not None:
        status = 400
        if all([row["form"].is_valid() for row in rows]):
            plan = [
                (row["module"], *(row["form"].cleaned_data[k] for k in PLAN_FIELDS)) for row in rows
            ]
            try:
                group_plan_save(group=group, plan=plan)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, gettext("The group's plan is saved."))
                return redirect(reverse("courses:facilitator-assignments", args=[group.pk]))
    return render(
        request,
        "courses/facilitator/assignments.html",
        {"group": group, "rows": rows, "problems": _plan_problems(rows)},
        status=status,
    )


def _plan_problems(rows):
    """
    The plan form's errors for the summary at the top of the page, module by module, each
    linked to the field to fix (or the module's fieldset, for an error of the whole line).
    """
    problems = []
    for row in rows:
        form = row["form"]
        for name, errors in form.errors.items():
            anchor = (
                f"module-{row['module'].pk}"
                if name == NON_FIELD_ERRORS
                else form[name].id_for_label
            )
            problems += [
                {"number": row["number"], "anchor": anchor, "message": error} for error in errors
            ]
    return problems


@group_view()
def group_progress(request, group):
    report = group_report(group=group, page=request.GET.get("page"))
    return render(request, "courses/facilitator/report.html", {"group": group, "report": report})


@group_view()
def group_member_progress(request, group, user_pk):
    """
    One member's lessons in the group's course, module by module: the report's row for one
    parent, readable on a phone. Progress only, never what they wrote. 404 for anyone who is
    not (or no longer) a member of this group.
    """
    found = members_in_order(group).filter(user_id=user_pk).first()
    if found is None:
        raise Http404("Not a member of this group.")
    lessons = report_lessons(group)
    [row] = member_rows(members=[Member(*found)], lessons=lessons, today=timezone.localdate())
    modules = []
    for lesson, status in zip(lessons, row.statuses, strict=True):
        if not modules or modules[-1]["module"].pk != lesson.module_id:
            modules.append({"module": lesson.module, "number": len(modules) + 1, "lessons": []})
        modules[-1]["lessons"].append((lesson, status, STATUS_LABELS[status]))
    return render(
        request,
        "courses/facilitator/member_progress.html",
        {"group": group, "row": row, "modules": modules},
    )


@group_view()
def group_progress_csv(request, group):
    # Streams the rows page by page rather than building the whole report (memory flat in the
    # group's size); courses/reports/ keeps the numbers the same as the page's.
    response = StreamingHttpResponse(report_csv_lines(group=group), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(group)}"'
    return response


@group_view()
def group_shared_reflections(request, group, lesson_pk):
    lesson = _lesson_of(group, lesson_pk)
    # An archived group is over: its parents no longer see it, so their shared words are no
    # longer shown to it either (as on the report).
    page = (
        None
        if group.is_archived
        else shared_reflections_page(group=group, lesson=lesson, number=request.GET.get("page"))
    )
    return render(
        request,
        "courses/facilitator/shared_reflections.html",
        {"group": group, "lesson": lesson, "page": page},
    )
