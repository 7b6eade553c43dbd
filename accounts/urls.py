from django.urls import path

from accounts.views import account, data, facilitator, groups, language

app_name = "accounts"

group = "facilitator/groups/<int:pk>/"

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
    # Facilitators running their groups: every URL that names a group goes through
    # accounts.access.group_view (get_group_for_facilitator: 404 to anyone else).
    path("facilitator/groups/", facilitator.groups, name="facilitator-groups"),
    path("facilitator/groups/new/", facilitator.group_new, name="facilitator-group-new"),
    path(group, facilitator.group_detail, name="facilitator-group"),
    path(group + "name/", facilitator.group_edit_name, name="facilitator-group-name"),
    path(group + "language/", facilitator.group_edit_language, name="facilitator-group-language"),
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
]
