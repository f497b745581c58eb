"""What learners did. Every record carries the learner's commune at the time of the event,
so statistics stay right when someone moves."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Enrolment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments")
    commune = models.ForeignKey("localities.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_one_per_course")]
        indexes = [
            models.Index(fields=["user", "-last_activity_at"], name="enrolment_user_recent"),
            # The statistics recompute records day by day.
            models.Index(fields=["enrolled_at"], name="enrolment_enrolled_at"),
            models.Index(
                fields=["completed_at"], name="enrolment_completed_at", condition=models.Q(completed_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.course}"


class LessonCompletion(models.Model):
    """A lesson marked complete. One per learner and lesson; ``client_id`` makes a replayed
    request harmless."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="completions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    commune = models.ForeignKey("localities.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4, unique=True)
    time_spent_seconds = models.PositiveIntegerField()
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="completion_one_per_lesson"),
            models.CheckConstraint(
                condition=models.Q(time_spent_seconds__gte=0, time_spent_seconds__lte=8 * 60 * 60),
                name="completion_time_spent_range",
            ),
        ]
        indexes = [models.Index(fields=["completed_at"], name="completion_completed_at")]

    def __str__(self):
        return f"{self.user} ✓ {self.lesson}"


class QuizAttempt(models.Model):
    """One try at a quiz. ``snapshot`` holds what was served — questions, the shuffled choice order
    with per-attempt opaque ids, and the answers' credit — so publishing a new quiz or question
    version changes nothing for an attempt in progress. The snapshot never leaves the server."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt", "In progress")
        SUBMITTED = "submitted", _("Submitted")

    class ClosedBy(models.TextChoices):
        LEARNER = "learner", _("Submitted by the learner")
        TIMEOUT = "timeout", _("Closed when time ran out")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey("courses.QuizPage", on_delete=models.PROTECT, related_name="attempts")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("localities.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    closed_by = models.CharField(max_length=10, choices=ClosedBy.choices, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    pass_mark_percent = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    review_policy = models.CharField(max_length=20)
    snapshot = models.JSONField()
    score_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="attempt_number_per_quiz"),
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=models.Q(status="in_progress"), name="attempt_one_open_per_quiz"
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False, passed__isnull=False),
                name="attempt_submitted_is_graded",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="attempt_open_deadline"),
            models.Index(fields=["user", "quiz", "-started_at"], name="attempt_user_quiz_recent"),
            models.Index(
                fields=["submitted_at"], name="attempt_submitted_at", condition=models.Q(submitted_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"


class AttemptAnswer(models.Model):
    """The learner's current answer to one question of an attempt."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=32)
    response = models.JSONField()
    client_id = models.UUIDField()
    saved_at = models.DateTimeField(default=timezone.now)
    fraction = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question_key"], name="answer_one_per_question")]

    def __str__(self):
        return f"{self.attempt_id}:{self.question_key}"


class AnswerSubmission(models.Model):
    """Every answer request received, keyed by its client-made id: a retried request is found here
    and changes nothing, even if it arrives after a newer answer."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="submissions")
    question_key = models.CharField(max_length=32)
    client_id = models.UUIDField(unique=True)
    response = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.client_id)
