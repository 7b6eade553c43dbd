"""
What a programme needs to show that it helps, kept apart from the lessons:

- Check-ins: a short set of statements a parent rates on a scale, grouped into themes, some
  scored in reverse, offered at the start and end of a course and again some weeks later.
  Checkin, CheckinTheme and CheckinStatement are content (loaded from checkin.md beside the
  course's lessons and edited in the admin). Every distinct state of the statements is frozen
  as a CheckinVersion, and each CheckinResponse points at the version it answered, so an edit
  never changes what an old answer meant.
- A parent's answers (CheckinResponse) and their "not now" (CheckinDecline) are theirs: only
  they see them; facilitators and admins get group figures from 5 parents up
  (outcomes/privacy.py). They go with the parent's account (CASCADE).
- Group sessions (GroupSession) with the module they cover, and who came (Attendance).
- Session guides (SessionGuide), one per module, edited like lessons (guide.md files).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from courses.markdown import render_markdown
from courses.translation import Translatable


class Moment(models.TextChoices):
    START = "start", _("at the start")
    END = "end", _("at the end")
    FOLLOW_UP = "follow_up", _("some weeks later")


class CheckinQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_state_of(self, user):
        """
        Annotate what the user did with each check-in (answered or declined each moment, or
        withdrew) in the same query; read it with outcomes.checkins.state_of(checkin).
        """
        answered = CheckinResponse.objects.filter(checkin=OuterRef("pk"), user=user)
        declined = CheckinDecline.objects.filter(checkin=OuterRef("pk"), user=user)
        annotations = {}
        for moment in Moment.values:
            annotations[f"answered_{moment}"] = Exists(answered.filter(moment=moment))
            annotations[f"declined_{moment}"] = Exists(declined.filter(moment=moment))
        annotations["withdrawn"] = Exists(declined.filter(moment=""))
        return self.annotate(**annotations)


class Checkin(Translatable, models.Model):
    """A course's check-in: its intro, its scale, and when it is offered."""

    # `scale`, `themes` and `statements` keep each translated text with the English it
    # translates ([English, translation] pairs; themes and statements by key), so a version
    # with other English words is shown in English (outcomes/checkins.py checkin_shown).
    TRANSLATED = ("title", "about", "intro", "intro_html", "scale", "themes", "statements")
    MARKDOWN = {"intro": "intro_html"}

    # Content goes with its course; parents' answers protect it (CheckinResponse: PROTECT).
    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, related_name="checkin"
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Markdown: what the check-in is for.")
    )
    intro_html = models.TextField(blank=True, editable=False)
    # Shown wherever the check-in or its figures appear, e.g. that it is a reflection aid and
    # not a validated clinical measure (or, for a licensed questionnaire, its source).
    about = models.CharField(_("what kind of measure this is"), max_length=300)
    scale = models.JSONField(
        _("scale labels"),
        default=list,
        help_text=_("The labels of the scale from its lowest point (1) to its highest."),
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("follow-up after (weeks)"),
        default=8,
        help_text=_("Weeks after finishing the course; 0 for no follow-up."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckinQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro = self.intro.replace("\r\n", "\n")
        self.intro_html = render_markdown(self.intro)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "intro_html"}
        super().save(*args, **kwargs)

    def clean(self):
        if not isinstance(self.scale, list) or not 2 <= len(self.scale) <= 11:
            raise ValidationError({"scale": _("Give the scale 2 to 11 labels, lowest first.")})
        if not all(isinstance(label, str) and label.strip() for label in self.scale):
            raise ValidationError({"scale": _("Every point of the scale needs a label.")})

    @property
    def moments(self):
        """The moments this check-in is offered at, in order."""
        found = [Moment.START, Moment.END]
        return [*found, Moment.FOLLOW_UP] if self.follow_up_weeks else found


class CheckinTheme(models.Model):
    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(
        _("key"), help_text=_("Stays the same when the title changes; scores are matched by it.")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        ordering = ["checkin", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "key"], name="outcomes_theme_key_unique")
        ]

    def __str__(self):
        return self.title


class CheckinStatement(models.Model):
    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="statements")
    theme = models.ForeignKey(CheckinTheme, on_delete=models.CASCADE, related_name="statements")
    key = models.SlugField(_("key"))
    text = models.CharField(_("statement"), max_length=300)
    reverse = models.BooleanField(
        _("scored in reverse"),
        default=False,
        help_text=_("A high rating means less of the theme (e.g. 'I often snap')."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("statement")
        ordering = ["checkin", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "key"], name="outcomes_statement_key_unique")
        ]

    def __str__(self):
        return self.text


class CheckinVersionQuerySet(models.QuerySet):
    def latest_for(self, checkin):
        return self.filter(checkin=checkin).order_by("-number").first()


class CheckinVersion(models.Model):
    """
    The statements, themes and scale exactly as parents saw them, frozen. A new version is
    made whenever they change (outcomes/checkins.py checkin_record_version); rows are never
    updated, so an answer always knows what it answered.
    """

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # {"scale": [labels], "themes": [{"key", "title"}],
    #  "statements": [{"key", "theme", "text", "reverse"}]}
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckinVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in version")
        ordering = ["checkin", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "number"], name="outcomes_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.checkin} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A check-in version is never changed; record a new one.")
        super().save(*args, **kwargs)

    @property
    def scale_max(self):
        return len(self.content["scale"])


class CheckinResponse(models.Model):
    """One parent's answers at one moment: {statement key: rating from 1 to the scale's top}."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_responses"
    )
    checkin = models.ForeignKey(Checkin, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(CheckinVersion, on_delete=models.PROTECT, related_name="responses")
    moment = models.CharField(_("when"), max_length=10, choices=Moment.choices)
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in answer")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "checkin", "moment"], name="outcomes_response_once"
            )
        ]
        indexes = [models.Index(fields=["checkin", "moment"], name="outcomes_response_moment")]

    def __str__(self):
        return f"Check-in {self.moment} by {self.user_id}"


class CheckinDecline(models.Model):
    """
    A parent's "not now" to one moment, or (moment empty) their choice to stop the check-ins
    for the course altogether. Remembered so the site does not ask again.
    """

    ALL = ""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_declines"
    )
    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="declines")
    moment = models.CharField(max_length=10, choices=Moment.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in skipped")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "checkin", "moment"], name="outcomes_decline_once"
            )
        ]

    def __str__(self):
        return f"Not now ({self.moment or 'all'}) by {self.user_id}"


class GroupSession(models.Model):
    """A meeting of a group (in a room or by video) that a facilitator planned."""

    group = models.ForeignKey(
        "accounts.ParentGroup", on_delete=models.CASCADE, related_name="sessions"
    )
    # Sent with the plan form, so a double submit plans one session, not two.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    module = models.ForeignKey(
        "courses.Module",
        on_delete=models.PROTECT,
        related_name="group_sessions",
        null=True,
        blank=True,
        verbose_name=_("module covered"),
    )
    place = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("A room, or a note about the video call (no passwords)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("group session")
        ordering = ["group", "date", "time", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="outcomes_session_key_unique")
        ]

    def __str__(self):
        return f"{self.group} on {self.date}"


class Attendance(models.Model):
    """A parent who came to a session (a row only for those present)."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="outcomes_attendance_once")
        ]

    def __str__(self):
        return f"{self.user_id} at session {self.session_id}"


class SessionGuide(Translatable, models.Model):
    """A facilitator's guide to a group session on one module: agenda, questions, a pause."""

    TRANSLATED = ("agenda", "questions", "pause", "notes", "notes_html")
    MARKDOWN = {"notes": "notes_html"}

    module = models.OneToOneField(
        "courses.Module", on_delete=models.CASCADE, related_name="session_guide"
    )
    agenda = models.TextField(_("suggested agenda"), help_text=_("One step per line."))
    questions = models.TextField(
        _("discussion questions"), help_text=_("One question per line; two or three.")
    )
    pause = models.TextField(_("pause and reflect"))
    notes = models.TextField(_("notes for the facilitator"), blank=True, help_text=_("Markdown."))
    notes_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session guide")
        constraints = [
            models.CheckConstraint(condition=~Q(agenda=""), name="outcomes_guide_agenda"),
        ]

    def __str__(self):
        return str(self.module)

    def save(self, *args, **kwargs):
        for name in ("agenda", "questions", "pause", "notes"):
            setattr(self, name, getattr(self, name).replace("\r\n", "\n").strip())
        self.notes_html = render_markdown(self.notes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "notes_html"}
        super().save(*args, **kwargs)

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def agenda_list(self):
        return self._lines(self.tr("agenda"))

    @property
    def question_list(self):
        return self._lines(self.tr("questions"))
