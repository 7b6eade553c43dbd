"""
Certificates: given when a parent has done every published lesson of a course. Each has a
verification code anyone can check at a public address, which shows only the name, the course
and the date.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from circle.compiled import CompiledRead, cache_related, columns, from_row
from courses.models import Certificate, Course, Lesson, LessonProgress

# No 0/O or 1/I/L, so a code read aloud or typed from paper comes out right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4  # 16 characters from 31: about 79 bits, far beyond guessing


def certificate_code_new():
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def certificate_code_normalise(code):
    """Accept a code typed in lower case or without dashes."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(
        letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH)
    )


# A parent's certificates with their courses, on every dashboard: compiled once.
_CERTIFICATES_OF = CompiledRead(
    lambda p: (
        Certificate.objects.filter(user=p.user)
        .order_by("completed_on", "id")
        .values_list(*columns(Certificate), *columns(Course, "course__"))
    ),
    user=int,
)


def certificates_of(user):
    """The parent's certificates, each with its course, oldest first (one query)."""
    found = []
    for row in _CERTIFICATES_OF(user=user.pk):
        certificate, course, _ = from_row(row, Certificate, Course)
        cache_related(certificate, "course", course)
        found.append(certificate)
    return found


def _undone_query(p):
    done = LessonProgress.objects.filter(user=p.user, completed_at__isnull=False).values("lesson")
    lessons = Lesson.objects.published().filter(module__course=p.course)
    return lessons.exclude(pk__in=done).values_list("pk")[:1]


# Asked on every "Mark as done": compiled once (circle/compiled.py).
_UNDONE = CompiledRead(_undone_query, user=int, course=int)


def course_is_complete(*, user, course):
    """Has the parent done every published lesson of the course? One query while they have not."""
    if _UNDONE(user=user.pk, course=course.pk):
        return False
    # Only asked once everything is done: an empty course earns nothing.
    return Lesson.objects.published().filter(module__course=course).exists()


def certificate_issue_if_earned(*, user, course):
    """
    The parent's certificate for the course: the one they already have, or a new one if every
    published lesson is done, else None. Safe to call again and again (and at the same time).
    """
    if not course_is_complete(user=user, course=course):
        return None
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    completed_at = LessonProgress.objects.filter(
        user=user, lesson__in=Lesson.objects.published().filter(module__course=course)
    ).aggregate(last=Max("completed_at"))["last"]

    completed_on = timezone.localdate(completed_at)
    for _ in range(5):
        try:
            with transaction.atomic():
                certificate, _ = Certificate.objects.get_or_create(
                    user=user,
                    course=course,
                    defaults={
                        "code": certificate_code_new(),
                        "name": user.display_name,
                        "completed_on": completed_on,
                    },
                )
            return certificate
        except IntegrityError:
            # A code collision (vanishingly rare) or a parallel request issued it first.
            existing = Certificate.objects.filter(user=user, course=course).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not find a free certificate code.")


def certificate_rename(*, certificate, name):
    certificate.name = name.strip()
    certificate.save(update_fields=["name"])
    return certificate
