"""Time spent claimed by an API client is clamped to what the server can vouch for."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from learning.progress.models import LessonCompletion

pytestmark = pytest.mark.django_db


def complete(api, lesson, seconds):
    response = api.post(
        f"/api/v1/lessons/{lesson.pk}/complete/",
        {"client_id": str(uuid.uuid4()), "time_spent_seconds": seconds},
        format="json",
    )
    assert response.status_code == 201, response.content
    return LessonCompletion.objects.get(lesson=lesson).time_spent_seconds


def test_a_course_done_at_once_over_the_api_records_no_invented_time(learner_api, lessons):
    # Not enrolled before: nothing to measure from.
    assert complete(learner_api, lessons[0], 3600) == 0
    assert all(complete(learner_api, lesson, 7200) <= 2 for lesson in lessons[1:])


def test_claimed_time_is_clamped_to_the_time_since_the_last_activity(learner_api, lessons):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert learner_api.post(f"/api/v1/courses/{lessons[0].get_parent().pk}/enrol/").status_code in (200, 201)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert complete(learner_api, lessons[0], 3600) == 600
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        assert complete(learner_api, lessons[1], 120) == 120  # a modest claim stands
