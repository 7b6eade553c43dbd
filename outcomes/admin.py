"""
Check-ins and session guides in the admin, edited like lessons. Staff see each check-in's
content, its versions and how many parents answered at each moment: never an answer, and never
who answered (no admin page lists CheckinResponse, CheckinDecline or Attendance rows).
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from outcomes.checkins import checkin_record_version
from outcomes.models import Checkin, CheckinStatement, CheckinTheme, CheckinVersion, SessionGuide


class ThemeInline(admin.TabularInline):
    model = CheckinTheme
    fields = ["position", "key", "title"]
    extra = 0


class StatementInline(admin.TabularInline):
    model = CheckinStatement
    fields = ["position", "theme", "key", "text", "reverse"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            checkin_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = CheckinTheme.objects.filter(checkin_id=checkin_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Checkin)
class CheckinAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "is_published", "answer_counts", "report_link"]
    fields = [
        "course",
        "title",
        "about",
        "intro",
        "scale",
        "follow_up_weeks",
        "is_published",
        "versions_list",
        "answer_counts",
        "report_link",
    ]
    readonly_fields = ["versions_list", "answer_counts", "report_link"]
    inlines = [ThemeInline, StatementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course")

    @admin.display(description=_("versions"))
    def versions_list(self, checkin):
        if not checkin.pk:
            return "-"
        versions = CheckinVersion.objects.filter(checkin=checkin).annotate(
            answers=Count("responses")
        )
        return format_html_join(
            "",
            "<p>v{} · {} · {}</p>",
            (
                (version.number, f"{version.created_at:%Y-%m-%d %H:%M}", version.answers)
                for version in versions
            ),
        )

    @admin.display(description=_("parents who answered (start / end / follow-up)"))
    def answer_counts(self, checkin):
        if not checkin.pk:
            return "-"
        counts = dict(
            checkin.responses.values("moment").annotate(n=Count("id")).values_list("moment", "n")
        )
        return " / ".join(str(counts.get(moment, 0)) for moment in ("start", "end", "follow_up"))

    @admin.display(description=_("outcome report"))
    def report_link(self, checkin):
        if not checkin.pk:
            return "-"
        url = reverse("outcomes:course-report", args=[checkin.course.slug])
        return format_html('<a href="{}">{}</a>', url, _("Outcome report for the course"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Freeze the statements as parents will now see them (a new version if they changed).
        checkin_record_version(checkin=form.instance)


@admin.register(SessionGuide)
class SessionGuideAdmin(admin.ModelAdmin):
    list_display = ["module", "course", "updated_at"]
    list_select_related = ["module__course"]
    fields = ["module", "agenda", "questions", "pause", "notes"]

    @admin.display(description=_("course"))
    def course(self, guide):
        return guide.module.course
