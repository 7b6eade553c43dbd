"""
What is taught (Course > Module > Lesson, with knowledge-check questions), its versions and the
groups' plans (Assignment). What each parent made of it (progress, reflections, practice notes,
answers, certificates) is in courses/records.py, imported at the end of this module.

Content is never deleted from under a parent: progress, reflections, notes and answers protect
their lesson (or choice), and lessons protect their module and course. Unpublish a draft;
archive a lesson that is retired (archived lessons vanish for parents while their history stays).
A parent's own records go with the parent (CASCADE on user) when they delete their account.

Every saved state of a lesson's words is kept as a LessonVersion, so an edit can be undone.

Every change to content (a course, module, lesson, question or choice, through save(), delete()
or a queryset's update(), delete(), bulk_create() or bulk_update()) raises the courses'
`content_version` in the same transaction (courses/content_version.py); courses/content_cache.py
keys its cache on it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, FilteredRelation, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.content_version import ContentModel, ContentQuerySet

# Defined beside the glossary's linking rules; imported here so Django registers it with the app.
from courses.glossary import GlossaryTerm
from courses.lesson_fields import (
    AGE_EXAMPLE_FIELDS,
    circle_needs_problem,
    reserved_slug_problem,
    validate_circle_needs,
)
from courses.markdown import render_markdown
from courses.translation import Translatable


class CirclePlace(models.TextChoices):
    EXPLORATION = "exploration", _("Exploration (top of the circle)")
    SAFE_HAVEN = "safe_haven", _("Safe Haven (bottom of the circle)")
    HANDS = "hands", _("The hands")
    WHOLE = "whole", _("The whole circle")


class Principle(models.TextChoices):
    HUMAN_LIMITATIONS = "human_limitations", _("Human limitations")
    TEACHING_RESILIENCE = "teaching_resilience", _("Teaching resilience")
    ENCOURAGING_INDEPENDENCE = "encouraging_independence", _("Encouraging independence")
    REPAIRING_RELATIONSHIP = "repairing_relationship", _("Repairing the relationship")
    CONSISTENCY_OVER_PERFECTION = "consistency_over_perfection", _("Consistency over perfection")


class CourseQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Course(Translatable, ContentModel):
    TRANSLATED = (
        "title", "summary", "description", "description_html", "glossary_intro", "glossary_source",
    )  # fmt: skip
    MARKDOWN = {"description": "description_html"}

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    description_html = models.TextField(_("description (HTML)"), blank=True, editable=False)
    glossary_intro = models.TextField(
        _("glossary introduction"),
        blank=True,
        help_text=_("A sentence or two at the top of the course's glossary page."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every content change (content_changed), to at least the clock's microseconds;
    # never set it by hand.
    content_version = models.PositiveBigIntegerField(
        _("content version"), default=0, editable=False
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description = self.description.replace("\r\n", "\n")
        self.description_html = render_markdown(self.description)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html"}
        adding = self._state.adding
        if not adding:
            # An instance read a while ago must not write back an older version number.
            self.content_version = F("content_version")
        super().save(*args, **kwargs)
        if not adding:
            self.refresh_from_db(fields=["content_version"])

    def get_absolute_url(self):
        return reverse("courses:course", args=[self.slug])


class ModuleQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(is_published=True, course__is_published=True)


class Module(Translatable, ContentModel):
    TRANSLATED = ("title", "summary")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="modules", verbose_name=_("course")
    )
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="courses_module_slug_unique"),
        ]

    def __str__(self):
        return self.title


class LessonQuerySet(ContentQuerySet):
    def published(self):
        """
        Lessons a parent may open: the lesson, its module and its course are all published, and
        the lesson is not archived.
        """
        return self.filter(
            is_published=True,
            archived_at__isnull=True,
            module__is_published=True,
            module__course__is_published=True,
        )

    def in_course_order(self):
        return self.order_by("module__position", "module_id", "position", "id")

    def with_reflection_of(self, user):
        """
        Join the user's own reflection (at most one per lesson) into the lesson query, so the
        lesson page reads it without a query of its own. Read it with `Lesson.own_reflection`.
        """
        return self.annotate(
            _own=FilteredRelation("reflections", condition=Q(reflections__user=user)),
            own_reflection_pk=F("_own__pk"),
            own_reflection_text=F("_own__text"),
            own_reflection_shared=F("_own__shared"),
            own_reflection_created_at=F("_own__created_at"),
            own_reflection_updated_at=F("_own__updated_at"),
        )

    def with_progress_of(self, user):
        """Join the user's own progress on each lesson; read it with `Lesson.own_progress`."""
        return self.annotate(
            _mine=FilteredRelation("progress", condition=Q(progress__user=user)),
            own_progress_pk=F("_mine__pk"),
            own_progress_started_at=F("_mine__started_at"),
            own_progress_last_seen_at=F("_mine__last_seen_at"),
            own_progress_completed_at=F("_mine__completed_at"),
        )


class Lesson(Translatable, ContentModel):
    TRANSLATED = (
        "title", "summary", "body", "body_html", "key_points", "practice", "reflection_prompt",
        *AGE_EXAMPLE_FIELDS.values(),
    )  # fmt: skip
    MARKDOWN = {"body": "body_html"}

    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("module")
    )
    slug = models.SlugField(unique=True, help_text=_("Part of the lesson's address; unique."))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    circle_place = models.CharField(
        _("place on the circle"), max_length=20, choices=CirclePlace.choices
    )
    circle_needs = models.JSONField(
        _("needs on the circle"),
        default=list,
        blank=True,
        validators=[validate_circle_needs],
        help_text=_("The child's needs this lesson is about, from its half of the circle."),
    )
    principle = models.CharField(
        _("principle"), max_length=40, choices=Principle.choices, blank=True
    )
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    body = models.TextField(help_text=_("Markdown. Headings start at ##."))
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    key_points = models.TextField(blank=True, help_text=_("One key point per line."))
    practice = models.TextField(_("try this week"), blank=True)
    reflection_prompt = models.TextField(_("reflection prompt"), blank=True)
    example_baby = models.TextField(_("example for a baby"), blank=True)
    example_toddler = models.TextField(_("example for a toddler or preschooler"), blank=True)
    example_school_age = models.TextField(_("example for a school-age child"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    # Archiving is separate from unpublishing on purpose: an unpublished lesson is a draft that
    # is not ready yet, an archived one is retired. Both are hidden from parents.
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("An archived lesson is hidden from parents; their progress stays."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module", "position", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        problems = {
            "slug": reserved_slug_problem(self.slug),
            "circle_needs": circle_needs_problem(self.circle_needs, self.circle_place),
        }
        problems = {name: problem for name, problem in problems.items() if problem}
        if problems:
            raise ValidationError(problems)

    def save(self, *args, edited_by=None, version_note="", **kwargs):
        """
        Save, and keep the saved words as a new LessonVersion when they differ from the last one.
        `edited_by` and `version_note` say who made the change and how (admin, import, restore).
        """
        # Browsers send CRLF from text areas; one kind of line ending keeps diffs and exported
        # files clean, and one key point per line means no stray spaces or blank lines.
        for name in LessonVersion.TEXT_FIELDS:
            setattr(self, name, getattr(self, name).replace("\r\n", "\n"))
        self.key_points = "\n".join(
            line.strip() for line in self.key_points.splitlines() if line.strip()
        )
        # The rendered body is kept with the lesson so a page view never parses Markdown.
        self.body_html = render_markdown(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        touches_words = update_fields is None or bool(
            set(update_fields) & set(LessonVersion.TEXT_FIELDS)
        )
        touches_translations = update_fields is None or "translations" in update_fields
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if touches_words:
                LessonVersion.objects.record(lesson=self, user=edited_by, note=version_note)
            if touches_translations:
                for language in self.translations or {}:
                    LessonVersion.objects.record(
                        lesson=self, user=edited_by, note=version_note, language=language
                    )

    def get_absolute_url(self):
        return reverse("courses:lesson", args=[self.module.course.slug, self.slug])

    @property
    def key_point_list(self):
        """The key points in the page's language (else English), one per line."""
        return [line.strip() for line in self.tr("key_points").splitlines() if line.strip()]

    @property
    def is_visible(self):
        """Whether parents can open it now (needs module and course loaded, e.g. select_related)."""
        return self.is_published and self.module.is_published and self.module.course.is_published

    def own_progress(self, user):
        """The progress joined by `with_progress_of(user)`, or None if they never opened it."""
        if getattr(self, "own_progress_pk", None) is None:
            return None
        return LessonProgress(
            pk=self.own_progress_pk,
            user=user,
            lesson=self,
            started_at=self.own_progress_started_at,
            last_seen_at=self.own_progress_last_seen_at,
            completed_at=self.own_progress_completed_at,
        )

    def own_reflection(self, user):
        """The reflection joined by `with_reflection_of(user)`, or None if they wrote none."""
        if getattr(self, "own_reflection_pk", None) is None:
            return None
        return Reflection(
            pk=self.own_reflection_pk,
            user=user,
            lesson=self,
            text=self.own_reflection_text,
            shared=self.own_reflection_shared,
            created_at=self.own_reflection_created_at,
            updated_at=self.own_reflection_updated_at,
        )

    @property
    def place_label(self):
        """Where this lesson sits: its principle if it teaches one, else its part of the circle."""
        if self.principle:
            return self.get_principle_display()
        return self.get_circle_place_display()

    @property
    def is_archived(self):
        return self.archived_at is not None

    def hidden_reasons(self):
        """Why parents cannot see this lesson (empty when they can). Needs module__course loaded."""
        reasons = []
        if self.is_archived:
            reasons.append(gettext("the lesson is archived"))
        if not self.is_published:
            reasons.append(gettext("the lesson is not published"))
        if not self.module.is_published:
            reasons.append(gettext("its module is not published"))
        if not self.module.course.is_published:
            reasons.append(gettext("its course is not published"))
        return reasons


class LessonVersionQuerySet(models.QuerySet):
    def record(self, *, lesson, user=None, note="", language=""):
        """
        Keep the lesson's current words (in English, or in `language` when given) unless they
        equal the latest version in that language; returns it.
        """
        latest = self.filter(lesson=lesson, language=language).first()
        if language:
            translated = lesson.translation(language)
            if not translated:
                return None
            current = {name: translated.get(name) or "" for name in LessonVersion.TEXT_FIELDS}
        else:
            current = {name: getattr(lesson, name) for name in LessonVersion.TEXT_FIELDS}
        if latest is not None and latest.text_fields() == current:
            return None
        return self.create(lesson=lesson, created_by=user, note=note, language=language, **current)


class LessonVersion(models.Model):
    """
    One saved state of a lesson's words in one language (blank: English). The newest version
    in each language equals the lesson as it is now; the older ones are what it used to say, so
    any of them can be compared and restored.
    """

    TEXT_FIELDS = (
        "title", "summary", "body", "key_points", "practice", "reflection_prompt",
        *AGE_EXAMPLE_FIELDS.values(),
    )  # fmt: skip

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="versions", verbose_name=_("lesson")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    # Blank for the English (the lesson's own fields), else the translation's language.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    note = models.CharField(_("note"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    key_points = models.TextField(_("key points"), blank=True)
    practice = models.TextField(_("practice"), blank=True)
    reflection_prompt = models.TextField(_("reflection prompt"), blank=True)
    example_baby = models.TextField(blank=True)
    example_toddler = models.TextField(blank=True)
    example_school_age = models.TextField(blank=True)

    objects = LessonVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson version")
        verbose_name_plural = _("lesson versions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["lesson", "-created_at"], name="courses_version_recent")]

    def __str__(self):
        return f"{self.lesson_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def text_fields(self):
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}


class Question(Translatable, ContentModel):
    """A multiple-choice knowledge check on a lesson: 2 to MAX_CHOICES choices, one correct."""

    TRANSLATED = ("text",)

    MAX_CHOICES = 6

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("lesson")
    )
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["lesson", "position", "id"]

    def __str__(self):
        return self.text[:80]


class Choice(Translatable, ContentModel):
    TRANSLATED = ("text", "feedback")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(help_text=_("Shown after a parent picks this choice."))
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "id"]

    def __str__(self):
        return self.text[:80]


class AssignmentQuerySet(models.QuerySet):
    def for_parent(self, user):
        """Assignments of the groups this parent is in, leaving out archived groups."""
        return self.filter(
            group__memberships__user=user, group__archived_at__isnull=True
        ).distinct()


class Assignment(models.Model):
    """
    A facilitator's plan for one module in one group: when it opens (before that it is locked
    for the group's parents) and by when it is suggested to be done. Both dates are optional
    and are days in the site's time zone.
    """

    group = models.ForeignKey(
        "accounts.ParentGroup",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("group"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("module")
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    due_on = models.DateField(_("suggested by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("module plan")
        verbose_name_plural = _("module plans")
        ordering = ["group", "module__position", "module_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "module"], name="courses_assignment_one_per_module"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(opens_on__lte=models.F("due_on")),
                name="courses_assignment_opens_before_due",
            ),
        ]

    def __str__(self):
        return f"{self.module} for {self.group}"

    def clean(self):
        if self.opens_on and self.due_on and self.opens_on > self.due_on:
            raise ValidationError(
                {"due_on": gettext("The suggested date cannot be before it opens.")}
            )
        if self.group_id and self.module_id and self.group.course_id != self.module.course_id:
            raise ValidationError({"module": gettext("This module belongs to a different course.")})


# A parent's own records (courses/records.py), imported here so Django registers them with the
# app and `from courses.models import ...` finds them.
from courses.records import (  # noqa: E402
    PRACTICE_TEXT_MAX_LENGTH,
    REFLECTION_MAX_LENGTH,
    Certificate,
    LessonProgress,
    PracticeNote,
    QuestionAttempt,
    Reflection,
)

__all__ = [
    "PRACTICE_TEXT_MAX_LENGTH",
    "REFLECTION_MAX_LENGTH",
    "Assignment",
    "Certificate",
    "Choice",
    "CirclePlace",
    "Course",
    "GlossaryTerm",
    "Lesson",
    "LessonProgress",
    "LessonVersion",
    "Module",
    "PracticeNote",
    "Principle",
    "Question",
    "QuestionAttempt",
    "Reflection",
]
