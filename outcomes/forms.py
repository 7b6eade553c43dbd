"""Forms for planning a group's sessions and recording who came."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import TitleChoiceField
from courses.models import Module
from outcomes.models import GroupSession

PLACE_MAX_LENGTH = 200


class SessionForm(forms.ModelForm):
    key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = GroupSession
        fields = ["date", "time", "module", "place"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"place": _("Where (a room, or a note about the video call)")}
        field_classes = {"module": TitleChoiceField}

    def __init__(self, *args, group, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["module"].queryset = Module.objects.published().filter(
            course_id=group.course_id
        )
        self.fields["module"].empty_label = _("No particular module")
        self.fields["place"].help_text = _(
            "Only facilitators and staff see this, not parents. Even so, please leave out "
            "passwords and meeting codes."
        )

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if abs((date - today).days) > 3 * 366:
            raise forms.ValidationError(_("Please choose a date within three years of today."))
        return date

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())


class SessionChangeForm(SessionForm):
    """The same fields for a session already planned, which has its key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["key"]


class MembersField(forms.TypedMultipleChoiceField):
    """Ids of parents: one who left the group since the page was drawn is dropped, not an error
    (outcomes/sessions.py keeps only members), so the other ticks are not lost."""

    def valid_value(self, value):
        return True


class AttendanceForm(forms.Form):
    present = MembersField(
        label=_("Tap each parent who came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(user_id, name) for user_id, name in members]
