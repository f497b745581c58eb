"""Reads of quiz attempts, always for one given learner."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from .models import QuizAttempt


def attempt_for_user(*, user, attempt_id) -> QuizAttempt:
    """The learner's own attempt; someone else's is ``DoesNotExist``, as if it did not exist."""
    return QuizAttempt.objects.select_related("quiz", "course").get(pk=attempt_id, user=user)


def attempts_of(*, user, quiz=None):
    qs = QuizAttempt.objects.filter(user=user).select_related("quiz", "course").order_by("-started_at")
    return qs.filter(quiz=quiz) if quiz is not None else qs


@dataclass
class QuizOverview:
    quiz: object
    attempts: list = field(default_factory=list)
    open_attempt: QuizAttempt | None = None
    best_score: object = None
    passed: bool = False
    attempts_left: int | None = None
    next_start_at: object = None  # when the minimum wait between attempts is over

    @property
    def can_start(self) -> bool:
        if self.open_attempt is not None:
            return True
        if self.attempts_left is not None and self.attempts_left <= 0:
            return False
        return self.next_start_at is None or self.next_start_at <= timezone.now()


def best_results(*, user, quiz_ids) -> dict[int, tuple]:
    """quiz id → (best score, passed) over the learner's submitted attempts."""
    if not user.is_authenticated:
        return {}
    best: dict[int, tuple] = {}
    rows = QuizAttempt.objects.filter(user=user, quiz_id__in=list(quiz_ids), status="submitted").values_list(
        "quiz_id", "score_percent", "passed"
    )
    for quiz_id, score, passed in rows:
        old = best.get(quiz_id, (None, False))
        best[quiz_id] = (max(s for s in (old[0], score) if s is not None), old[1] or bool(passed))
    return best


def quiz_overview(*, user, quiz) -> QuizOverview:
    overview = QuizOverview(quiz=quiz)
    if not user.is_authenticated:
        return overview
    attempts = list(attempts_of(user=user, quiz=quiz))
    overview.attempts = attempts
    overview.open_attempt = next((a for a in attempts if a.status == "in_progress"), None)
    submitted = [a for a in attempts if a.status == "submitted"]
    if submitted:
        overview.best_score = max(a.score_percent for a in submitted)
        overview.passed = any(a.passed for a in submitted)
        last = max(a.submitted_at for a in submitted)
        if quiz.min_wait_minutes:
            overview.next_start_at = last + timedelta(minutes=quiz.min_wait_minutes)
    if quiz.max_attempts:
        overview.attempts_left = max(0, quiz.max_attempts - len(submitted))
    return overview
