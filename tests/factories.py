"""factory_boy factories for the personas and the course content."""

import datetime
import functools
import uuid

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.groups import join_code_generate
from accounts.models import Membership, ParentGroup, User
from courses.glossary import GlossaryTerm
from courses.models import (
    Assignment,
    Certificate,
    Choice,
    CirclePlace,
    Course,
    Lesson,
    LessonProgress,
    Module,
    PracticeNote,
    Question,
    QuestionAttempt,
    Reflection,
)

PASSWORD = "a-long-test-password-42"


@functools.cache
def _password_hash():
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("first_name")
    # One real (Argon2) hash made once and shared: hashing per user made big tests slow.
    password = factory.LazyFunction(lambda: _password_hash())

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as mandatory verification needs for logging in."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course for tests."
    description = "About this **course**."


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = "What this lesson is about."
    circle_place = CirclePlace.EXPLORATION
    minutes = 8
    body = "## A heading\n\nSome *warm* words about children."
    key_points = "First point\nSecond point\nThird point"
    practice = "Try one small thing this week."
    reflection_prompt = "What did you notice?"
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    lesson = factory.SubFactory(LessonFactory)
    text = "Which is true?"
    position = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Choice {n}")
    feedback = "Here is why."
    position = factory.Sequence(lambda n: n)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    started_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)


class ParentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")
    course = factory.SubFactory(CourseFactory)
    join_code = factory.LazyFunction(join_code_generate)

    @factory.post_generation
    def facilitators(group, create, extracted, **kwargs):
        if create and extracted:
            group.facilitators.add(*extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(ParentGroupFactory)
    user = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    group = factory.SubFactory(ParentGroupFactory)
    module = factory.SubFactory(ModuleFactory)


def lesson_change_data(lesson, **changes):
    """The lesson's change form as the admin would post it, with no questions."""
    data = {
        "module": lesson.module_id,
        "title": lesson.title,
        "slug": lesson.slug,
        "summary": lesson.summary,
        "position": lesson.position,
        "is_published": "on" if lesson.is_published else "",
        "circle_place": lesson.circle_place,
        "principle": lesson.principle,
        "minutes": lesson.minutes,
        "body": lesson.body,
        "key_points": lesson.key_points,
        "practice": lesson.practice,
        "reflection_prompt": lesson.reflection_prompt,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    text = factory.Sequence(lambda n: f"Reflection text number {n}.")


class PracticeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeNote

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    key = factory.LazyFunction(uuid.uuid4)
    noted_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    tried = factory.Sequence(lambda n: f"Tried thing number {n}.")
    happened = "It went better than I thought."


class QuestionAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionAttempt

    user = factory.SubFactory(UserFactory)
    choice = factory.SubFactory(ChoiceFactory)
    question = factory.LazyAttribute(lambda attempt: attempt.choice.question)
    is_correct = factory.LazyAttribute(lambda attempt: attempt.choice.is_correct)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: f"TEST-CODE-{n:04d}-ABCD")
    name = "Pat Parent"
    completed_on = factory.LazyFunction(timezone.localdate)


def add_questions(lesson, count):
    """`count` questions on the lesson, each with one right and two wrong choices."""
    questions = []
    for _ in range(count):
        question = QuestionFactory(lesson=lesson)
        ChoiceFactory(question=question, text="Right", is_correct=True, feedback="Yes, because.")
        ChoiceFactory(question=question, text="Wrong", feedback="Not quite, because.")
        ChoiceFactory(question=question, text="Also wrong", feedback="Have another look.")
        questions.append(question)
    return questions


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"term-{n}")
    term = factory.Sequence(lambda n: f"Term {n}")
    forms = factory.Sequence(lambda n: f"term {n}")
    definition = "What the word means, in a sentence."
    position = factory.Sequence(lambda n: n)
