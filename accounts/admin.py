from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation, Membership, ParentGroup, User


@admin.action(description=_("Make the selected people facilitators"))
def make_facilitators(modeladmin, request, queryset):
    count = queryset.exclude(role=User.Role.FACILITATOR).update(role=User.Role.FACILITATOR)
    modeladmin.message_user(
        request,
        ngettext("%(count)d person made facilitator.", "%(count)d people made facilitators.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Take the facilitator role away (their groups are kept)"))
def remove_facilitators(modeladmin, request, queryset):
    count = queryset.filter(role=User.Role.FACILITATOR).update(role=User.Role.PARENT)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d person is no longer a facilitator.",
            "%(count)d people are no longer facilitators.",
            count,
        )
        % {"count": count},
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    actions = [make_facilitators, remove_facilitators]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "role", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "joined_at"]
    readonly_fields = ["joined_at"]
    raw_id_fields = ["user"]
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["email", "sent_at", "expires_at", "accepted_at", "accepted_by"]
    readonly_fields = fields
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # invitations are sent from the facilitator's group page, with an email


@admin.register(ParentGroup)
class ParentGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "join_code", "created_at", "archived_at"]
    list_filter = ["course", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "facilitators__email"]
    list_select_related = ["course"]
    filter_horizontal = ["facilitators"]
    # The code is made and turned off from the facilitator's page, where it is always valid.
    readonly_fields = ["join_code", "created_at"]
    fields = [
        "name",
        "course",
        "facilitators",
        "language",
        "join_code",
        "archived_at",
        "created_at",
    ]
    inlines = [MembershipInline, InvitationInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "facilitators":
            kwargs["queryset"] = User.objects.filter(role=User.Role.FACILITATOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
