"""
Each language's text of a lesson, module or course, edited in the admin beside the English:
`<pk>/translations/<language>/` on their admin pages. The forms are in translation_forms.py and
saving in courses/translation_edit.py. A lesson's translation also has its versions (the
versions page, in that language) and a preview as a parent reading that language sees it.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.translation import (
    CURRENT,
    MISSING,
    OUT_OF_DATE,
    content_languages,
    english_fingerprint,
    language_name,
)
from courses.translation_edit import translation_status

TRANSLATION_STATUS_LABELS = {
    CURRENT: _("up to date"),
    MISSING: _("missing"),
    OUT_OF_DATE: _("may be out of date"),
}


def translation_url(obj, language):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_translation", args=[obj.pk, language])


class TranslationAdminMixin:
    """
    One language's text of one object. A subclass says how to read the object
    (`translation_object`), its English (`translation_english`), its form and how to save it.
    """

    def translation_urls(self):
        opts = self.opts
        return [
            path(
                "<int:pk>/translations/<str:language>/",
                self.admin_site.admin_view(self.translation_view),
                name=f"{opts.app_label}_{opts.model_name}_translation",
            )
        ]

    def translation_links(self, obj):
        """[(label, url)]: "Español: edit translation" for each language content has."""
        return [
            (
                gettext("%(language)s: edit translation") % {"language": language_name(language)},
                translation_url(obj, language),
            )
            for language in content_languages()
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        links = self.translation_links(obj) if obj is not None else []
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "translation_links": links}
        )

    def translation_object(self, pk):
        return get_object_or_404(self.model, pk=pk)

    def translation_tools(self, obj, language):
        """Links shown above the form besides the English page: [(label, url)]."""
        return []

    def translation_english_changes(self, obj, language):
        """What the English changed since this text was saved (FieldDiffs); only lessons keep
        the versions to tell."""
        return []

    # What the page needs of the text it edits: the object's own (these methods, which each
    # admin gives), or another text of the same object (courses/admin/glossary_translation.py).

    def translation_page_status(self, obj, language, english):
        return translation_status(obj, language, english)

    def translation_page_url(self, obj, language):
        return translation_url(obj, language)

    def translation_title(self, obj):
        return str(obj)

    def translation_view(self, request, pk, language):
        return self.translation_page(request, pk, language, text=self)

    def translation_page(self, request, pk, language, *, text):
        """
        One language's `text` of the object `pk` beside its English: `text` gives that text's
        English, form, saving, status, address and title (this admin, for the object's own).
        """
        if language not in content_languages():
            raise Http404("No such language.")
        obj = self.translation_object(pk)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        english = text.translation_english(obj)
        fingerprint = english_fingerprint(english)
        form = text.translation_form(
            obj, language, request.POST if request.method == "POST" else None
        )
        if request.method == "POST":
            valid = form.is_valid()
            if request.POST.get("english_seen") != fingerprint:
                # The form now shows the new English; nothing typed is lost.
                form.add_error(
                    None,
                    gettext(
                        "Someone changed the English while you were translating. The new "
                        "English is shown beside your text: check your translation against it, "
                        "then save again."
                    ),
                )
            elif valid:
                changed = text.translation_save(request, obj, language, form)
                messages.success(
                    request,
                    (
                        gettext("Saved the %(language)s of “%(title)s”.")
                        if changed
                        else gettext(
                            "The %(language)s of “%(title)s” already says exactly this; "
                            "nothing changed."
                        )
                    )
                    % {"language": language_name(language), "title": text.translation_title(obj)},
                )
                return redirect(text.translation_page_url(obj, language))
        status = text.translation_page_status(obj, language, english)
        english_changes = (
            text.translation_english_changes(obj, language) if status == OUT_OF_DATE else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("“%(title)s” in %(language)s")
            % {"title": text.translation_title(obj), "language": language_name(language)},
            "original": obj,
            "language": language,
            "language_name": language_name(language),
            "form": form,
            "note": form["note"] if "note" in form.fields else None,
            "english_seen": fingerprint,
            "status": status,
            "status_label": TRANSLATION_STATUS_LABELS[status],
            "tools": text.translation_tools(obj, language),
            "english_changes": english_changes,
        }
        return TemplateResponse(request, "admin/courses/translation.html", context)
