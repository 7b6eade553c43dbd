import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reminders.models import (
    ANNOUNCEMENT_MAX_LENGTH,
    NUDGE_NOTE_MAX_LENGTH,
    PARENT_KINDS,
    ReminderPreference,
)


def hour_label(hour):
    return f"{hour:02d}:00"


class PreferenceForm(forms.ModelForm):
    """Each kind on or off, the preferred hour, and (for facilitators) the digest per group."""

    hour = forms.TypedChoiceField(
        label=_("The hour I like to get them"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    digest_groups = forms.MultipleChoiceField(
        label=_("Weekly digest on Monday, for these groups"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "How many parents started and finished, who has been away, new shared reflections."
        ),
    )

    class Meta:
        model = ReminderPreference
        fields = [*[str(kind) for kind in PARENT_KINDS], "hour"]

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.REMINDERS_DEFAULT_HOUR
        # The site's clock named by its time now, which a parent can set beside their own.
        self.fields["hour"].help_text = _(
            "In the site's time zone, where it is %(now)s now. Reminders come at this hour or a "
            "little after. Announcements and kind words from your facilitator come when they "
            "are sent."
        ) % {"now": timezone.localtime().strftime("%H:%M")}
        self.fields["hour"].choices = [
            ("", _("%(hour)s (the usual time)") % {"hour": hour_label(default)}),
            *[(hour, hour_label(hour)) for hour in range(24) if hour != default],
        ]
        if groups:
            self.fields["digest_groups"].choices = [(str(g.pk), g.name) for g in groups]
        else:
            del self.fields["digest_groups"]


class AnnouncementForm(forms.Form):
    text = forms.CharField(
        label=_("Announcement"),
        max_length=ANNOUNCEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on the members' dashboards and emailed to them, e.g. “No session next Tuesday.”"
        ),
    )
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write the announcement."))
        return text


class NudgeForm(forms.Form):
    note = forms.CharField(
        label=_("A sentence of your own (optional)"),
        max_length=NUDGE_NOTE_MAX_LENGTH,
        required=False,
    )
