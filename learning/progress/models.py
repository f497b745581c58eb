"""What learners did. Every record carries the learner's commune at the time of the event,
so statistics stay right when someone moves."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        indexes = [models.Index(fields=["user", "-last_activity_at"], name="enrolment_user_recent")]

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

    def __str__(self):
        return f"{self.user} ✓ {self.lesson}"
