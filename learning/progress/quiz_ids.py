"""Question ids as the learner sees them: opaque, and different in every attempt.

An attempt's snapshot and its answers keep each question's bank id (``key``), which grading and the
editors' statistics read. What leaves the server — the API, the HTML form, the review — is instead an
HMAC of the attempt and that key with the site's secret: two learners, or two attempts of one learner,
never see the same id for the same question, so ids say nothing about which question is which and an
answer key cannot be passed around by id. Nothing is stored: every attempt ever started, old ones
included, gets its ids this way, and an id made with a retired secret (``SECRET_KEY_FALLBACKS``) is
still understood.
"""

import hmac

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .errors import QuizError

SALT = "learning.progress.quiz-question-id"
LENGTH = 16  # hex digits: 64 bits


def public_id(attempt_id: int, key: str, *, secret: str | None = None) -> str:
    return salted_hmac(SALT, f"{attempt_id}:{key}", secret=secret, algorithm="sha256").hexdigest()[:LENGTH]


def public_ids(attempt) -> dict[str, str]:
    """Question key → the id the learner sees, for every question of the attempt."""
    return {item["key"]: public_id(attempt.pk, item["key"]) for item in attempt.snapshot["questions"]}


def key_for(attempt, question_id: str) -> str | None:
    """The question key behind an id the learner sent; None when it names no question of this attempt."""
    if not isinstance(question_id, str) or len(question_id) != LENGTH:
        return None
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        for item in attempt.snapshot["questions"]:
            if hmac.compare_digest(public_id(attempt.pk, item["key"], secret=secret), question_id):
                return item["key"]
    return None


def key_required(attempt, question_id: str) -> str:
    """``key_for``, or a 400-type ``QuizError`` naming the field."""
    key = key_for(attempt, question_id)
    if key is None:
        raise QuizError("not_in_attempt", _("This question is not part of this attempt."), field="question_id")
    return key
