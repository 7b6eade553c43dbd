"""The outbox, read-only: what was sent, to whom, when, of which kind, and what failed and why."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reminders.models import Announcement, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at", "error"]
    list_filter = ["kind", "status"]
    search_fields = ["user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    fields = [
        "kind",
        "recipient",
        "occasion",
        "status",
        "attempts",
        "error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("to"), ordering="user__email")
    def recipient(self, message):
        return message.user.email

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["created_at", "group", "author", "text"]
    list_select_related = ["group", "author"]
    search_fields = ["group__name"]
    readonly_fields = ["group", "author", "text", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
