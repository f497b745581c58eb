"""Output serializers bind their fields once per class (learning.api.serializers.OutputSerializer): the answers
must be those DRF gives when it binds the fields anew for every serializer, one learner's answer must never
carry another's values, and the schema still documents every field."""

import uuid

import pytest
from django.urls import reverse
from rest_framework import serializers

from learning.api import serializers as s
from learning.progress import selectors as progress_selectors
from learning.progress import services as progress_services

pytestmark = pytest.mark.django_db


def _answers(states):
    return (
        [s.CourseDetailSerializer(state).data for state in states],
        [
            s.ProgressSerializer(progress_selectors.my_courses(user=state.enrolment.user), many=True).data
            for state in states
        ],
    )


def test_answers_match_drf_and_keep_nothing_of_the_previous_one(make_user, course, lessons, monkeypatch):
    ahead, behind = make_user(), make_user()
    for user in (ahead, behind):
        progress_services.enrolment_ensure(user=user, course=course)
    for lesson in lessons[:2]:
        progress_services.lesson_complete(user=ahead, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)
    states = [progress_selectors.course_state(user=user, course=course) for user in (ahead, behind, ahead)]

    kept = _answers(states)
    monkeypatch.setattr(s.OutputSerializer, "fields", serializers.Serializer.fields)  # DRF's own, bound each time
    fresh = _answers(states)

    assert kept == fresh
    details, progress = kept
    assert [d["lessons"][0]["completed"] for d in details] == [True, False, True]
    assert [d["percent_complete"] > 0 for d in details] == [True, False, True]
    assert [p[0]["lessons_completed"] for p in progress] == [2, 0, 2]
    assert details[0]["intro"] and details[0]["next_step"]["kind"] == "lesson"


def test_fields_are_bound_to_an_empty_serializer(course, learner):
    state = progress_selectors.course_state(user=learner, course=course)
    assert s.CourseDetailSerializer(state).data["id"] == course.pk
    fields = s.CourseDetailSerializer(state).fields
    assert fields is s.CourseDetailSerializer().fields
    assert fields["title"].parent.instance is None  # no learner's state kept by the process


def test_schema_documents_the_fields(client):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    components = schema.json()["components"]["schemas"]
    assert {"percent_complete", "next_step", "lessons", "quizzes"} <= set(components["CourseDetail"]["properties"])
    assert {"final_tests_passed", "enrolled_at"} <= set(components["Progress"]["properties"])
