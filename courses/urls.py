from django.urls import path

from courses.views import authoring, facilitator, parent

app_name = "courses"

group = "facilitator/groups/<int:pk>/"

urlpatterns = [
    path("dashboard/", parent.dashboard, name="dashboard"),
    path("courses/", parent.catalogue, name="catalogue"),
    path("courses/<slug:course_slug>/", parent.course, name="course"),
    path("courses/<slug:course_slug>/<slug:lesson_slug>/", parent.lesson, name="lesson"),
    path(
        "courses/<slug:course_slug>/<slug:lesson_slug>/complete/",
        parent.lesson_complete,
        name="lesson-complete",
    ),
    path(
        "courses/<slug:course_slug>/<slug:lesson_slug>/preview/",
        authoring.lesson_preview,
        name="lesson-preview",
    ),
    # Facilitators: every URL below that names a group goes through get_group_for_facilitator.
    path("facilitator/groups/", facilitator.groups, name="facilitator-groups"),
    path("facilitator/groups/new/", facilitator.group_new, name="facilitator-group-new"),
    path(group, facilitator.group_detail, name="facilitator-group"),
    path(group + "name/", facilitator.group_edit_name, name="facilitator-group-name"),
    path(group + "code/", facilitator.group_join_code, name="facilitator-group-code"),
    path(group + "archive/", facilitator.group_archive_toggle, name="facilitator-group-archive"),
    path(group + "invitations/", facilitator.group_invite, name="facilitator-invite"),
    path(
        group + "invitations/<int:invitation_pk>/cancel/",
        facilitator.group_invitation_cancel,
        name="facilitator-invitation-cancel",
    ),
    path(
        group + "facilitators/",
        facilitator.group_cofacilitator_add,
        name="facilitator-cofacilitator",
    ),
    path(
        group + "members/<int:user_pk>/remove/",
        facilitator.group_member_remove,
        name="facilitator-member-remove",
    ),
    path(group + "assignments/", facilitator.group_assignments, name="facilitator-assignments"),
    path(
        group + "assignments/<int:module_pk>/",
        facilitator.group_assignment_save,
        name="facilitator-assignment-save",
    ),
    path(
        group + "assignments/<int:module_pk>/remove/",
        facilitator.group_assignment_remove,
        name="facilitator-assignment-remove",
    ),
    path(group + "report/", facilitator.group_progress, name="facilitator-report"),
    path(group + "report.csv", facilitator.group_progress_csv, name="facilitator-report-csv"),
]
