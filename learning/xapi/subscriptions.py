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

# Each followed event and the statements it becomes.
STATEMENTS = {
    PersonRegistered: lambda e: services.person_registered(e.user),
    CourseStarted: lambda e: services.enrolment_statements(e.enrolment, completed=False),
    LessonCompleted: lambda e: services.lesson_completed(e.completion),
    QuizSubmitted: lambda e: services.quiz_submitted(e.attempt),
    CourseCompleted: lambda e: services.enrolment_statements(e.enrolment, completed=True),
    CertificateIssued: lambda e: services.certificate_issued(e.certificate),
    MembershipsChanged: lambda e: services.members_assigned(e.members),
}


def _queue(event) -> None:
    if services.enabled_lrs_ids():  # no LRS enabled: nothing is built
        services.outbox_add(STATEMENTS[type(event)](event))


def _person_changed(event: PersonChanged) -> None:
    event.user.__dict__.pop("_xapi_groups", None)  # their groups may have changed: read them again


def connect() -> None:
    subscribe(PersonChanged, _person_changed)
    for event_type in STATEMENTS:
        subscribe(event_type, _queue)
