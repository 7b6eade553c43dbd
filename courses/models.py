"""
What is taught (Course > Module > Lesson, with knowledge-check questions) and how far each
parent got (LessonProgress).

Content is never deleted from under a parent: progress protects its lesson, and lessons protect
their module and course. Unpublish instead.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from courses.markdown import render_markdown


class CirclePlace(models.TextChoices):
    EXPLORATION = "exploration", "Exploration (top of the circle)"
    SAFE_HAVEN = "safe_haven", "Safe Haven (bottom of the circle)"
    HANDS = "hands", "The hands"
    WHOLE = "whole", "The whole circle"


class Principle(models.TextChoices):
    HUMAN_LIMITATIONS = "human_limitations", "Human limitations"
    TEACHING_RESILIENCE = "teaching_resilience", "Teaching resilience"
    ENCOURAGING_INDEPENDENCE = "encouraging_independence", "Encouraging independence"
    REPAIRING_RELATIONSHIP = "repairing_relationship", "Repairing the relationship"
    CONSISTENCY_OVER_PERFECTION = "consistency_over_perfection", "Consistency over perfection"


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:course", args=[self.slug])


class ModuleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, course__is_published=True)


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="modules")
    slug = models.SlugField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="courses_module_slug_unique"),
        ]

    def __str__(self):
        return self.title


class LessonQuerySet(models.QuerySet):
    def published(self):
        """Lessons a parent may open: the lesson, its module and its course are all published."""
        return self.filter(
            is_published=True, module__is_published=True, module__course__is_published=True
        )

    def in_course_order(self):
        return self.order_by("module__position", "module_id", "position", "id")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(unique=True, help_text="Part of the lesson's address; unique.")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    circle_place = models.CharField(
        "place on the circle", max_length=20, choices=CirclePlace.choices
    )
    principle = models.CharField(max_length=40, choices=Principle.choices, blank=True)
    minutes = models.PositiveSmallIntegerField("estimated minutes", default=10)
    body = models.TextField(help_text="Markdown. Headings start at ##.")
    body_html = models.TextField(blank=True, editable=False)
    key_points = models.TextField(blank=True, help_text="One key point per line.")
    practice = models.TextField("try this week", blank=True)
    reflection_prompt = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    is_published = models.BooleanField("published", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The rendered body is kept with the lesson so a page view never parses Markdown.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lesson", args=[self.module.course.slug, self.slug])

    @property
    def key_point_list(self):
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    @property
    def place_label(self):
        """Where this lesson sits: its principle if it teaches one, else its part of the circle."""
        if self.principle:
            return self.get_principle_display()
        return self.get_circle_place_display()


class Question(models.Model):
    """A multiple-choice knowledge check on a lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["lesson", "position", "id"]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField("correct", default=False)
    feedback = models.TextField(help_text="Shown after a parent picks this choice.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self):
        return self.text[:80]


class LessonProgressQuerySet(models.QuerySet):
    """
    Visits and completions as one INSERT ... ON CONFLICT ... RETURNING each (PostgreSQL, and
    SQLite 3.35+). The lesson page and "mark as done" are the busiest requests; a select then
    an insert or update cost two round trips and a race that get_or_create papered over.
    """

    _COLUMNS = "id, user_id, lesson_id, started_at, last_seen_at, completed_at"

    def _upsert(self, *, user, lesson, now, completed_at, update_sql):
        table = self.model._meta.db_table
        # Names come from the model and this class, values go as parameters.
        sql = (
            f"INSERT INTO {table} (user_id, lesson_id, started_at, last_seen_at, completed_at) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT (user_id, lesson_id) DO UPDATE SET "
            f"{update_sql.format(table=table)} RETURNING {self._COLUMNS}"
        )
        params = [user.pk, lesson.pk, now, now, completed_at]
        rows = list(self.model.objects.raw(sql, params))
        return rows[0] if rows else None

    def record_visit(self, *, user, lesson, now):
        """Started on the first visit, last seen on every visit; returns the row."""
        return self._upsert(
            user=user,
            lesson=lesson,
            now=now,
            completed_at=None,
            update_sql="last_seen_at = excluded.last_seen_at",
        )

    def record_completion(self, *, user, lesson, now):
        """Done now, unless it already was: then nothing changes and the first date stays."""
        row = self._upsert(
            user=user,
            lesson=lesson,
            now=now,
            completed_at=now,
            update_sql=(
                "completed_at = excluded.completed_at, last_seen_at = excluded.last_seen_at "
                "WHERE {table}.completed_at IS NULL"
            ),
        )
        return row or self.get(user=user, lesson=lesson)


class LessonProgress(models.Model):
    """How far one parent got with one lesson: started, last seen and (maybe) completed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="progress")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_progress_unique"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(completed_at__gte=models.F("started_at")),
                name="courses_progress_completed_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="courses_progress_recent")]

    def __str__(self):
        return f"{self.user} - {self.lesson}"

    @property
    def is_complete(self):
        return self.completed_at is not None
