"""
Lessons in the admin: questions and choices edited under the lesson, version history with a
readable diff and restore, a preview link, and archive instead of delete once parents started.
"""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.admin.forms import (
    SLOTS,
    LessonAdminForm,
    QuestionForm,
    QuestionFormSet,
    choice_field,
    feedback_field,
)
from courses.admin.translation_forms import LessonTranslationForm
from courses.admin.translations import (
    TRANSLATION_STATUS_LABELS,
    TranslationAdminMixin,
    translation_url,
)
from courses.authoring import (
    english_changes_since_translation,
    lesson_archive,
    lesson_history,
    lesson_next_position,
    lesson_set_published,
    lesson_unarchive,
    lesson_version_restore,
    lessons_with_counts,
)
from courses.loader_translations import lesson_english, lesson_status
from courses.models import Lesson, LessonProgress, LessonVersion, Module, Question
from courses.translation import content_languages, default_language, language_name
from courses.translation_edit import lesson_translation_save

# Kept with each version in the site's language; the versions page shows it translated.
NOTE_EDITED_IN_ADMIN = gettext_noop("Edited in the admin")


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    fieldsets = [
        (None, {"fields": ["position", "text"]}),
        (
            _("Choices (leave spare ones empty)"),
            {"fields": [(choice_field(n), feedback_field(n)) for n in SLOTS] + ["correct"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Not archived")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


@admin.action(description=_("Publish selected lessons"))
def publish(modeladmin, request, queryset):
    count = lesson_set_published(lessons=queryset, published=True)
    messages.success(
        request,
        ngettext("Published %(count)d lesson.", "Published %(count)d lessons.", count)
        % {"count": count},
    )


@admin.action(description=_("Unpublish selected lessons (parents keep their progress)"))
def unpublish(modeladmin, request, queryset):
    count = lesson_set_published(lessons=queryset, published=False)
    messages.success(
        request,
        ngettext(
            "Unpublished %(count)d lesson. Parents' progress is kept.",
            "Unpublished %(count)d lessons. Parents' progress is kept.",
            count,
        )
        % {"count": count},
    )


@admin.action(description=_("Archive selected lessons (hidden from parents, history kept)"))
def archive(modeladmin, request, queryset):
    count = lesson_archive(lessons=queryset)
    messages.success(
        request,
        ngettext(
            "Archived %(count)d lesson. Parents' progress and reflections are kept.",
            "Archived %(count)d lessons. Parents' progress and reflections are kept.",
            count,
        )
        % {"count": count},
    )


@admin.action(description=_("Bring selected lessons back from the archive"))
def unarchive(modeladmin, request, queryset):
    count = lesson_unarchive(lessons=queryset)
    messages.success(
        request,
        ngettext("Brought back %(count)d lesson.", "Brought back %(count)d lessons.", count)
        % {"count": count},
    )


@admin.action(description=_("Delete selected lessons"), permissions=["delete"])
def delete_selected_lessons(modeladmin, request, queryset):
    """Django's bulk delete, refused kindly when parents have started any of the lessons."""
    lessons = list(queryset)
    if LessonProgress.objects.filter(lesson__in=lessons).exists():
        return modeladmin.refuse_delete(request, lessons)
    try:
        return delete_selected(modeladmin, request, queryset)
    except ProtectedError:
        return modeladmin.refuse_delete(request, lessons)


# Same name as the site-wide action, so it takes its place in the list.
delete_selected_lessons.__name__ = "delete_selected"


@admin.register(Lesson)
class LessonAdmin(TranslationAdminMixin, admin.ModelAdmin):
    list_display = [
        "title", "module", "position", "circle_place", "principle", "is_published",
        "is_archived", "started", "completed", "reflected", "translation_status",
    ]  # fmt: skip
    list_editable = ["position", "is_published"]
    list_filter = [
        "module__course", "module", "is_published", ArchivedFilter, "circle_place", "principle",
    ]  # fmt: skip
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["module"]
    actions = [publish, unpublish, archive, unarchive, delete_selected_lessons]
    inlines = [QuestionInline]
    readonly_fields = ["archived_at"]
    view_on_site = False  # the change form links to the staff preview instead
    form = LessonAdminForm
    fieldsets = [
        (None, {"fields": ["module", "title", "slug", "summary", "position", "is_published"]}),
        (
            _("Place on the circle"),
            {"fields": ["circle_place", "circle_needs", "principle", "minutes"]},
        ),
        (_("Content"), {"fields": ["body", "key_points", "practice", "reflection_prompt"]}),
        (
            _("For your child's age"),
            {
                "fields": ["example_baby", "example_toddler", "example_school_age"],
                "description": _(
                    "A short, concrete example of the lesson's idea for each age. Parents see "
                    "the one for their child's age first."
                ),
            },
        ),
        (_("Archive"), {"fields": ["archived_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # One grouped query gives every row its counts; progress is the only joined table, so
        # the counts cannot be multiplied by another join.
        # Questions and choices (two queries for the page) tell whether a translation still
        # translates the English (courses/loader_translations.py lesson_status).
        return lessons_with_counts(super().get_queryset(request)).prefetch_related(
            "questions__choices"
        )

    @admin.display(description=_("translations"))
    def translation_status(self, lesson):
        """
        Per language: up to date, missing, or may be out of date (the English changed), each a
        link to edit that language's text.
        """
        questions = _questions(lesson)
        return format_html_join(
            "; ",
            '<a href="{}">{}: {}</a>',
            (
                (
                    translation_url(lesson, language),
                    language_name(language),
                    TRANSLATION_STATUS_LABELS[lesson_status(lesson, language, questions)],
                )
                for language in content_languages()
            ),
        )

    @admin.display(description=_("parents started"), ordering="started_count")
    def started(self, lesson):
        return lesson.started_count

    @admin.display(description=_("parents completed"), ordering="completed_count")
    def completed(self, lesson):
        return lesson.completed_count

    @admin.display(description=_("parents reflected"), ordering="reflected_count")
    def reflected(self, lesson):
        # Only a count: parents' own words are private and never shown in the admin.
        return lesson.reflected_count

    @admin.display(description=_("archived"), boolean=True, ordering="archived_at")
    def is_archived(self, lesson):
        return lesson.is_archived

    def get_changeform_initial_data(self, request):
        """A lesson added from a module's outline goes to the end of that module."""
        initial = super().get_changeform_initial_data(request)
        module_pk = str(initial.get("module", ""))
        module = (
            Module.objects.filter(pk=module_pk).first()
            if module_pk.isascii() and module_pk.isdigit()
            else None
        )
        if module is not None and "position" not in initial:
            initial["position"] = lesson_next_position(module=module)
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ProtectedError:
            # The forms checked for answers; a parent answered between that check and the save.
            # The whole save was rolled back, so the lesson is exactly as it was.
            messages.error(
                request,
                gettext(
                    "A parent answered one of these questions just now, so a choice or question "
                    "you removed has to stay. Nothing was saved; please make your changes again."
                ),
            )
            return redirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        obj.save(edited_by=request.user, version_note=NOTE_EDITED_IN_ADMIN)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/versions/", view(self.versions_view), name="courses_lesson_versions"),
            path(
                "<int:pk>/versions/<int:version_pk>/restore/",
                view(require_POST(self.restore_view)),
                name="courses_lesson_restore",
            ),
            path(
                "<int:pk>/archive/",
                view(require_POST(self.archive_view)),
                name="courses_lesson_archive",
            ),
            *self.translation_urls(),
            *super().get_urls(),
        ]

    def _lesson(self, request, pk, permission):
        lesson = get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)
        if not permission(request, lesson):
            raise PermissionDenied
        return lesson

    def _context(self, request, lesson, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "lesson": lesson,
            **extra,
        }

    # Version history --------------------------------------------------------------------------

    def versions_view(self, request, pk):
        """The versions in one language: ?language=es, else the English."""
        language = request.GET.get("language", "")
        if language and language not in content_languages():
            raise Http404("No such language.")
        lesson = self._lesson(request, pk, self.has_view_permission)
        title = (
            gettext("Versions of “%(title)s” in %(language)s")
            % {"title": lesson.title, "language": language_name(language)}
            if language
            else gettext("Versions of “%(title)s”") % {"title": lesson.title}
        )
        url = reverse("admin:courses_lesson_versions", args=[lesson.pk])
        context = self._context(
            request,
            lesson,
            title,
            entries=lesson_history(lesson, language),
            can_restore=self.has_change_permission(request, lesson),
            language=language,
            languages=[
                (
                    language_name(code or default_language()),
                    f"{url}?language={code}" if code else url,
                    code == language,
                )
                for code in ("", *content_languages())
            ],
        )
        return TemplateResponse(request, "admin/courses/lesson/versions.html", context)

    def restore_view(self, request, pk, version_pk):
        lesson = self._lesson(request, pk, self.has_change_permission)
        version = get_object_or_404(LessonVersion, pk=version_pk, lesson=lesson)
        if lesson_version_restore(version=version, user=request.user):
            messages.success(
                request,
                gettext(
                    "The earlier version is back. It is saved as the newest version, "
                    "so you can undo this too."
                ),
            )
        else:
            messages.info(
                request, gettext("The lesson already says exactly this; nothing changed.")
            )
        url = reverse("admin:courses_lesson_versions", args=[lesson.pk])
        return redirect(f"{url}?language={version.language}" if version.language else url)

    # One language's text ----------------------------------------------------------------------

    def translation_object(self, pk):
        return get_object_or_404(
            Lesson.objects.select_related("module__course").prefetch_related(
                Prefetch("questions", Question.objects.order_by("position", "id")),
                "questions__choices",
            ),
            pk=pk,
        )

    def translation_english(self, lesson):
        return lesson_english(lesson, _questions(lesson))

    def translation_form(self, lesson, language, data):
        return LessonTranslationForm(
            data, lesson=lesson, questions=_questions(lesson), language=language
        )

    def translation_save(self, request, lesson, language, form):
        return lesson_translation_save(
            lesson=lesson,
            questions=form.questions,
            language=language,
            values=form.lesson_values(),
            question_values=form.question_values(),
            user=request.user,
            note=form.cleaned_data["note"],
        )

    def translation_tools(self, lesson, language):
        name = language_name(language)
        preview = reverse("courses:lesson-preview", args=[lesson.module.course.slug, lesson.slug])
        versions = reverse("admin:courses_lesson_versions", args=[lesson.pk])
        return [
            (
                gettext("Preview in %(language)s") % {"language": name},
                f"{preview}?language={language}",
            ),
            (
                gettext("Versions in %(language)s") % {"language": name},
                f"{versions}?language={language}",
            ),
        ]

    def translation_english_changes(self, lesson, language):
        return english_changes_since_translation(lesson, language)

    # Archive instead of delete ----------------------------------------------------------------

    def archive_view(self, request, pk):
        lesson = self._lesson(request, pk, self.has_change_permission)
        lesson_archive(lessons=[lesson])
        messages.success(
            request,
            gettext(
                "“%(title)s” is archived. Parents no longer see it, and everything they did "
                "with it is kept. To show it again, use “Bring selected lessons back from the "
                "archive” in the lesson list."
            )
            % {"title": lesson.title},
        )
        return redirect("admin:courses_lesson_change", lesson.pk)

    def refuse_delete(self, request, lessons):
        started = list(
            lessons_with_counts(Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons]))
            .filter(started_count__gt=0)
            .order_by("module__position", "position")
        )
        context = self._context(
            request,
            None,
            gettext("This lesson cannot be deleted")
            if len(started) == 1
            else gettext("Lessons cannot be deleted"),
            started=started,
        )
        return TemplateResponse(request, "admin/courses/lesson/delete_refused.html", context)

    def delete_view(self, request, object_id, extra_context=None):
        lesson = self.get_object(request, unquote(object_id))
        if lesson is not None and lesson.progress.exists():
            return self.refuse_delete(request, [lesson])
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:
            # A parent opened the lesson between the confirmation page and the click.
            return self.refuse_delete(request, [lesson])


def _questions(lesson):
    """[(question, [choices])] in order, from the prefetched questions and choices."""
    return [(question, list(question.choices.all())) for question in lesson.questions.all()]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "started_at", "last_seen_at", "completed_at"]
    list_filter = ["lesson__module__course", "lesson"]
    search_fields = ["user__email"]
    list_select_related = ["user", "lesson"]
    readonly_fields = ["user", "lesson", "started_at", "last_seen_at", "completed_at"]

    def has_add_permission(self, request):
        return False
