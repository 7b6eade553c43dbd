from django.urls import path

from accounts.views import account, data, groups, language

app_name = "accounts"

urlpatterns = [
    # A parent's groups: joining by code, link or invitation, and leaving.
    path("groups/", groups.my_groups, name="groups"),
    path("groups/join/", groups.join, name="join"),
    path("groups/join/<str:code>/", groups.join_link, name="join-link"),
    path("groups/<int:pk>/leave/", groups.leave, name="leave"),
    path("groups/invitation/<str:token>/", groups.invitation, name="invitation"),
    # A person's account: their name, and the way to passwords, addresses and data.
    path("account/", account.account, name="account"),
    path("account/child-age/", account.child_age, name="child-age"),
    # A person's own data.
    path("account/my-data/", data.my_data, name="my-data"),
    path("account/my-data/download/", data.my_data_download, name="my-data-download"),
    path("account/delete/", data.account_delete_view, name="delete"),
    # The language switcher in the header and footer of every page.
    path("language/", language.switch, name="language"),
]
