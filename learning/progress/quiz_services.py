"""Quiz attempts live on the server: start, save answers, submit, close when time runs out.

Every write is idempotent where a phone may retry: starting again returns the open attempt,
an answer carries a client-made id, and submitting twice returns the same result.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses import quiz_engine
from learning.core.events import publish

from . import quiz_ids, quiz_selectors
from .errors import QuizError
from .events import QuizSubmitted
from .models import AnswerSubmission, AttemptAnswer, QuizAttempt
from .selectors import quiz_lock_reason
from .services import enrolment_create, enrolment_refresh_completion

logger = logging.getLogger(__name__)

# Answers arriving this long after the deadline still count (slow networks, clock skew).
GRACE = timedelta(seconds=5)


def _deadline_passed(attempt: QuizAttempt, now) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


@dataclass
class StartResult:
    attempt: QuizAttempt
    created: bool


def _limits_check(*, user, quiz, submitted: int, now) -> None:
    if quiz.max_attempts and submitted >= quiz.max_attempts:
        raise QuizError(
            "attempt_limit", _("You have used all %(n)d attempts allowed for this quiz.") % {"n": quiz.max_attempts}
        )
    last = quiz_selectors.last_submitted_at(user=user, quiz=quiz) if quiz.min_wait_minutes and submitted else None
    if last and now < last + timedelta(minutes=quiz.min_wait_minutes):
        when = timezone.localtime(last + timedelta(minutes=quiz.min_wait_minutes))
        raise QuizError("wait", _("You can try again from %(time)s.") % {"time": date_format(when, "H:i, d/m/Y")})


def _attempt_start_once(*, user, quiz, course, last_try: bool) -> StartResult | None:
    """One try at starting; None when a concurrent request changed the learner's attempts after they
    were read here (the caller tries once more on what is there now)."""
    now = timezone.now()
    state = quiz_selectors.start_state(user=user, quiz=quiz, course=course)
    if state.open_id is not None:
        open_attempt = QuizAttempt.objects.filter(pk=state.open_id).first()
        if open_attempt is None or open_attempt.status != QuizAttempt.Status.IN_PROGRESS:
            return None  # submitted or removed since it was read
        if not _deadline_passed(open_attempt, now):
            return StartResult(open_attempt, False)
        attempt_submit(attempt=open_attempt, closed_by="timeout")
        state = quiz_selectors.start_state(user=user, quiz=quiz, course=course)
    locked = quiz_lock_reason(user=user, quiz=quiz, course=course)
    if locked:
        raise QuizError("locked", locked)
    _limits_check(user=user, quiz=quiz, submitted=state.submitted, now=now)
    snapshot = quiz_engine.snapshot_build(quiz, stamp=state.pool_stamp)
    time_limit = quiz.time_limit_minutes * 60 if quiz.time_limit_minutes else None
    try:
        # The database has the last word: at most one open attempt per learner and quiz, and attempt
        # numbers unique per learner and quiz, so a start that read a stale count or missed a
        # concurrent start collides here instead of going past the limit or the wait.
        with transaction.atomic():
            if not state.enrolled:
                enrolment_create(user=user, course=course)
            attempt = QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                course=course,
                commune_id=user.commune_id,
                number=state.submitted + 1,
                started_at=now,
                deadline=now + timedelta(seconds=time_limit) if time_limit else None,
                pass_mark_percent=quiz.pass_mark_percent,
                time_limit_seconds=time_limit,
                review_policy=quiz.review_policy,
                snapshot=snapshot,
            )
    except IntegrityError:
        open_attempt = QuizAttempt.objects.filter(user=user, quiz=quiz, status="in_progress").first()
        if open_attempt is not None:  # a concurrent start won: return its attempt
            return StartResult(open_attempt, False)
        if last_try:
            raise
        return None  # a concurrent enrolment, or an attempt started and submitted meanwhile
    return StartResult(attempt, True)


def attempt_start(*, user, quiz, course=None) -> StartResult:
    """Start an attempt, or return the one already open. Enforces attempt limits and waits.

    ``course`` is the quiz's published course when the caller has it (``quiz_selectors.quiz_for_start``).
    A learner who is not enrolled in the course yet is enrolled in the same transaction."""
    course = course or quiz_selectors.quiz_course(quiz)
    result = _attempt_start_once(user=user, quiz=quiz, course=course, last_try=False)
    if result is None:
        result = _attempt_start_once(user=user, quiz=quiz, course=course, last_try=True)
    if result is None:
        raise QuizError("busy", _("Your attempts changed while starting this one. Please try again."))
    return result


def _question(attempt: QuizAttempt, question_key: str) -> dict:
    for item in attempt.snapshot["questions"]:
        if item["key"] == str(question_key):
            return item
    raise QuizError("not_in_attempt", _("This question is not part of this attempt."), field="question_id")


def answer_save(*, attempt: QuizAttempt, question_key: str, response, client_id: uuid.UUID) -> AttemptAnswer | None:
    """Save the learner's answer to one question. The same ``client_id`` again changes nothing."""
    seen = AnswerSubmission.objects.filter(client_id=client_id).first()
    if seen is not None:
        if seen.attempt_id != attempt.pk or seen.question_key != str(question_key):
            raise QuizError("client_id", _("This client_id was already used for another answer."), field="client_id")
        return AttemptAnswer.objects.filter(attempt=attempt, question_key=seen.question_key).first()
    item = _question(attempt, question_key)
    clean = quiz_engine.response_clean(item, response)
    try:
        with transaction.atomic():
            # Lock the attempt so an answer and a submit of the same attempt never interleave.
            current = QuizAttempt.objects.select_for_update().only("status", "deadline").get(pk=attempt.pk)
            if current.status != "in_progress":
                raise QuizError(
                    "submitted", _("This attempt has already been submitted; answers can no longer change.")
                )
            now = timezone.now()
            if _deadline_passed(current, now):
                raise QuizError("time_up", _("Time is up: this answer arrived after the deadline and was not counted."))
            AnswerSubmission.objects.create(
                attempt=attempt, question_key=item["key"], client_id=client_id, response=clean, received_at=now
            )
            answer, _created = AttemptAnswer.objects.update_or_create(
                attempt=attempt,
                question_key=item["key"],
                defaults={"response": clean, "client_id": client_id, "saved_at": now},
            )
    except IntegrityError:  # the same request, sent twice at once
        return AttemptAnswer.objects.filter(attempt=attempt, question_key=item["key"]).first()
    return answer


@transaction.atomic
def attempt_submit(*, attempt: QuizAttempt, closed_by: str = "learner") -> QuizAttempt:
    """Grade and close an attempt. Submitting again returns the same result."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status == "submitted":
        return attempt
    answers = {a.question_key: a for a in attempt.answers.all()}
    items = {item["key"]: item for item in attempt.snapshot["questions"]}
    fractions = {}
    for key, answer in answers.items():
        if key in items:
            fractions[key] = quiz_engine.grade(items[key], answer.response)
            answer.fraction = fractions[key]
    AttemptAnswer.objects.bulk_update(list(answers.values()), ["fraction"])
    now = timezone.now()
    if _deadline_passed(attempt, now):
        closed_by = "timeout"  # a submit after the deadline (and its grace) is time running out
    if closed_by == "timeout" and attempt.deadline:
        now = min(now, attempt.deadline)
    attempt.score_percent = quiz_engine.score_percent(attempt.snapshot, fractions)
    attempt.passed = attempt.score_percent >= Decimal(attempt.pass_mark_percent)
    attempt.status = "submitted"
    attempt.closed_by = closed_by
    attempt.submitted_at = now
    attempt.save(update_fields=["score_percent", "passed", "status", "closed_by", "submitted_at"])
    publish(QuizSubmitted(attempt=attempt))
    if attempt.passed:
        enrolment_refresh_completion(user=attempt.user, course=attempt.course, now=now)
    return attempt


def attempt_close_if_expired(attempt: QuizAttempt) -> QuizAttempt:
    """The attempt as it stands now: an open one whose time ran out is graded and closed first."""
    if attempt.status == "in_progress" and _deadline_passed(attempt, timezone.now()):
        return attempt_submit(attempt=attempt, closed_by="timeout")
    return attempt


def attempts_close_expired(*, now=None, limit: int = 500) -> int:
    """Grade and close timed attempts whose deadline (plus grace) has passed; returns how many."""
    now = now or timezone.now()
    ids = list(
        QuizAttempt.objects.filter(status="in_progress", deadline__lt=now - GRACE)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for attempt in QuizAttempt.objects.filter(pk__in=ids):
        # Each attempt on its own: one that cannot be closed is logged and never keeps the others open.
        try:
            attempt_submit(attempt=attempt, closed_by="timeout")
        except Exception:
            logger.exception("Could not close expired quiz attempt %s", attempt.pk)
        else:
            closed += 1
    return closed


def attempt_result(attempt: QuizAttempt) -> dict:
    """What the learner may see after submitting, as the attempt's review policy allows."""
    answers = {a.question_key: a for a in attempt.answers.all()}
    responses = {k: a.response for k, a in answers.items()}
    fractions = {k: Decimal(a.fraction) for k, a in answers.items() if a.fraction is not None}
    return {
        "score_percent": str(attempt.score_percent),
        "passed": attempt.passed,
        "pass_mark_percent": attempt.pass_mark_percent,
        "review_policy": attempt.review_policy,
        "questions": quiz_engine.review(
            attempt.snapshot, responses, fractions, attempt.review_policy, quiz_ids.public_ids(attempt)
        ),
    }
