"""Answering a lesson's knowledge-check questions: one plain form POST per question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.access import get_lesson_for_parent, get_question_for_parent
from courses.checks import question_answer


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
    if choice is None:
        messages.error(request, _("Please pick one of the answers, then press Check my answer."))
    else:
        question_answer(user=request.user, question=question, choice=choice)
    return redirect(f"{lesson.get_absolute_url()}#question-{question.pk}")
