import io

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage
from learning.accounts.models import User
from learning.progress.models import Enrolment, LessonCompletion

pytestmark = pytest.mark.django_db


def counts():
    from courses.models import Question, QuizPage

    return (
        QuizPage.objects.count(),
        Question.objects.count(),
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        User.objects.count(),
        Enrolment.objects.count(),
        LessonCompletion.objects.count(),
    )


def test_seed_demo_is_idempotent_and_deterministic(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    completions = sorted(LessonCompletion.objects.values_list("user__phone", "lesson__slug", "time_spent_seconds"))
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert (
        sorted(LessonCompletion.objects.values_list("user__phone", "lesson__slug", "time_spent_seconds")) == completions
    )
    courses = CoursePage.objects.live()
    assert courses.count() == 3
    assert {c.topic for c in courses} == {"data", "digital_skills", "ai"}
    for course in courses:
        assert course.lessons().count() >= 4
        assert course.cover_image is not None
        kinds = [q.kind for q in course.quizzes()]
        assert kinds.count("final_test") == 1 and kinds.count("lesson_check") == course.lessons().count()
    communes = set(User.objects.exclude(commune=None).values_list("commune_id", flat=True))
    assert len(communes) >= 5 and all(c.startswith("0") for c in communes)
    assert User.objects.filter(phone="+84900000000", is_superuser=True).exists()


def test_seed_demo_refuses_with_debug_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_demo_lessons_have_real_text():
    from courses.demo_content import COURSES

    for course in COURSES:
        for lesson in course["lessons"]:
            words = sum(len(str(value).split()) for _kind, value in lesson["body"])
            assert words > 300, lesson["slug"]
            assert "lorem" not in str(lesson["body"]).lower()
