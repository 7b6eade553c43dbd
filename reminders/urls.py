from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("account/reminders/", views.preferences, name="preferences"),
    path(
        "account/reminders/calendar/<int:pk>/renew/",
        views.calendar_renew,
        name="calendar-renew",
    ),
    # Bearer addresses: calendar apps and one-click unsubscribe cannot log in.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Facilitators: every group is looked up through get_group_for_facilitator.
    path(
        "facilitator/groups/<int:pk>/announcements/",
        views.announcement_post_view,
        name="announcement-post",
    ),
    path(
        "facilitator/groups/<int:pk>/nudge/<int:user_pk>/",
        views.nudge_view,
        name="nudge",
    ),
]
