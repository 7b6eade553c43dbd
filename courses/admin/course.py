"""
Courses and modules in the admin. A course has an outline page: its modules and lessons in
order, with move up/down and publish/unpublish buttons (plain POST forms, so they work with a
keyboard and without JavaScript). Courses can be exported as a zip of Markdown files and
imported from one, with a dry run shown before anything changes.
"""

import base64
import hashlib
import tempfile

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from courses.admin.forms import CourseImportForm, GlossaryTermFormSet
from courses.admin.glossary_translation import GlossaryTranslation, glossary_translation_url
from courses.admin.translation_forms import CourseTranslationForm, ModuleTranslationForm
from courses.admin.translations import TranslationAdminMixin
from courses.authoring import (
    lesson_move,
    lesson_set_published,
    lessons_with_counts,
    module_move,
    module_set_published,
)
from courses.exporter import course_zip
from courses.glossary import GlossaryTerm
from courses.loader import course_zip_extract, courses_load
from courses.loader_translations import course_english, module_english
from courses.models import Assignment, Certificate, Course, Lesson, Module
from courses.translation import content_languages, language_name
from courses.translation_edit import course_translation_save, module_translation_save

IMPORT_SESSION_KEY = "courses_import_zip"


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "title", "slug", "is_published", "edit_link"]
    readonly_fields = ["edit_link"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True

    @admin.display(description=_("lessons"))
    def edit_link(self, module):
        if not module.pk:
            return "-"
        url = reverse("admin:courses_module_change", args=[module.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Edit lessons"))


class GlossaryTermInline(admin.StackedInline):
    """The course's glossary; lessons link each term from the first one that uses it."""

    model = GlossaryTerm
    formset = GlossaryTermFormSet
    fields = [("term", "slug", "position"), "forms", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    extra = 0
    classes = ["collapse"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("forms", "definition"):
            field.widget.attrs["rows"] = 2 if db_field.name == "forms" else 3
        return field


@admin.action(description=_("Export selected courses as a zip file"))
def export_zip(modeladmin, request, queryset):
    courses = list(queryset.order_by("position", "id"))
    stamp = timezone.localdate().isoformat()
    name = f"{courses[0].slug}-{stamp}.zip" if len(courses) == 1 else f"courses-{stamp}.zip"
    response = HttpResponse(course_zip(courses=courses), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.register(Course)
class CourseAdmin(TranslationAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "position", "is_published", "outline_link", "updated_at"]
    list_editable = ["position", "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline, GlossaryTermInline]
    actions = [export_zip]

    @admin.display(description=_("outline"))
    def outline_link(self, course):
        url = reverse("admin:courses_course_outline", args=[course.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Modules and lessons"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="courses_course_import"),
            path("<int:pk>/outline/", view(self.outline_view), name="courses_course_outline"),
            path(
                "<int:pk>/outline/move/",
                view(require_POST(self.outline_move_view)),
                name="courses_course_outline_move",
            ),
            path(
                "<int:pk>/outline/publish/",
                view(require_POST(self.outline_publish_view)),
                name="courses_course_outline_publish",
            ),
            *self.translation_urls(),
            path(
                "<int:pk>/glossary/translations/<str:language>/",
                view(self.glossary_translation_view),
                name="courses_course_glossary_translation",
            ),
            *super().get_urls(),
        ]

    # One language's text (courses/admin/translations.py) -------------------------------------

    def translation_links(self, course):
        """The course's own text in each language, then its glossary in each (if it has one)."""
        links = super().translation_links(course)
        if course.glossary_intro or course.glossary_terms.exists():
            links += [
                (
                    gettext("%(language)s: edit the glossary's translation")
                    % {"language": language_name(language)},
                    glossary_translation_url(course, language),
                )
                for language in content_languages()
            ]
        return links

    def glossary_translation_view(self, request, pk, language):
        return self.translation_page(request, pk, language, text=GlossaryTranslation())

    def translation_english(self, course):
        return course_english(course)

    def translation_form(self, course, language, data):
        return CourseTranslationForm(data, obj=course, language=language)

    def translation_save(self, request, course, language, form):
        return course_translation_save(course=course, language=language, values=form.values())

    # Outline ----------------------------------------------------------------------------------

    def _course_for_change(self, request, pk):
        course = get_object_or_404(Course, pk=pk)
        if not self.has_change_permission(request, course):
            raise PermissionDenied
        return course

    def outline_view(self, request, pk):
        course = self._course_for_change(request, pk)
        modules = list(course.modules.order_by("position", "id"))
        lessons = lessons_with_counts(
            Lesson.objects.filter(module__course=course).only(
                "pk", "module_id", "title", "slug", "position", "is_published", "archived_at"
            )
        ).order_by("position", "id")
        by_module = {module.pk: [] for module in modules}
        for lesson in lessons:
            by_module[lesson.module_id].append(lesson)
        for module in modules:
            module.outline_lessons = by_module[module.pk]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Outline of %(course)s") % {"course": course.title},
            "course": course,
            "modules": modules,
        }
        return TemplateResponse(request, "admin/courses/course/outline.html", context)

    def _outline_target(self, request, course):
        """The module or lesson of this course named in the POST; 404 for anything else."""
        kind = request.POST.get("kind")
        try:
            pk = int(request.POST.get("pk", ""))
        except ValueError:
            raise Http404("No such item.") from None
        if kind == "module":
            return get_object_or_404(Module, pk=pk, course=course)
        if kind == "lesson":
            return get_object_or_404(Lesson, pk=pk, module__course=course)
        raise Http404("No such item.")

    def _back_to_outline(self, course, item):
        url = reverse("admin:courses_course_outline", args=[course.pk])
        anchor = "module" if isinstance(item, Module) else "lesson"
        return redirect(f"{url}#{anchor}-{item.pk}")

    def outline_move_view(self, request, pk):
        course = self._course_for_change(request, pk)
        item = self._outline_target(request, course)
        direction = request.POST.get("direction")
        try:
            if isinstance(item, Module):
                moved = module_move(module=item, direction=direction)
            else:
                moved = lesson_move(lesson=item, direction=direction)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._back_to_outline(course, item)
        if moved and direction == "up":
            messages.success(request, gettext("Moved “%(title)s” up.") % {"title": item.title})
        elif moved:
            messages.success(request, gettext("Moved “%(title)s” down.") % {"title": item.title})
        elif direction == "up":
            messages.info(
                request, gettext("“%(title)s” is already at the top.") % {"title": item.title}
            )
        else:
            messages.info(
                request, gettext("“%(title)s” is already at the bottom.") % {"title": item.title}
            )
        return self._back_to_outline(course, item)

    def outline_publish_view(self, request, pk):
        course = self._course_for_change(request, pk)
        item = self._outline_target(request, course)
        published = request.POST.get("published")
        if published not in ("0", "1"):
            messages.error(
                request, gettext("Something went wrong with that button. Please try again.")
            )
            return self._back_to_outline(course, item)
        published = published == "1"
        if isinstance(item, Module):
            module_set_published(module=item, published=published)
        else:
            lesson_set_published(lessons=[item], published=published)
        if published:
            messages.success(request, gettext("“%(title)s” is published.") % {"title": item.title})
        else:
            messages.success(
                request,
                gettext(
                    "“%(title)s” is unpublished: parents no longer see it. "
                    "Their progress and reflections are kept."
                )
                % {"title": item.title},
            )
        return self._back_to_outline(course, item)

    # Import -----------------------------------------------------------------------------------

    def _check_import_permission(self, request):
        lesson_admin = self.admin_site.get_model_admin(Lesson)
        if not (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and lesson_admin.has_add_permission(request)
            and lesson_admin.has_change_permission(request)
        ):
            raise PermissionDenied

    def _load_zip(self, request, data, dry_run):
        with tempfile.TemporaryDirectory(prefix="course-import-") as folder:
            folders = course_zip_extract(data=data, into=folder)
            return courses_load(folders=folders, dry_run=dry_run, user=request.user)

    def import_view(self, request):
        """Upload a zip -> dry run shown -> confirm -> load. The zip waits in the session."""
        self._check_import_permission(request)
        form = CourseImportForm()
        reports = None
        token = None
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(IMPORT_SESSION_KEY)
            if not stored or stored["sha256"] != request.POST.get("token"):
                messages.error(
                    request,
                    gettext("That import has expired or was replaced. Please upload it again."),
                )
                return redirect("admin:courses_course_import")
            try:
                reports = self._load_zip(request, base64.b64decode(stored["data"]), False)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("admin:courses_course_import")
            del request.session[IMPORT_SESSION_KEY]
            summary = "; ".join(
                gettext("%(course)s: %(report)s") % {"course": name, "report": report}
                for name, report in reports.items()
            )
            messages.success(request, gettext("Imported. %(summary)s.") % {"summary": summary})
            return redirect("admin:courses_course_changelist")
        if request.method == "POST":
            form = CourseImportForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["archive"].read()
                try:
                    reports = self._load_zip(request, data, True)
                except ValidationError as error:
                    form.add_error("archive", error)
                else:
                    token = hashlib.sha256(data).hexdigest()
                    request.session[IMPORT_SESSION_KEY] = {
                        "sha256": token,
                        "data": base64.b64encode(data).decode("ascii"),
                    }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import courses from a zip file"),
            "form": form,
            "reports": reports,
            "has_changes": bool(reports) and any(r.has_changes for r in reports.values()),
            "token": token,
        }
        return TemplateResponse(request, "admin/courses/course/import.html", context)


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "circle_place", "principle", "minutes", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True
    # Lessons are deleted from their own page, which explains why a started one cannot be.
    can_delete = False


@admin.register(Module)
class ModuleAdmin(TranslationAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course", "position", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["course", "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
    inlines = [LessonInline]

    def get_urls(self):
        return [*self.translation_urls(), *super().get_urls()]

    def translation_english(self, module):
        return module_english(module)

    def translation_form(self, module, language, data):
        return ModuleTranslationForm(data, obj=module, language=language)

    def translation_save(self, request, module, language, form):
        return module_translation_save(module=module, language=language, values=form.values())

    def save_formset(self, request, form, formset, change):
        # Lessons saved from the module page keep their version history too.
        if formset.model is Lesson:
            for lesson in formset.save(commit=False):
                lesson.save(edited_by=request.user, version_note="Edited in the admin")
            return
        super().save_formset(request, form, formset, change)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["module", "group", "opens_on", "due_on"]
    list_filter = ["group__course", "group"]
    search_fields = ["group__name", "module__title"]
    list_select_related = ["module", "group"]
    autocomplete_fields = ["group"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "course", "name", "completed_on", "created_at"]
    list_filter = ["course"]
    search_fields = ["code", "name", "user__email"]
    list_select_related = ["course"]
    readonly_fields = ["user", "course", "code", "name", "completed_on", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
