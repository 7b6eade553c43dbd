from django.urls import path

from outcomes.views import facilitator, parent, staff

app_name = "outcomes"

checkin = "checkins/<slug:course_slug>/"
moment = checkin + "<str:moment>/"
group = "facilitator/groups/<int:pk>/"

urlpatterns = [
    # A parent's own check-ins: nobody else opens these pages' answers.
    path(checkin, parent.my_checkins, name="my-checkins"),
    path(checkin + "delete/", parent.checkin_delete, name="checkin-delete"),
    path(moment, parent.checkin_intro, name="checkin"),
    path(moment + "answer/", parent.checkin_answer, name="checkin-answer"),
    path(moment + "not-now/", parent.checkin_skip, name="checkin-skip"),
    # Facilitators: every URL naming a group goes through get_group_for_facilitator.
    path(group + "sessions/", facilitator.sessions, name="sessions"),
    path(
        group + "sessions/<int:session_pk>/",
        facilitator.session_attendance,
        name="session-attendance",
    ),
    path(
        group + "sessions/<int:session_pk>/change/",
        facilitator.session_edit,
        name="session-edit",
    ),
    path(
        group + "sessions/<int:session_pk>/delete/",
        facilitator.session_delete,
        name="session-delete",
    ),
    path(group + "guides/<int:module_pk>/", facilitator.session_guide, name="session-guide"),
    path(group + "outcomes/", facilitator.outcome_report, name="report"),
    path(group + "outcomes.csv", facilitator.outcome_report_csv, name="report-csv"),
    # Staff: a course across all its groups.
    path("outcomes/courses/<slug:course_slug>/", staff.course_report, name="course-report"),
    path(
        "outcomes/courses/<slug:course_slug>.csv",
        staff.course_report_csv,
        name="course-report-csv",
    ),
]
