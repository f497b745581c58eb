"""Editor statistics on quiz answers: how often a question was answered, and how often fully right.

Only submitted attempts count, and only graded answers (``fraction`` set at submission). "Correct"
means full credit: ``fraction == 1`` (credit is at most 1, so ``>= 1`` is the same test and does not
depend on how the database stores the decimal). Everything is aggregated in the database.
"""

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Length, Substr
from wagtail.models import Page

from courses.models import Question, QuizPage

from .models import AttemptAnswer, QuizAttempt

FULL_CREDIT = Q(fraction__gte=1)
SUBMITTED = QuizAttempt.Status.SUBMITTED


@dataclass(frozen=True)
class AnswerStats:
    answered: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        """Between 0 and 1; None when nobody answered."""
        return self.correct / self.answered if self.answered else None

    @property
    def percent_correct(self) -> int | None:
        share = self.share_correct
        return None if share is None else round(share * 100)


@dataclass(frozen=True)
class QuestionResult:
    """One row of a quiz's "hardest questions": the question may have been deleted since."""

    question_key: str
    question: Question | None
    stats: AnswerStats

    @property
    def name(self) -> str:
        return self.question.name if self.question else ""


def _graded_answers():
    return AttemptAnswer.objects.filter(attempt__status=SUBMITTED, fraction__isnull=False)


def _per_question(answers):
    """One row per question key: how many graded answers, how many with full credit."""
    return (
        answers.values("question_key")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=FULL_CREDIT))
        .order_by()
    )


def question_answer_stats(question_ids) -> dict[int, AnswerStats]:
    """Question id → its answer statistics over every quiz, in one query (absent: never answered)."""
    keys = [str(pk) for pk in question_ids]
    if not keys:
        return {}
    rows = _per_question(_graded_answers().filter(question_key__in=keys))
    return {int(row["question_key"]): AnswerStats(row["answered"], row["correct"]) for row in rows}


def quiz_hardest_questions(quiz, *, min_answers: int = 1, limit: int | None = 50) -> list[QuestionResult]:
    """The quiz's questions by lowest share of full-credit answers (then most answered first)."""
    rows = (
        _per_question(_graded_answers().filter(attempt__quiz=quiz))
        .filter(answered__gte=max(min_answers, 1))
        .annotate(share=Cast("correct", FloatField()) / Cast("answered", FloatField()))
        .order_by("share", "-answered", "question_key")
    )
    if limit is not None:
        rows = rows[:limit]
    rows = list(rows)
    ids = [int(row["question_key"]) for row in rows if row["question_key"].isdigit()]
    questions = Question.objects.select_related("category").in_bulk(ids)
    return [
        QuestionResult(
            question_key=row["question_key"],
            question=questions.get(int(row["question_key"])) if row["question_key"].isdigit() else None,
            stats=AnswerStats(row["answered"], row["correct"]),
        )
        for row in rows
    ]


def quizzes_with_attempt_counts():
    """Every quiz page with its course's title and its submitted / in-progress attempt counts."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Value(Page.steplen, output_field=IntegerField()))
    ).values("title")[:1]
    return QuizPage.objects.annotate(
        course_title=Subquery(parent),
        submitted_attempts=Count("attempts", filter=Q(attempts__status=SUBMITTED)),
        open_attempts=Count("attempts", filter=Q(attempts__status=QuizAttempt.Status.IN_PROGRESS)),
        passed_attempts=Count("attempts", filter=Q(attempts__status=SUBMITTED, attempts__passed=True)),
    ).order_by(F("path"))
