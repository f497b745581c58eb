"""Every write to learner progress goes through here."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.core.events import publish

from .events import CourseCompleted, CourseStarted, LessonCompleted
from .models import Enrolment, LessonCompletion
from .selectors import course_state, lesson_state


def enrolment_ensure(*, user, course) -> Enrolment:
    """Enrol ``user`` in ``course`` (opening a course does this); safe to call again."""
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment:
        return enrolment
    try:
        with transaction.atomic():
            enrolment = enrolment_create(user=user, course=course)
    except IntegrityError:  # a concurrent request enrolled first
        return Enrolment.objects.get(user=user, course=course)
    return enrolment


def enrolment_create(*, user, course) -> Enrolment:
    """Insert the enrolment of a learner who is not enrolled yet, with no savepoint of its own: if a
    concurrent request enrolled first, the caller's transaction fails with ``IntegrityError``.
    Announces ``CourseStarted`` in that transaction (a mandatory module requiring the course is now
    "in progress"; the statistics count a participant)."""
    enrolment = Enrolment.objects.create(user=user, course=course, commune_id=user.commune_id)
    publish(CourseStarted(enrolment=enrolment))
    return enrolment


def enrolment_refresh_completion(*, user, course, now, enrolment=None) -> Enrolment:
    """Record activity, and the course's completion once every lesson is done and the final test
    (if the course has one) is passed."""
    enrolment = enrolment or enrolment_ensure(user=user, course=course)
    enrolment.last_activity_at = now
    update = ["last_activity_at"]
    if enrolment.completed_at is None and course_state(user=user, course=course).is_complete:
        enrolment.completed_at = now
        update.append("completed_at")
    enrolment.save(update_fields=update)
    if "completed_at" in update:
        publish(CourseCompleted(enrolment=enrolment))
    return enrolment


@dataclass
class CompletionResult:
    completion: LessonCompletion
    created: bool
    state: object  # LessonState after the completion


def _validate_time(time_spent_seconds) -> int:
    try:
        seconds = int(time_spent_seconds)
    except (TypeError, ValueError):
        raise ValidationError({"time_spent_seconds": _("Time spent must be a whole number of seconds.")}) from None
    if seconds < 0:
        raise ValidationError({"time_spent_seconds": _("Time spent cannot be negative.")})
    if seconds > settings.MAX_LESSON_SECONDS:
        raise ValidationError(
            {
                "time_spent_seconds": _("Time spent cannot be more than %(hours)d hours for one lesson.")
                % {"hours": settings.MAX_LESSON_SECONDS // 3600}
            }
        )
    return seconds


def _seconds_justified(*, user, course, now) -> int:
    """The most time the server can vouch for: since the learner's last recorded activity in the course
    (enrolling, a lesson, a quiz); nothing before they are enrolled."""
    last = Enrolment.objects.filter(user=user, course=course).values_list("last_activity_at", flat=True).first()
    if last is None:
        return 0
    return max(0, int((now - last).total_seconds()))


def lesson_complete(
    *, user, lesson, client_id: uuid.UUID, time_spent_seconds: int, claimed: bool = False
) -> CompletionResult:
    """Mark ``lesson`` complete for ``user``.

    Idempotent: the same ``client_id`` replayed, or the lesson completed again, changes
    nothing and returns the first completion. Refuses a locked lesson and absurd times.
    ``claimed``: the time comes from the client (the API), not measured by the server (the page's
    signed view token); it is clamped to the time since the learner's last activity in the course.
    """
    seconds = _validate_time(time_spent_seconds)
    replay = LessonCompletion.objects.filter(client_id=client_id).first()
    if replay is not None:
        if replay.user_id != user.pk or replay.lesson_id != lesson.pk:
            raise ValidationError({"client_id": _("This client_id was already used for another request.")})
        return CompletionResult(replay, False, lesson_state(user=user, lesson=lesson))
    existing = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
    if existing is not None:
        return CompletionResult(existing, False, lesson_state(user=user, lesson=lesson))

    state = lesson_state(user=user, lesson=lesson)
    if state.locked:
        raise ValidationError({"lesson": _("This lesson is locked: complete the previous lesson first.")})
    course = state.course_state.course
    now = timezone.now()
    if claimed:
        seconds = min(seconds, _seconds_justified(user=user, course=course, now=now))
    try:
        with transaction.atomic():
            enrolment = enrolment_ensure(user=user, course=course)
            completion = LessonCompletion.objects.create(
                user=user,
                lesson=lesson,
                enrolment=enrolment,
                commune_id=user.commune_id,
                client_id=client_id,
                time_spent_seconds=seconds,
                completed_at=now,
            )
            publish(LessonCompleted(completion=completion))
            enrolment_refresh_completion(user=user, course=course, now=now, enrolment=enrolment)
            after = lesson_state(user=user, lesson=lesson, course=course)
    except IntegrityError:
        # A concurrent request with the same client_id or for the same lesson won the race.
        completion = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
        if completion is None:
            raise ValidationError({"client_id": _("This client_id was already used for another request.")}) from None
        return CompletionResult(completion, False, lesson_state(user=user, lesson=lesson))
    return CompletionResult(completion, True, after)
