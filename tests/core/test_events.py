"""Side effects are announced and followed explicitly (``learning.core.events``), never by model signals."""

import uuid
from dataclasses import dataclass

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save

from learning.accounts.events import PeopleChanged, PersonChanged, PersonRegistered
from learning.accounts.models import User
from learning.accounts.services import user_admin_saved
from learning.campaigns.events import MembershipsChanged
from learning.campaigns.models import AssignmentMember
from learning.certificates.events import CertificateIssued
from learning.core import events
from learning.progress import services as progress_services
from learning.progress.events import CourseCompleted, CourseStarted, LessonCompleted, QuizSubmitted
from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt
from learning.stats.models import DirtyDay

XAPI = "learning.xapi.subscriptions"  # every learner record becomes statements in the xAPI outbox


@dataclass(frozen=True)
class Rang(events.Event):
    who: str


def test_handlers_run_in_order_once_each():
    heard = []

    def first(event):
        heard.append(("first", event.who))

    def second(event):
        heard.append(("second", event.who))

    events.subscribe(Rang, first)
    events.subscribe(Rang, second)
    events.subscribe(Rang, first)  # twice is harmless
    events.publish(Rang(who="bell"))
    assert heard == [("first", "bell"), ("second", "bell")]
    assert events.subscribers(Rang) == [first, second]


def test_only_event_classes_can_be_subscribed_to():
    with pytest.raises(TypeError):
        events.subscribe(dict, print)


@pytest.mark.parametrize(
    ("event_type", "followers"),
    [
        (PersonRegistered, {"learning.campaigns.subscriptions", "learning.stats.subscriptions", XAPI}),
        (PersonChanged, {"learning.campaigns.subscriptions", "learning.stats.subscriptions", XAPI}),
        (CourseStarted, {"learning.campaigns.subscriptions", "learning.stats.subscriptions", XAPI}),
        (
            CourseCompleted,
            {
                "learning.campaigns.subscriptions",
                "learning.certificates.subscriptions",
                "learning.stats.subscriptions",
                XAPI,
            },
        ),
        (LessonCompleted, {"learning.stats.subscriptions", XAPI}),
        (QuizSubmitted, {"learning.stats.subscriptions", XAPI}),
        (PeopleChanged, {"learning.stats.subscriptions"}),
        (MembershipsChanged, {"learning.stats.subscriptions", XAPI}),
        (CertificateIssued, {XAPI}),
    ],
)
def test_each_event_is_followed_where_the_architecture_says(event_type, followers):
    assert {handler.__module__ for handler in events.subscribers(event_type)} == followers


@pytest.mark.parametrize("model", [User, Enrolment, LessonCompletion, QuizAttempt, AssignmentMember])
def test_no_model_signal_receivers_of_ours_on_learner_records(model):
    for signal in (post_save, post_delete):
        modules = {receiver.__module__ for receiver in signal._live_receivers(model)[0]}
        assert not {m for m in modules if m.startswith("learning.")}, (signal, modules)
    through = User.target_groups.through
    modules = {receiver.__module__ for receiver in m2m_changed._live_receivers(through)[0]}
    assert not {m for m in modules if m.startswith("learning.")}


def test_a_failing_follower_undoes_the_write(learner, lessons):
    def broken(event):
        raise RuntimeError("follower failed")

    events.subscribe(LessonCompleted, broken)
    try:
        with pytest.raises(RuntimeError):
            progress_services.lesson_complete(
                user=learner, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60
            )
    finally:
        events._handlers[LessonCompleted].remove(broken)
    assert not LessonCompletion.objects.exists()  # nothing half-written
    assert not Enrolment.objects.exists()


def test_a_lesson_completion_marks_its_commune_day(learner, lessons):
    DirtyDay.objects.all().delete()
    progress_services.lesson_complete(user=learner, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60)
    assert set(DirtyDay.objects.values_list("commune_id", flat=True)) == {"06688"}


def test_a_move_in_the_user_admin_marks_both_communes(make_user):
    person = make_user(commune="06688")
    DirtyDay.objects.all().delete()
    other = "06652"
    person.commune_id = other
    person.save()
    user_admin_saved(user=person, created=False, previous_commune_id="06688")
    assert set(DirtyDay.objects.values_list("commune_id", flat=True)) == {"06688", other}
