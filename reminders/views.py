"""
The Reminders page, the calendar feed, one-click unsubscribe, and the facilitator's
announcement and nudge buttons. Groups are reached only through accounts/access.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_group_for_facilitator, get_group_for_member
from accounts.models import Membership, ParentGroup, User
from reminders.announcements import announcement_post
from reminders.calendar import feed_make, feeds_of, get_feed_for_token, group_calendar
from reminders.forms import AnnouncementForm, NudgeForm, PreferenceForm
from reminders.models import PARENT_KINDS, DigestOptOut, Kind, ReminderPreference
from reminders.nudges import nudge_send
from reminders.sending import language_of
from reminders.tokens import unsubscribe_read


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    preference = ReminderPreference.objects.filter(user=user).first() or ReminderPreference(
        user=user
    )
    groups = list(ParentGroup.objects.for_facilitator(user).active().order_by("name", "id"))
    opted_out = set(DigestOptOut.objects.filter(user=user).values_list("group_id", flat=True))
    initial = {"digest_groups": [str(g.pk) for g in groups if g.pk not in opted_out]}
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        instance=preference,
        groups=groups,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if groups:
                chosen = {int(pk) for pk in form.cleaned_data["digest_groups"]}
                DigestOptOut.objects.filter(user=user, group_id__in=chosen).delete()
                DigestOptOut.objects.bulk_create(
                    [DigestOptOut(user=user, group=g) for g in groups if g.pk not in chosen],
                    ignore_conflicts=True,
                )
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("reminders:preferences")
    # (group, its calendar address, or None until the person asks for one: a GET makes none)
    feeds = [
        (
            group,
            feed and request.build_absolute_uri(reverse("reminders:calendar", args=[feed.token])),
        )
        for group, feed in feeds_of(user)
    ]
    return render(
        request,
        "reminders/preferences.html",
        {"form": form, "feeds": feeds, "kinds": [str(kind) for kind in PARENT_KINDS]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_renew(request, pk):
    """Make the person's calendar address for a group they are in, or a new one in its place."""
    group = get_group_for_member(request.user, pk)
    _feed, replaced = feed_make(user=request.user, group=group)
    if replaced:
        text = _("Here is a new calendar address for %(group)s. The old one no longer works.")
    else:
        text = _("Here is your calendar address for %(group)s.")
    messages.success(request, text % {"group": group.name})
    return redirect(reverse("reminders:preferences") + "#calendar")


@never_cache
def calendar_feed(request, token):
    feed = get_feed_for_token(token)
    # In the parent's own language: the calendar app that fetches it says nothing of theirs.
    with translation.override(language_of(feed.user)):
        ics = group_calendar(group=feed.group)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="group-plan.ics"'
    return response


def _unsubscribe_target(token):
    found = unsubscribe_read(token)
    if found is None:
        raise Http404("This link does not work.")
    user_id, kind, group_id = found
    if kind not in [*PARENT_KINDS, Kind.DIGEST]:
        raise Http404("This link does not work.")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("This link does not work.")
    group = None
    if kind == Kind.DIGEST:
        group = ParentGroup.objects.for_facilitator(user).filter(pk=group_id).first()
        if group is None:
            raise Http404("This link does not work.")
    return user, Kind(kind), group


@csrf_exempt  # RFC 8058: mail apps POST here without a session; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user, kind, group = _unsubscribe_target(token)
    done = request.method == "POST"
    if done:
        # A GET alone never unsubscribes: mail scanners open links to look at them.
        if kind == Kind.DIGEST:
            DigestOptOut.objects.get_or_create(user=user, group=group)
        else:
            preference, _created = ReminderPreference.objects.get_or_create(user=user)
            setattr(preference, kind.value, False)
            preference.save(update_fields=[kind.value, "updated_at"])
    return render(
        request,
        "reminders/unsubscribe.html",
        {"kind": kind, "group": group, "done": done, "token": token},
    )


@login_required
@require_POST
def announcement_post_view(request, pk):
    group = get_group_for_facilitator(request.user, pk)
    form = AnnouncementForm(request.POST)
    if not form.is_valid():
        return render(
            request, "reminders/announcement_form.html", {"group": group, "form": form}, status=400
        )
    if group.is_archived:
        messages.error(request, _("This group is archived, so its parents no longer see it."))
        return redirect("accounts:facilitator-group", group.pk)
    _announcement, created = announcement_post(
        group=group,
        author=request.user,
        text=form.cleaned_data["text"],
        key=form.cleaned_data["key"],
    )
    if created:
        messages.success(request, _("Your announcement is posted and on its way to the group."))
    return redirect(reverse("accounts:facilitator-group", args=[group.pk]) + "#announcements")


@login_required
@require_POST
def nudge_view(request, pk, user_pk):
    group = get_group_for_facilitator(request.user, pk)
    member = Membership.objects.filter(group=group, user_id=user_pk).select_related("user").first()
    if member is None:
        raise Http404("No such member.")
    form = NudgeForm(request.POST)
    # Back to the page of the report the nudge was sent from, where its "Nudged on" shows.
    page = request.POST.get("page", "")
    query = f"?page={int(page)}" if page.isdecimal() and 1 < int(page) < 10**6 else ""
    back = redirect(
        reverse("courses:facilitator-report", args=[group.pk]) + query + "#needs-a-hand"
    )
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return back
    try:
        nudge_send(
            group=group,
            facilitator=request.user,
            member_id=member.user_id,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A kind nudge is on its way to %(name)s.") % {"name": member.user.get_short_name()},
        )
    return back
