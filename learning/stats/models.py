"""Precomputed counts per commune × course × target group × day, and the provincial report snapshots.

Dashboards, the statistics API and the reports read only these tables (never the raw learner records), so a
province with millions of records answers in milliseconds. ``learning.stats.fill`` writes them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.core.storage import private_name, private_storage

ALL_COURSES = 0  # course_id of the rows that count every course together
EVERYONE = ""  # target_group of the rows that count everyone once
ADULT = "adult"  # everyone except people who are only students (the national "adults" indicator)

# Columns of DailyCount, in the order reports show them. Flows are counted on the day they happen; the
# mandatory columns are signed changes of a state (e.g. overdue +1 the day after the deadline, −1 when a late
# completion comes in), so a sum up to a day gives the state on that day.
FLOW_METRICS = (
    "registered",
    "participants",
    "active",
    "enrolments",
    "lesson_completions",
    "course_completions",
    "completers",
    "basic_completers",
    "quiz_passes",
)
MANDATORY_METRICS = ("mandatory_assigned", "mandatory_completed", "mandatory_completed_late", "mandatory_overdue")
METRICS = FLOW_METRICS + MANDATORY_METRICS


class DailyCount(models.Model):
    """What happened in one commune, for one course (0 = all) and one target group ("" = everyone), on one day."""

    day = models.DateField()
    commune = models.ForeignKey("localities.Commune", on_delete=models.CASCADE, related_name="+", db_constraint=True)
    course_id = models.IntegerField(default=ALL_COURSES)
    target_group = models.CharField(max_length=20, blank=True)
    # new accounts (all courses only)
    registered = models.IntegerField(default=0)
    # people taking part for the first time: first enrolment in the course (all courses: in any course)
    participants = models.IntegerField(default=0)
    # people who enrolled, completed a lesson or submitted a quiz that day
    active = models.IntegerField(default=0)
    enrolments = models.IntegerField(default=0)
    lesson_completions = models.IntegerField(default=0)
    course_completions = models.IntegerField(default=0)
    # people completing a course for the first time (all courses: their first completed course)
    completers = models.IntegerField(default=0)
    # people completing a course of the basic programme for the first time (all courses only)
    basic_completers = models.IntegerField(default=0)
    quiz_passes = models.IntegerField(default=0)
    mandatory_assigned = models.IntegerField(default=0)
    mandatory_completed = models.IntegerField(default=0)
    mandatory_completed_late = models.IntegerField(default=0)
    mandatory_overdue = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "commune", "course_id", "target_group"], name="dailycount_one_row_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["course_id", "target_group", "day"], name="dailycount_slice_idx"),
            models.Index(fields=["commune", "course_id", "target_group", "day"], name="dailycount_commune_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.commune_id} {self.course_id} {self.target_group or '*'}"


class DirtyDay(models.Model):
    """A commune-day whose counts must be recomputed: written in the same transaction as the event itself."""

    day = models.DateField()
    commune = models.ForeignKey("localities.Commune", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "commune"], name="dirtyday_once_per_commune_day")]

    def __str__(self):
        return f"{self.day} {self.commune_id}"


class FillState(models.Model):
    """Progress of a full recompute, so an interrupted ``fill_stats`` resumes where it stopped."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    name = models.CharField(max_length=40, primary_key=True)
    first_day = models.DateField()
    last_day = models.DateField(help_text=_("The last day the fill covers."))
    done_through = models.DateField(null=True, blank=True, help_text=_("Every day up to this one is recomputed."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name}: {self.done_through or '-'} / {self.last_day}"


def report_file_name(instance, filename: str) -> str:
    """``reports/YYYY/MM/<random token>/<filename>`` in the private storage: never under ``/media/``."""
    return private_name(timezone.now().strftime("reports/%Y/%m"), filename)


class ReportSnapshot(models.Model):
    """A provincial campaign report (Excel + PDF) for a period, generated in the background and kept."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        ON_DEMAND = "on_demand", _("On demand")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    province = models.ForeignKey("localities.Province", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    # Private files (STORAGES["private"]), served only by the permission-checked download views.
    xlsx = models.FileField(upload_to=report_file_name, storage=private_storage, blank=True)
    pdf = models.FileField(upload_to=report_file_name, storage=private_storage, blank=True)
    error = models.TextField(blank=True)
    # While it is made: the worker's lease (renewed as it goes) and how many times a worker took it; a
    # report whose lease ran out is made again by the sweep, or marked failed after JOB_MAX_ATTEMPTS.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="report_period_order"
            ),
            # The scheduled run makes one weekly and one monthly report per period, even if it runs twice.
            models.UniqueConstraint(
                fields=["province", "kind", "period_start", "period_end"],
                condition=~models.Q(kind="on_demand"),
                name="report_one_scheduled_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.province_id} {self.kind} {self.period_start}–{self.period_end}"


class ReportSubscription(models.Model):
    """An organiser who wants an email when a scheduled report of their province is ready."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("localities.Province", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="report_subscription_once")]

    def __str__(self):
        return f"{self.user_id} → {self.province_id}"
