"""
The content editor's admin: courses show their modules, modules their lessons (inline, in
order, with publish switches), lessons their knowledge-check questions.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from courses.content_cache import course_content_changed
from courses.models import Choice, Course, Lesson, LessonProgress, Module, Question


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "title", "slug", "is_published", "edit_link"]
    readonly_fields = ["edit_link"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True

    @admin.display(description="lessons")
    def edit_link(self, module):
        if not module.pk:
            return "-"
        url = reverse("admin:courses_module_change", args=[module.pk])
        return format_html('<a href="{}">Edit lessons</a>', url)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "is_published", "updated_at"]
    list_editable = ["position", "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "circle_place", "principle", "minutes", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["course", "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
    inlines = [LessonInline]


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["position", "text", "edit_link"]
    readonly_fields = ["edit_link"]
    extra = 0

    @admin.display(description="choices")
    def edit_link(self, question):
        if not question.pk:
            return "Save first, then add choices."
        url = reverse("admin:courses_question_change", args=[question.pk])
        return format_html('<a href="{}">Edit choices and feedback</a>', url)


@admin.action(description="Publish selected lessons")
def publish(modeladmin, request, queryset):
    queryset.update(is_published=True)
    # A bulk update sends no signals: tell the workers' caches about it.
    course_content_changed(course_ids=queryset.values("module__course_id"))


@admin.action(description="Unpublish selected lessons (parents keep their progress)")
def unpublish(modeladmin, request, queryset):
    queryset.update(is_published=False)
    course_content_changed(course_ids=queryset.values("module__course_id"))


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = [
        "title", "module", "position", "circle_place", "principle", "is_published",
        "started", "completed",
    ]  # fmt: skip
    list_editable = ["position", "is_published"]
    list_filter = ["module__course", "module", "is_published", "circle_place", "principle"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["module"]
    actions = [publish, unpublish]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["module", "title", "slug", "summary", "position", "is_published"]}),
        ("Place on the circle", {"fields": ["circle_place", "principle", "minutes"]}),
        ("Content", {"fields": ["body", "key_points", "practice", "reflection_prompt"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                started_count=Count("progress"),
                completed_count=Count("progress", filter=Q(progress__completed_at__isnull=False)),
            )
        )

    @admin.display(description="parents started", ordering="started_count")
    def started(self, lesson):
        return lesson.started_count

    @admin.display(description="parents completed", ordering="completed_count")
    def completed(self, lesson):
        return lesson.completed_count


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["position", "text", "is_correct", "feedback"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "lesson", "position"]
    list_filter = ["lesson__module__course", "lesson"]
    search_fields = ["text"]
    list_select_related = ["lesson"]
    inlines = [ChoiceInline]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "started_at", "last_seen_at", "completed_at"]
    list_filter = ["lesson__module__course", "lesson"]
    search_fields = ["user__email"]
    list_select_related = ["user", "lesson"]
    readonly_fields = ["user", "lesson", "started_at", "last_seen_at", "completed_at"]

    def has_add_permission(self, request):
        return False
