"""Rosters: a spreadsheet of people an organiser uploads, previewed row by row, then imported."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RosterStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


class RowOutcome(models.TextChoices):
    NEW = "new", _("New account")
    UPDATE = "update", _("Existing account updated")
    UNCHANGED = "unchanged", _("Existing account, no change")
    # The number's account was self-registered and never verified: it is given back to the person the
    # roster names (password made unusable, an activation code sent to the phone).
    CLAIMED = "claimed", _("Unverified account claimed for its owner")
    ERROR = "error", _("Error")


class Roster(models.Model):
    """One uploaded file. Nothing about people is written until it is confirmed."""

    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rosters", verbose_name=_("organiser")
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    new_rows = models.PositiveIntegerField(default=0)
    update_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    claimed_rows = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The import's lease: the worker running it renews ``lease_until`` at every committed batch; an
    # import whose lease ran out (its worker died) is resumed by the sweep, ``attempts`` times at most.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "campaigns"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_rows=models.F("valid_rows") + models.F("error_rows")),
                name="roster_rows_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    valid_rows=models.F("new_rows")
                    + models.F("update_rows")
                    + models.F("unchanged_rows")
                    + models.F("claimed_rows")
                ),
                name="roster_valid_rows_add_up_with_claims",
            ),
            models.CheckConstraint(
                condition=models.Q(processed__lte=models.F("total_rows")), name="roster_processed_le_total"
            ),
            models.CheckConstraint(condition=models.Q(status__in=RosterStatus.values), name="roster_status_known"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.valid_rows) if self.valid_rows else 100

    def is_stalled(self, now=None) -> bool:
        """Importing, but nobody renewed the lease in time: its worker died or its task was lost."""
        if self.status != RosterStatus.IMPORTING:
            return False
        return self.lease_until is None or self.lease_until < (now or timezone.now())

    @property
    def stalled(self) -> bool:
        return self.is_stalled()


class RosterRow(models.Model):
    """One person of a roster: the cleaned values, the outcome and, when wrong, why."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)  # E.164 when valid, else as written
    commune = models.ForeignKey(
        "localities.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    target_groups = models.CharField(_("target groups"), max_length=120, blank=True)  # codes, comma-separated
    organisation = models.CharField(_("organisation / unit"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    raw = models.JSONField(default=dict, blank=True)  # the cells as written, for error rows
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.CharField(max_length=120, blank=True)  # for updates: which fields change
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_user = models.BooleanField(default=False)  # this import made the account
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "campaigns"
        ordering = ["roster", "row_number"]
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        constraints = [
            models.UniqueConstraint(fields=["roster", "row_number"], name="roster_row_once"),
            models.UniqueConstraint(
                fields=["roster", "phone"], condition=~models.Q(outcome="error"), name="roster_valid_phone_once"
            ),
            models.CheckConstraint(condition=models.Q(outcome__in=RowOutcome.values), name="roster_row_outcome_known"),
            models.CheckConstraint(
                condition=(models.Q(outcome="error") & ~models.Q(reason=""))
                | (~models.Q(outcome="error") & models.Q(reason="")),
                name="roster_row_error_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["roster", "outcome", "row_number"], name="roster_row_outcome")]

    def __str__(self):
        return f"{self.roster_id}:{self.row_number} {self.outcome}"

    @property
    def group_codes(self) -> list[str]:
        return [c for c in self.target_groups.split(",") if c]


class RosterBatch(models.Model):
    """One imported batch of a roster (rows ``first_row``…``last_row``), written in one transaction.

    It is created in the same transaction as the batch's people, so it exists exactly when they do.
    The batch's activation SMS are sent by their own task, which first claims the batch
    (``sms_claimed_at``): a task delivered twice, or a resumed import queueing it again, sends nothing
    more. A worker that dies after claiming leaves the batch claimed with ``sms_sent`` 0 — not sent
    twice, and visible to operators."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="batches")
    first_row = models.PositiveIntegerField()
    last_row = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)  # accounts this batch made
    imported_at = models.DateTimeField(default=timezone.now)
    sms_claimed_at = models.DateTimeField(null=True, blank=True)
    sms_sent = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "campaigns"
        ordering = ["roster", "first_row"]
        verbose_name = _("roster batch")
        verbose_name_plural = _("roster batches")
        constraints = [
            models.UniqueConstraint(fields=["roster", "first_row"], name="roster_batch_once"),
            models.CheckConstraint(condition=models.Q(first_row__lte=models.F("last_row")), name="roster_batch_range"),
            models.CheckConstraint(
                condition=models.Q(created__lte=models.F("rows")), name="roster_batch_created_le_rows"
            ),
            models.CheckConstraint(
                condition=models.Q(sms_sent__lte=models.F("created")), name="roster_batch_sms_le_created"
            ),
        ]

    def __str__(self):
        return f"{self.roster_id}:{self.first_row}-{self.last_row}"


class OrganisationMembership(models.Model):
    """Where a person works and their position, as last given by a roster."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_membership"
    )
    organisation = models.CharField(_("organisation / unit"), max_length=200)
    position = models.CharField(_("position"), max_length=150, blank=True)
    roster = models.ForeignKey(Roster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "campaigns"
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")

    def __str__(self):
        return f"{self.user_id}: {self.organisation}"


from . import roster_tasks  # noqa: E402,F401  (Celery workers autodiscover only tasks.py: register the roster task)
