"""What the statistics follow (subscribed in ``StatsConfig.ready``; see ``learning.core.events``).

Every announced change to a learner record marks the commune-days it counts in (``DirtyDay``), in the
transaction of the change; a task enqueued on commit recomputes them. Writes nobody announces (a shell,
a data migration) are caught by beat's hourly and nightly reconcile.
"""

from learning.accounts.events import PeopleChanged, PersonChanged, PersonRegistered
from learning.campaigns.events import MembershipsChanged
from learning.core.events import subscribe
from learning.progress.events import CourseCompleted, CourseStarted, LessonCompleted, QuizSubmitted

from .services import mark, mark_many, mark_user


def _registered(event: PersonRegistered) -> None:
    mark(event.user.date_joined, event.user.commune_id)


def _person_changed(event: PersonChanged) -> None:
    # The commune they counted in until now, then every day their records count in (groups may have changed).
    mark(event.user.date_joined, event.previous_commune_id)
    mark_user(event.user.pk)


def _people_changed(event: PeopleChanged) -> None:
    mark_many(event.joined | event.previous)
    for user_id in sorted(event.changed_ids):
        mark_user(user_id)


def _course_started(event: CourseStarted) -> None:
    mark(event.enrolment.enrolled_at, event.enrolment.commune_id)


def _course_completed(event: CourseCompleted) -> None:
    mark(event.enrolment.completed_at, event.enrolment.commune_id)


def _lesson_completed(event: LessonCompleted) -> None:
    mark(event.completion.completed_at, event.completion.commune_id)


def _quiz_submitted(event: QuizSubmitted) -> None:
    mark(event.attempt.submitted_at, event.attempt.commune_id)


def _memberships_changed(event: MembershipsChanged) -> None:
    mark_many(
        (when, member.commune_id)
        for member in event.members
        for when in (member.assigned_at, member.completed_at, member.left_at)
        if when
    )


def connect() -> None:
    subscribe(PersonRegistered, _registered)
    subscribe(PersonChanged, _person_changed)
    subscribe(PeopleChanged, _people_changed)
    subscribe(CourseStarted, _course_started)
    subscribe(CourseCompleted, _course_completed)
    subscribe(LessonCompleted, _lesson_completed)
    subscribe(QuizSubmitted, _quiz_submitted)
    subscribe(MembershipsChanged, _memberships_changed)
