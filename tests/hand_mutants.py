"""
The mutants mutmut cannot make: each one drops a whole filter (or turns a count into a
constant) in a rule, and the tests named with it must then fail. `make mutate` runs this after
mutmut; run it alone with `python tests/hand_mutants.py [WORD]` (only mutants whose name
contains WORD).

Every mutant is applied to a throwaway copy of the project, never to the working tree, and
each must match its file exactly once, so a refactor that moves the code makes this script
say so instead of silently testing nothing. Not a test module (pytest does not collect it).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = "tests/test_crosstalk_groups.py"
PROGRESS = "tests/test_crosstalk_progress.py"
REPORT = "tests/test_crosstalk_report.py"
RULES = "tests/test_crosstalk_rules.py"
REMINDER_RULES = "tests/test_reminders_rules.py"
PRIVACY = "tests/test_outcome_privacy.py"
OUTCOMES = "tests/test_outcome_report.py"
CHECKS = "tests/test_knowledge_checks.py"


@dataclass
class HandMutant:
    name: str
    path: str
    before: str
    after: str
    tests: list


MUTANTS = [
    # accounts/groups.py
    HandMutant(
        "confirming an address accepts every open invitation, not only its own",
        "accounts/groups.py",
        "Invitation.objects.open().filter(email=email.strip().lower())",
        "Invitation.objects.open()",
        [f"{GROUPS}::TestConfirmingAnInvitedAddress"],
    ),
    HandMutant(
        "confirming an address locks the first open invitation instead of each one",
        "accounts/groups.py",
        ".open()\n                .filter(pk=invitation.pk)\n",
        ".open()\n",
        [f"{GROUPS}::TestConfirmingAnInvitedAddress"],
    ),
    HandMutant(
        "leaving one group leaves all of them",
        "accounts/groups.py",
        "Membership.objects.filter(group=group, user=user).delete()",
        "Membership.objects.filter(user=user).delete()",
        [f"{GROUPS}::TestLeavingAndRemoving"],
    ),
    HandMutant(
        "removing a parent removes every parent of the group",
        "accounts/groups.py",
        "Membership.objects.filter(group=group, user=user).delete()",
        "Membership.objects.filter(group=group).delete()",
        [f"{GROUPS}::TestLeavingAndRemoving"],
    ),
    HandMutant(
        "accepting a link takes the first invitation in the table",
        "accounts/groups.py",
        '        .filter(token_hash=_token_hash(token or ""))\n',
        "",
        [f"{GROUPS}::TestFollowingAnInvitationLink"],
    ),
    HandMutant(
        "an invitation link finds the first invitation in the table",
        "accounts/groups.py",
        "        .filter(token_hash=_token_hash(token))\n",
        "",
        [f"{GROUPS}::TestSendingInvitations", f"{GROUPS}::TestFollowingAnInvitationLink"],
    ),
    HandMutant(
        "inviting looks up the group's open invitation whatever its address",
        "accounts/groups.py",
        ".filter(group=group, email=email, accepted_at__isnull=True)",
        ".filter(group=group, accepted_at__isnull=True)",
        [f"{GROUPS}::TestSendingInvitations"],
    ),
    HandMutant(
        "inviting looks up the address's open invitation to any group",
        "accounts/groups.py",
        ".filter(group=group, email=email, accepted_at__isnull=True)",
        ".filter(email=email, accepted_at__isnull=True)",
        [f"{GROUPS}::TestSendingInvitations"],
    ),
    HandMutant(
        "a join code finds archived groups too",
        "accounts/groups.py",
        'ParentGroup.objects.active().select_related("course").filter(join_code=code)',
        'ParentGroup.objects.select_related("course").filter(join_code=code)',
        [f"{GROUPS}::test_a_group_marked_archived_with_its_code_still_set_cannot_be_joined"],
    ),
    # accounts/access.py
    HandMutant(
        "a parent reaches their archived groups",
        "accounts/access.py",
        "ParentGroup.objects.active().for_member(user)",
        "ParentGroup.objects.for_member(user)",
        [f"{GROUPS}::TestLeavingAndRemoving"],
    ),
    # courses/progress.py
    HandMutant(
        "one parent's undo un-completes the lesson for every parent",
        "courses/progress.py",
        "LessonProgress.objects.filter(user=user, lesson=lesson).update(completed_at=None)",
        "LessonProgress.objects.filter(lesson=lesson).update(completed_at=None)",
        [f"{PROGRESS}::TestFinishingALesson"],
    ),
    HandMutant(
        "one parent's undo un-completes every lesson of theirs",
        "courses/progress.py",
        "LessonProgress.objects.filter(user=user, lesson=lesson).update(completed_at=None)",
        "LessonProgress.objects.filter(user=user).update(completed_at=None)",
        [f"{PROGRESS}::TestFinishingALesson"],
    ),
    HandMutant(
        "every visit rewrites everyone's last visit",
        "courses/progress.py",
        "LessonProgress.objects.filter(pk=progress.pk).update(last_seen_at=now)",
        "LessonProgress.objects.update(last_seen_at=now)",
        [f"{PROGRESS}::TestOpeningALesson"],
    ),
    HandMutant(
        "marking a lesson done finishes it for every parent",
        "courses/progress.py",
        "user=user, lesson=lesson, completed_at__isnull=True\n    ).update(",
        "lesson=lesson, completed_at__isnull=True\n    ).update(",
        [f"{PROGRESS}::TestFinishingALesson"],
    ),
    HandMutant(
        "marking a lesson done finishes every lesson of the parent",
        "courses/progress.py",
        "user=user, lesson=lesson, completed_at__isnull=True\n    ).update(",
        "user=user, completed_at__isnull=True\n    ).update(",
        [f"{PROGRESS}::TestFinishingALesson"],
    ),
    HandMutant(
        "a course outline shows everyone's progress",
        "courses/progress.py",
        "for row in LessonProgress.objects.filter(\n                user=user, lesson__in=",
        "for row in LessonProgress.objects.filter(\n                lesson__in=",
        ["tests/test_course_pages.py", "tests/test_circle_map.py"],
    ),
    # courses/access.py
    HandMutant(
        "a certificate page shows the parent's certificate for any course",
        "courses/access.py",
        "Certificate.objects.filter(user=user, course=course)",
        "Certificate.objects.filter(user=user)",
        [f"{PROGRESS}::TestCertificates"],
    ),
    HandMutant(
        "a certificate page shows anyone's certificate for the course",
        "courses/access.py",
        "Certificate.objects.filter(user=user, course=course)",
        "Certificate.objects.filter(course=course)",
        [f"{PROGRESS}::TestCertificates"],
    ),
    HandMutant(
        "a question of another lesson answers on this lesson's page",
        "courses/access.py",
        "get_object_or_404(Question, pk=pk, lesson=lesson)",
        "get_object_or_404(Question, pk=pk)",
        [f"{RULES}::TestKnowledgeChecks"],
    ),
    # courses/certificates.py
    HandMutant(
        "another parent's finished lessons complete this parent's course",
        "courses/certificates.py",
        "LessonProgress.objects.filter(user=user, completed_at__isnull=False)",
        "LessonProgress.objects.filter(completed_at__isnull=False)",
        [f"{PROGRESS}::TestCertificates"],
    ),
    HandMutant(
        "the certificate date counts other parents' completions",
        "courses/certificates.py",
        "user=user, lesson__in=Lesson.objects.published().filter(module__course=course)",
        "lesson__in=Lesson.objects.published().filter(module__course=course)",
        [f"{PROGRESS}::TestCertificates"],
    ),
    HandMutant(
        "the certificate date counts lessons of other courses",
        "courses/certificates.py",
        "user=user, lesson__in=Lesson.objects.published().filter(module__course=course)",
        "user=user",
        [f"{PROGRESS}::TestCertificates"],
    ),
    # courses/reports/ (members.py: who is listed and what each has done; group.py: the page's
    # lessons, plan and counts; export.py: the CSV; shared.py: the shared reflections page)
    HandMutant(
        "a lesson's done count is one, not the number of parents",
        "courses/reports/members.py",
        "counts[lesson_id][1] += 1",
        "counts[lesson_id][1] = 1",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "a lesson's started count is one, not the number of parents",
        "courses/reports/members.py",
        "counts[lesson_id][0] += 1",
        "counts[lesson_id][0] = 1",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "the CSV's lesson counts are one, not the number of parents",
        "courses/reports/members.py",
        "counts[lesson_id][1] += 1",
        "counts[lesson_id][1] = 1",
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "the CSV stops after its first page",
        "courses/reports/export.py",
        "        if len(chunk) < chunk_size:\n            return\n",
        "        return\n",
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "the CSV's next page skips members named as the last of the page before",
        "courses/reports/export.py",
        "                Q(sort_name__gt=last.sort_name)\n"
        "                | Q(sort_name=last.sort_name, user__email__gt=last.email)\n",
        "                Q(sort_name__gt=last.sort_name)\n",
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "the report lists every group's members",
        "courses/reports/members.py",
        "User.objects.filter(memberships__group=group)\n",
        "User.objects.all()\n",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "the CSV lists every group's members",
        "courses/reports/members.py",
        "        Membership.objects.filter(group=group)\n        .annotate(",
        "        Membership.objects.all()\n        .annotate(",
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "the report's reflection and check counts include every group's parents",
        "courses/reports/group.py",
        'member_ids = Membership.objects.filter(group=group).values("user_id")',
        'member_ids = Membership.objects.values("user_id")',
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "the CSV counts reflections of parents who are not (or no longer) in the group",
        "courses/reports/group.py",
        'member_ids = Membership.objects.filter(group=group).values("user_id")',
        'member_ids = Membership.objects.values("user_id")',
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "the report's last activity counts lessons of other courses",
        "courses/reports/members.py",
        '"lesson_progress", condition=Q(lesson_progress__lesson_id__in=lesson_ids)',
        '"lesson_progress"',
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "the CSV's last activity counts lessons of other courses",
        "courses/reports/members.py",
        "user_id__in=[member.user_id for member in members], lesson_id__in=lesson_ids\n",
        "user_id__in=[member.user_id for member in members]\n",
        [f"{REPORT}::TestTheCsv"],
    ),
    HandMutant(
        "another group's plan shows in this group's report",
        "courses/reports/group.py",
        '"module__assignments", condition=Q(module__assignments__group=group)',
        '"module__assignments"',
        [f"{REPORT}::TestTheReportShowsThisGroupsPlan"],
    ),
    HandMutant(
        "the shared reflections page reads every group's parents",
        "courses/reports/shared.py",
        'members = Membership.objects.filter(group=group).values("user_id")',
        'members = Membership.objects.values("user_id")',
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    # courses/insights.py
    HandMutant(
        "reflection counts include parents who are not in the group",
        "courses/insights.py",
        "lesson_id__in=lesson_ids, user_id__in=user_ids\n        )",
        "lesson_id__in=lesson_ids\n        )",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "check counts include parents who are not in the group",
        "courses/insights.py",
        "question__lesson_id__in=lesson_ids, user_id__in=user_ids",
        "question__lesson_id__in=lesson_ids",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "a first try is counted across parents",
        "courses/insights.py",
        'user_id=OuterRef("user_id"), question_id=OuterRef("question_id"), id__lt=OuterRef("id")',
        'question_id=OuterRef("question_id"), id__lt=OuterRef("id")',
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "shared reflections include those of parents not in the group",
        "courses/insights.py",
        '.filter(lesson_id=getattr(lesson, "pk", lesson), user_id__in=user_ids)',
        '.filter(lesson_id=getattr(lesson, "pk", lesson))',
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    HandMutant(
        "shared reflections include private ones",
        "courses/insights.py",
        "Reflection.objects.shared()\n",
        "Reflection.objects.all()\n",
        [f"{REPORT}::TestTheReportCountsThisGroupsMembersOnly"],
    ),
    # courses/assignments.py
    HandMutant(
        "taking a module off one group's plan takes it off every group's",
        "courses/assignments.py",
        "Assignment.objects.filter(group=group, module=module).delete()",
        "Assignment.objects.filter(module=module).delete()",
        [f"{RULES}::TestPlansAndLocks"],
    ),
    HandMutant(
        "the lesson page counts groups of other courses as its readers",
        "courses/assignments.py",
        "    if by_course:\n        groups = groups.filter(course=p.course)\n",
        "",
        [f"{RULES}::TestWhoReadsASharedReflection"],
    ),
    HandMutant(
        "a parent's plans include unpublished modules",
        "courses/assignments.py",
        "if assignment_id is not None and published and course_published:",
        "if assignment_id is not None and course_published:",
        [f"{RULES}::TestPlansAndLocks"],
    ),
    HandMutant(
        "an archived group locks its modules",
        "courses/assignments.py",
        "    groups = ParentGroup.objects.active().for_member(user)\n",
        "    groups = ParentGroup.objects.for_member(user)\n",
        [f"{RULES}::TestPlansAndLocks"],
    ),
    # courses/checks.py (question_answer is decorated, so mutmut leaves it alone)
    HandMutant(
        "a double tap finds another parent's latest answer to the question",
        "courses/checks.py",
        "QuestionAttempt.objects.filter(user=user, question=question)",
        "QuestionAttempt.objects.filter(question=question)",
        [f"{CHECKS}::TestAnswering"],
    ),
    HandMutant(
        "a choice of another question is recorded as an answer",
        "courses/checks.py",
        "    if choice.question_id != question.pk:\n        raise ValidationError(",
        "    if False:\n        raise ValidationError(",
        [f"{CHECKS}::TestAnswering"],
    ),
    # courses/journal.py
    HandMutant(
        "a practice note's form key finds another parent's note",
        "courses/journal.py",
        "PracticeNote.objects.get_or_create(\n        user=user, key=key,",
        "PracticeNote.objects.get_or_create(\n        key=key,",
        [f"{RULES}::TestAParentsOwnWriting"],
    ),
    HandMutant(
        "an archived group's facilitators are named as readers of a shared reflection",
        "courses/journal.py",
        'ParentGroup.objects.active().for_member(user).order_by("name", "pk")',
        'ParentGroup.objects.for_member(user).order_by("name", "pk")',
        [f"{RULES}::TestWhoReadsASharedReflection"],
    ),
    # reminders/rules.py (who gets which reminder)
    HandMutant(
        "a module opening in another group's plan reminds this parent",
        "reminders/rules.py",
        "if item.group_id in group_ids and item.opens_on == today",
        "if item.opens_on == today",
        [REMINDER_RULES],
    ),
    HandMutant(
        "a suggested day in another group's plan reminds this parent",
        "reminders/rules.py",
        "if item.group_id not in group_ids or item.due_on != soon:",
        "if item.due_on != soon:",
        [REMINDER_RULES],
    ),
    HandMutant(
        "a suggested day two days away reminds a parent who has done every lesson",
        "reminders/rules.py",
        "if progress.done < module_totals.get(item.module_id, 0):",
        "if True:",
        [REMINDER_RULES],
    ),
    HandMutant(
        "a module with no published lessons reminds when it opens",
        "reminders/rules.py",
        "        if module_totals.get(module_id, 0):\n            due.append(",
        "        if True:\n            due.append(",
        [REMINDER_RULES],
    ),
    HandMutant(
        "a kind of reminder the person turned off is sent anyway",
        "reminders/rules.py",
        "return wanted(due, turned_off=person.turned_off)",
        "return due",
        [REMINDER_RULES],
    ),
    HandMutant(
        "lessons started in another course put a parent in the middle of this one",
        "reminders/rules.py",
        "started = sum(modules[m].started for m in course_modules if m in modules)",
        "started = sum(progress.started for progress in modules.values())",
        [REMINDER_RULES],
    ),
    HandMutant(
        "lessons done in another course count towards finishing this one",
        "reminders/rules.py",
        "done = sum(modules[m].done for m in course_modules if m in modules)",
        "done = sum(progress.done for progress in modules.values())",
        [REMINDER_RULES],
    ),
    HandMutant(
        "welcome back reads the last visit to any course",
        "reminders/rules.py",
        "days = [modules[m].last_seen for m in course_modules if m in modules and "
        "modules[m].last_seen]",
        "days = [progress.last_seen for progress in modules.values() if progress.last_seen]",
        [REMINDER_RULES],
    ),
    HandMutant(
        "welcome back has no limit of three in all",
        "reminders/rules.py",
        "    if len(previous) >= WELCOME_BACK_MAX:\n        return False\n",
        "",
        [REMINDER_RULES],
    ),
    HandMutant(
        "a plan whose suggested day is still to come counts as behind",
        "reminders/rules.py",
        "        and item.due_on < today\n",
        "",
        [REMINDER_RULES],
    ),
    # outcomes/privacy.py (no figure of fewer than five parents, none to subtract to) and where
    # the outcome report and the funders' file apply it
    HandMutant(
        "figures about four parents are shown",
        "outcomes/privacy.py",
        "MIN_PARENTS = 5",
        "MIN_PARENTS = 4",
        [PRIVACY],
    ),
    HandMutant(
        "a small part is hidden but the others stay beside the whole, to subtract from",
        "outcomes/privacy.py",
        "if hidden == 0 or can_show(hidden) or not shown:",
        "if True:",
        [PRIVACY],
    ),
    HandMutant(
        "the whole given is ignored: parents in no part are not counted as hidden",
        "outcomes/privacy.py",
        "whole = set().union(*parts.values()) if whole is None else set(whole)",
        "whole = set().union(*parts.values())",
        [PRIVACY],
    ),
    HandMutant(
        "the largest part is hidden instead of the smallest",
        "outcomes/privacy.py",
        "shown.discard(min(shown, key=",
        "shown.discard(max(shown, key=",
        [PRIVACY],
    ),
    HandMutant(
        "the outcome report says how many answered a check-in under five",
        "outcomes/reports.py",
        "answered[moment] = count if can_show(count) else None",
        "answered[moment] = count",
        [OUTCOMES],
    ),
    HandMutant(
        "a theme's change is shown from fewer than five pairs",
        "outcomes/reports.py",
        "return paired_change(pairs) if can_show(len(pairs)) else None",
        "return paired_change(pairs)",
        [OUTCOMES],
    ),
    HandMutant(
        "a group's check-in figures show beside the course's whatever the remainder",
        "outcomes/reports.py",
        "withheld = group.pk not in shown",
        "withheld = False",
        [OUTCOMES],
    ),
    HandMutant(
        "the funders' file is made for fewer than five parents",
        "outcomes/funders.py",
        "    if not can_show(len(user_ids)):\n        raise TooFewParents\n",
        "",
        [OUTCOMES],
    ),
]


def copy_project(target):
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "mutants", "__pycache__", ".cache", "var", "staticfiles", "*.egg-info"
    )
    shutil.copytree(ROOT, target, ignore=ignore, dirs_exist_ok=True)


def run_tests(copy, tests):
    env = {**os.environ, "DJANGO_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # in-memory SQLite: quick, and nothing shared
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["--nomigrations", "-m", "not e2e and not html", *tests]
    # The command is this script's own: pytest on test ids from MUTANTS above.
    return subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)  # noqa: S603


def main(word=""):
    chosen = [mutant for mutant in MUTANTS if word in mutant.name]
    survived = []
    with tempfile.TemporaryDirectory(prefix="hand-mutants-") as copy:
        copy_project(copy)
        clean = run_tests(copy, sorted({test for m in chosen for test in m.tests}))
        if clean.returncode != 0:
            print(clean.stdout[-3000:], clean.stderr[-3000:])
            sys.exit("The tests fail without any mutant: fix them first.")
        for mutant in chosen:
            path = Path(copy) / mutant.path
            source = path.read_text()
            found = source.count(mutant.before)
            if found != 1:
                sys.exit(f"{mutant.path}: {mutant.name!r} matches {found} times, not once.")
            path.write_text(source.replace(mutant.before, mutant.after))
            try:
                result = run_tests(copy, mutant.tests)
            finally:
                path.write_text(source)
            killed = result.returncode != 0
            print(f"{'killed  ' if killed else 'SURVIVED'} {mutant.path}: {mutant.name}")
            if not killed:
                survived.append(mutant)
    print(f"\n{len(chosen) - len(survived)} of {len(chosen)} hand-made mutants killed.")
    if survived:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
