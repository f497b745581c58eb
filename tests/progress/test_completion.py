import uuid

import pytest
from django.core.exceptions import ValidationError

from learning.progress.models import Enrolment, LessonCompletion
from learning.progress.selectors import course_state
from learning.progress.services import enrolment_ensure, lesson_complete

pytestmark = pytest.mark.django_db


def complete(user, lesson, client_id=None, seconds=120):
    return lesson_complete(user=user, lesson=lesson, client_id=client_id or uuid.uuid4(), time_spent_seconds=seconds)


def test_completion_records_time_and_commune_and_enrols(learner, lessons):
    result = complete(learner, lessons[0], seconds=300)
    assert result.created
    record = LessonCompletion.objects.get()
    assert (record.time_spent_seconds, record.commune_id) == (300, "06688")
    assert Enrolment.objects.get(user=learner).commune_id == "06688"


def test_completing_again_or_replaying_changes_nothing(learner, lessons):
    client_id = uuid.uuid4()
    first = complete(learner, lessons[0], client_id, seconds=300)
    replay = complete(learner, lessons[0], client_id, seconds=999)
    again = complete(learner, lessons[0], seconds=50)
    assert not replay.created and not again.created
    assert replay.completion.pk == again.completion.pk == first.completion.pk
    assert LessonCompletion.objects.get().time_spent_seconds == 300


def test_a_client_id_cannot_be_reused_for_another_lesson(learner, lessons):
    client_id = uuid.uuid4()
    complete(learner, lessons[0], client_id)
    with pytest.raises(ValidationError) as exc:
        complete(learner, lessons[1], client_id)
    assert "client_id" in exc.value.message_dict
    assert LessonCompletion.objects.count() == 1


def test_lessons_open_in_order(learner, lessons):
    with pytest.raises(ValidationError) as exc:
        complete(learner, lessons[1])
    assert "locked" in exc.value.message_dict["lesson"][0]
    assert not LessonCompletion.objects.exists()
    complete(learner, lessons[0])
    assert complete(learner, lessons[1]).created


def test_course_can_switch_ordering_off(learner, make_course):
    course = make_course(sequential=False)
    last = course.lessons().last()
    assert complete(learner, last).created
    assert not any(info.locked for info in course_state(user=learner, course=course).lessons)


@pytest.mark.parametrize(
    ("seconds", "words"), [(-1, "negative"), (8 * 3600 + 1, "more than 8 hours"), ("abc", "whole")]
)
def test_absurd_time_spent_is_refused(learner, lessons, seconds, words):
    with pytest.raises(ValidationError) as exc:
        complete(learner, lessons[0], seconds=seconds)
    assert words in exc.value.message_dict["time_spent_seconds"][0]
    assert not LessonCompletion.objects.exists() and not Enrolment.objects.exists()


def test_percent_next_lesson_and_course_completion(learner, course, lessons):
    state = course_state(user=learner, course=course)
    assert (state.percent, state.next_lesson, state.is_complete) == (0, lessons[0], False)
    complete(learner, lessons[0])
    state = course_state(user=learner, course=course)
    assert (state.percent, state.next_lesson) == (33, lessons[1])
    assert [i.locked for i in state.lessons] == [False, False, True]
    complete(learner, lessons[1])
    complete(learner, lessons[2])
    state = course_state(user=learner, course=course)
    assert (state.percent, state.next_lesson, state.is_complete) == (100, None, True)
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None


def test_records_keep_the_commune_of_the_time_when_the_learner_moves(learner, lessons):
    from learning.accounts.services import user_update_profile
    from learning.localities.models import Commune

    complete(learner, lessons[0])
    user_update_profile(
        user=learner, full_name=learner.full_name, commune=Commune.objects.get(code="06652"), target_groups=["citizen"]
    )
    complete(learner, lessons[1])
    communes = list(LessonCompletion.objects.order_by("completed_at").values_list("commune_id", flat=True))
    assert communes == ["06688", "06652"]
    assert Enrolment.objects.get().commune_id == "06688"


def test_enrolment_is_created_once(learner, course):
    assert enrolment_ensure(user=learner, course=course).pk == enrolment_ensure(user=learner, course=course).pk
    assert Enrolment.objects.count() == 1


def test_database_refuses_time_outside_range(learner, lessons):
    from django.db import IntegrityError, transaction

    enrolment = enrolment_ensure(user=learner, course=lessons[0].get_parent().specific)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonCompletion.objects.create(user=learner, lesson=lessons[0], enrolment=enrolment, time_spent_seconds=10**6)
