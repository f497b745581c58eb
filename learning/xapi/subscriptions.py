"""What the xAPI outbox follows (subscribed in ``XapiConfig.ready``; see ``learning.core.events``).

Each announced record becomes its statements, written to the outbox in the transaction of the record (they
commit or roll back with it); nothing is sent from the request. Overdue modules have no event: the daily
sweep (``tasks.sweep_overdue``) writes them, and ``manage.py xapi_backfill`` covers records made before an LRS
was configured or by writes nobody announces (roster imports).
"""

from learning.accounts.events import PersonChanged, PersonRegistered
from learning.campaigns.events import MembershipsChanged
from learning.certificates.events import CertificateIssued
from learning.core.events import subscribe
from learning.progress.events import CourseCompleted, CourseStarted, LessonCompleted, QuizSubmitted

from . import services


def _queue(statements) -> None:
    services.outbox_add(statements)


def _registered(event: PersonRegistered) -> None:
    if services.enabled_lrs_ids():  # no LRS: nothing is built
        _queue(services.person_registered(event.user))


def _course_started(event: CourseStarted) -> None:
    if services.enabled_lrs_ids():
        _queue(services.enrolment_started(event.enrolment))


def _lesson_completed(event: LessonCompleted) -> None:
    if services.enabled_lrs_ids():
        _queue(services.lesson_completed(event.completion))


def _quiz_submitted(event: QuizSubmitted) -> None:
    if services.enabled_lrs_ids():
        _queue(services.quiz_submitted(event.attempt))


def _course_completed(event: CourseCompleted) -> None:
    if services.enabled_lrs_ids():
        _queue(services.enrolment_completed(event.enrolment))


def _certificate_issued(event: CertificateIssued) -> None:
    if services.enabled_lrs_ids():
        _queue(services.certificate_issued(event.certificate))


def _memberships_changed(event: MembershipsChanged) -> None:
    if services.enabled_lrs_ids():
        _queue(services.members_assigned(event.members))


def _person_changed(event: PersonChanged) -> None:
    event.user.__dict__.pop("_xapi_groups", None)  # their groups may have changed: read them again


def connect() -> None:
    subscribe(PersonChanged, _person_changed)
    subscribe(PersonRegistered, _registered)
    subscribe(CourseStarted, _course_started)
    subscribe(LessonCompleted, _lesson_completed)
    subscribe(QuizSubmitted, _quiz_submitted)
    subscribe(CourseCompleted, _course_completed)
    subscribe(CertificateIssued, _certificate_issued)
    subscribe(MembershipsChanged, _memberships_changed)
