"""The province's campaign: promoted courses, per-commune targets, and mandatory assignments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .status import AssignmentStatus, member_status  # noqa: F401 - AssignmentStatus is read from here too


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        "localities.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    courses = models.ManyToManyField("courses.CoursePage", blank=True, related_name="+", verbose_name=_("courses"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period_in_order"
            )
        ]

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    """How many people of a target group a commune is expected to bring in and to see finish."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    commune = models.ForeignKey(
        "localities.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    target_group = models.ForeignKey(
        "accounts.TargetGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("target group")
    )
    expected_participants = models.PositiveIntegerField(_("expected participants"))
    expected_completions = models.PositiveIntegerField(_("expected completions"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "commune", "target_group"], name="target_once_per_commune_group"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.commune} · {self.target_group}"


class Assignment(models.Model):
    """Courses required of a target group within a scope (a province, or some of its communes) by a deadline."""

    title = models.CharField(_("title"), max_length=200)
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments")
    target_group = models.ForeignKey(
        "accounts.TargetGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("target group")
    )
    province = models.ForeignKey(
        "localities.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    communes = models.ManyToManyField(
        "localities.Commune",
        blank=True,
        related_name="+",
        verbose_name=_("only these communes"),
        help_text=_("Leave empty for the whole province."),
    )
    courses = models.ManyToManyField("courses.CoursePage", related_name="+", verbose_name=_("required courses"))
    deadline = models.DateField(_("deadline"), help_text=_("The last day to complete the courses."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("mandatory assignment")
        verbose_name_plural = _("mandatory assignments")

    def __str__(self):
        return self.title


class AssignmentMember(models.Model):
    """One person's copy of an assignment: made when they fall in its group and scope (also later,
    when they join the group or move in), kept when they leave so what they completed still counts."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    commune = models.ForeignKey("localities.Commune", on_delete=models.PROTECT, null=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assigned person")
        verbose_name_plural = _("assigned people")
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="assignment_member_once")]
        indexes = [
            models.Index(fields=["assignment", "commune"], name="assignment_member_commune"),
            # Who is overdue in a commune: only the open memberships, read without the table.
            models.Index(
                fields=["commune", "assignment", "user"],
                name="assignment_member_open",
                condition=models.Q(completed_at__isnull=True, left_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.user}"

    def status(self, today=None) -> str:
        """not_started / in_progress / completed / completed_late / overdue, as of ``today`` (``status.RULE``)."""
        return member_status(
            deadline=self.assignment.deadline,
            started=self.started_at is not None,
            completed_on=timezone.localtime(self.completed_at).date() if self.completed_at else None,
            today=today or timezone.localdate(),
        )


from .roster_models import OrganisationMembership, Roster, RosterRow  # noqa: E402,F401
