from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_groups, name="groups"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join-link"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
