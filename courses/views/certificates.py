"""A parent's certificate for a course, and the public page that verifies one by its code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courses.access import (
    get_certificate_for_owner,
    get_certificate_for_verification,
    get_course_for_visitor,
)
from courses.certificates import certificate_issue_if_earned, certificate_rename
from courses.forms import CertificateNameForm
from courses.progress import course_outline


@login_required
def certificate(request, course_slug):
    course = get_course_for_visitor(course_slug)
    # Issued when the last lesson is marked done; issuing here too covers parents who finished
    # before certificates existed.
    certificate = get_certificate_for_owner(request.user, course) or certificate_issue_if_earned(
        user=request.user, course=course
    )
    if certificate is None:
        outline = course_outline(request.user, course)
        return render(
            request, "courses/certificate_not_yet.html", {"course": course, "outline": outline}
        )
    form = CertificateNameForm(initial={"name": certificate.name})
    if request.method == "POST":
        form = CertificateNameForm(request.POST)
        if form.is_valid():
            certificate_rename(certificate=certificate, name=form.cleaned_data["name"])
            messages.success(request, _("The name on your certificate is updated."))
            return redirect(certificate.get_absolute_url())
    return render(request, "courses/certificate.html", {"certificate": certificate, "form": form})


def certificate_verify(request, code):
    certificate = get_certificate_for_verification(code)
    response = render(request, "courses/certificate_verify.html", {"certificate": certificate})
    # The page is for people given the code, not for search engines.
    response["X-Robots-Tag"] = "noindex"
    return response
