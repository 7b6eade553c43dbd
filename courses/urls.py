from django.urls import path

from courses import views

app_name = "courses"

group = "facilitator/groups/<int:pk>/"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:course_slug>/", views.course, name="course"),
    path("courses/<slug:course_slug>/<slug:lesson_slug>/", views.lesson, name="lesson"),
    path(
        "courses/<slug:course_slug>/<slug:lesson_slug>/complete/",
        views.lesson_complete,
        name="lesson-complete",
    ),
    # Facilitators: every URL below that names a group goes through get_group_for_facilitator.
    path("facilitator/groups/", views.groups, name="facilitator-groups"),
    path("facilitator/groups/new/", views.group_new, name="facilitator-group-new"),
    path(group, views.group_detail, name="facilitator-group"),
    path(group + "name/", views.group_edit_name, name="facilitator-group-name"),
    path(group + "code/", views.group_join_code, name="facilitator-group-code"),
    path(group + "archive/", views.group_archive_toggle, name="facilitator-group-archive"),
    path(group + "invitations/", views.group_invite, name="facilitator-invite"),
    path(
        group + "invitations/<int:invitation_pk>/cancel/",
        views.group_invitation_cancel,
        name="facilitator-invitation-cancel",
    ),
    path(group + "facilitators/", views.group_cofacilitator_add, name="facilitator-cofacilitator"),
    path(
        group + "members/<int:user_pk>/remove/",
        views.group_member_remove,
        name="facilitator-member-remove",
    ),
    path(group + "assignments/", views.group_assignments, name="facilitator-assignments"),
    path(
        group + "assignments/<int:module_pk>/",
        views.group_assignment_save,
        name="facilitator-assignment-save",
    ),
    path(
        group + "assignments/<int:module_pk>/remove/",
        views.group_assignment_remove,
        name="facilitator-assignment-remove",
    ),
    path(group + "report/", views.group_progress, name="facilitator-report"),
    path(group + "report.csv", views.group_progress_csv, name="facilitator-report-csv"),
]
