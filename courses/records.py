"""
What each parent made of the course, private to them: how far they got with each lesson
(LessonProgress), their reflections (shared only when they choose), practice notes, answers to
the knowledge checks and certificates. Each goes with the parent (CASCADE on user) when they
delete their account, and protects the content it is about.

Imported into courses/models.py, so Django registers these with the app and
`from courses.models import Reflection` finds them as before.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LessonProgress(models.Model):
    """How far one parent got with one lesson: started, last seen and (maybe) completed."""

    # No index of its own: the (user, lesson) unique index serves every lookup by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        db_index=False,
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.PROTECT,
        related_name="progress",
        verbose_name=_("lesson"),
    )
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_progress_unique"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(completed_at__gte=models.F("started_at")),
                name="courses_progress_completed_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} - {self.lesson}"

    @property
    def is_complete(self):
        return self.completed_at is not None


REFLECTION_MAX_LENGTH = 5000
PRACTICE_TEXT_MAX_LENGTH = 2000


class ReflectionQuerySet(models.QuerySet):
    def shared(self):
        """The only reflections anyone but their writer may ever read."""
        return self.filter(shared=True)


class Reflection(models.Model):
    """A parent's answer to a lesson's reflection prompt: private unless they share it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reflections",
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.PROTECT,
        related_name="reflections",
        verbose_name=_("lesson"),
    )
    text = models.TextField(_("text"), max_length=REFLECTION_MAX_LENGTH)
    shared = models.BooleanField(
        _("shared"),
        default=False,
        help_text=_("Shared with the facilitators of the parent's groups."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_reflection_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="courses_reflection_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), REFLECTION_MAX_LENGTH),
                name="courses_reflection_max_length",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="courses_reflection_recent")]

    def __str__(self):
        return f"Reflection on {self.lesson_id} by {self.user_id}"


class PracticeNote(models.Model):
    """
    A dated note from the week's practice: what the parent tried and what happened. Private to
    the parent, like reflections; never shared.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_notes",
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.PROTECT,
        related_name="practice_notes",
        verbose_name=_("lesson"),
    )
    # Sent with the add form, so a double submit of the same form saves one note, not two.
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    noted_on = models.DateField(_("date"))
    tried = models.TextField(_("what I tried"), max_length=PRACTICE_TEXT_MAX_LENGTH)
    happened = models.TextField(_("what happened"), max_length=PRACTICE_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("practice note")
        verbose_name_plural = _("practice notes")
        ordering = ["-noted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="courses_practicenote_key_unique"),
            models.CheckConstraint(condition=~Q(tried=""), name="courses_practicenote_tried"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("tried"), PRACTICE_TEXT_MAX_LENGTH)
                & LessThanOrEqual(Length("happened"), PRACTICE_TEXT_MAX_LENGTH),
                name="courses_practicenote_max_length",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "lesson", "-noted_on"], name="courses_practicenote_mine")
        ]

    def __str__(self):
        return f"Practice note of {self.noted_on} by {self.user_id}"


class QuestionAttempt(models.Model):
    """One answer a parent gave to a knowledge check. They may try again; every try is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="question_attempts",
        verbose_name=_("person"),
    )
    question = models.ForeignKey(
        "courses.Question",
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("question"),
    )
    choice = models.ForeignKey(
        "courses.Choice",
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("choice"),
    )
    is_correct = models.BooleanField(_("correct"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "user", "id"], name="courses_attempt_order")]

    def __str__(self):
        return f"Answer to {self.question_id} by {self.user_id}"


class Certificate(models.Model):
    """Given once per parent and course, when every published lesson of the course is done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    code = models.CharField(_("verification code"), max_length=24, unique=True, editable=False)
    name = models.CharField(
        _("name shown"),
        max_length=80,
        blank=True,
        help_text=_("The name printed on the certificate."),
    )
    completed_on = models.DateField(_("completed on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_certificate_unique"),
        ]

    def __str__(self):
        return f"Certificate {self.code}"

    def get_absolute_url(self):
        return reverse("courses:certificate", args=[self.course.slug])

    def get_verify_url(self):
        return reverse("courses:certificate-verify", args=[self.code])
