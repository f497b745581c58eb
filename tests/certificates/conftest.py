"""A learner who completed a course (its certificate issued on the way), and the pieces to make more."""

import uuid

import pytest

from courses.models import Competence
from learning.certificates.models import Certificate
from learning.progress.models import Enrolment
from learning.progress.services import lesson_complete

HOLDER = "Nguyễn Văn An"


def complete_lessons(user, lessons):
    for lesson in lessons:
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)
    return Enrolment.objects.get(user=user, course_id=lessons[0].get_parent().pk)


@pytest.fixture
def holder(make_user):
    return make_user(full_name=HOLDER, phone="0912345678")


@pytest.fixture
def course_with_competences(course, lessons):
    """The course names 1.1 and 4.2; its first lesson 4.2 (again) and 6.1."""
    course.competences.set(Competence.objects.filter(code__in=["1.1", "4.2"]))
    course.save()
    lessons[0].competences.set(Competence.objects.filter(code__in=["4.2", "6.1"]))
    lessons[0].save()
    return course


@pytest.fixture
def certificate(holder, course_with_competences, lessons) -> Certificate:
    enrolment = complete_lessons(holder, lessons)
    return Certificate.objects.get(enrolment=enrolment)
