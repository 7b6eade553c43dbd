"""
Answering a lesson's knowledge-check questions: one form POST per question. Without JavaScript
the answer redirects back to its question; with it (htmx), the question's card comes back with
the feedback, in place (courses/in_place.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import get_lesson_for_parent, get_question_for_parent
from courses.checks import lesson_questions, question_answer
from courses.in_place import render_fragment, wants_fragment


@login_required
@require_POST
def question_answer_view(request, course_slug, lesson_slug, pk):
    lesson = get_lesson_for_parent(request.user, course_slug, lesson_slug)
    question = get_question_for_parent(request.user, lesson, pk)
    choice_id = request.POST.get("choice", "")
    choice = (
        question.choices.filter(pk=choice_id).first()
        if choice_id.isascii() and choice_id.isdigit()
        else None
    )
    error = ""
    if choice is None:
        error = _("Please pick one of the answers, then press Check my answer.")
    else:
        question_answer(user=request.user, question=question, choice=choice)
    if wants_fragment(request):
        return _question_card(request, lesson, question, error=error)
    if error:
        messages.error(request, error)
    return redirect(f"{lesson.get_absolute_url()}#question-{question.pk}")


def _question_card(request, lesson, question, *, error):
    """The answered question's card, numbered as on the page, with its feedback or `error`."""
    states = lesson_questions(user=request.user, lesson=lesson)
    found = [
        (number, state)
        for number, state in enumerate(states, start=1)
        if state.question.pk == question.pk
    ]
    if not found:
        # Only while the content cache has yet to see a question added this very moment: the
        # whole page (htmx's script follows the redirect) rather than a card out of step.
        return redirect(f"{lesson.get_absolute_url()}#question-{question.pk}")
    number, state = found[0]
    return render_fragment(
        request,
        "question_card",
        {
            "course": lesson.module.course,
            "lesson": lesson,
            "state": state,
            "number": number,
            "pick_error": error,
        },
    )
