"""The xAPI outbox: statements written in the transaction of the record they describe, and their delivery to
each configured Learning Record Store (docs/architecture.md, "Learning records to the province")."""

import os

from django.core.cache import cache
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ENABLED_KEY = "xapi:enabled-lrs"  # the cached ids of the enabled LRSs (``services.enabled_lrs_ids``)


class Lrs(models.Model):
    """A Learning Record Store the statements are sent to (basic authentication)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    endpoint = models.URLField(
        _("endpoint"),
        max_length=300,
        help_text=_("The LRS's xAPI address, e.g. https://lrs.example.org/xAPI/ (statements go to …/statements)."),
    )
    key = models.CharField(_("key (user name)"), max_length=200)
    secret = models.CharField(
        _("secret"), max_length=200, blank=True, help_text=_("Leave empty to read it from the variable below.")
    )
    secret_env = models.CharField(
        _("environment variable holding the secret"),
        max_length=100,
        blank=True,
        help_text=_("E.g. XAPI_LRS_SECRET: the secret then stays out of the database."),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("Statements are queued for this LRS and sent only while enabled.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Sending state: consecutive failures, when to try again, what went wrong last.
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    retry_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(ENABLED_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(ENABLED_KEY)
        return result

    def password(self) -> str:
        if self.secret_env:
            return os.environ.get(self.secret_env, "")
        return self.secret

    def problem(self) -> str:
        """Why this LRS cannot be used as configured ("" when it can)."""
        try:
            URLValidator(schemes=["http", "https"])(self.endpoint)
        except Exception:
            return str(_("The endpoint is not a valid http(s) address."))
        if not self.key:
            return str(_("The key (user name) is missing."))
        if self.secret_env and not os.environ.get(self.secret_env):
            return str(_("The environment variable %(name)s is not set: no secret to sign in with.")) % {
                "name": self.secret_env
            }
        if not self.secret_env and not self.secret:
            return str(_("No secret: enter one or name the environment variable that holds it."))
        return ""

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


class Statement(models.Model):
    """One xAPI statement, as it is sent. ``id`` is the statement id: a uuid5 of the record it describes,
    so writing it again (a replayed event, a backfill) changes nothing."""

    id = models.UUIDField(primary_key=True)
    verb = models.CharField(_("verb"), max_length=20)
    timestamp = models.DateTimeField(_("time of the event"))
    payload = models.JSONField(_("statement"))
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [models.Index(fields=["timestamp"], name="xapi_statement_timestamp")]

    def __str__(self):
        return f"{self.verb} {self.id}"


class Delivery(models.Model):
    """One statement for one LRS: pending until the LRS stored it, parked when it refused that statement."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        PARKED = "parked", _("Parked (refused by the LRS)")

    lrs = models.ForeignKey(Lrs, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("LRS"))
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("statement")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # A sender holds the rows it is sending until ``leased_until``; one that died lets them go then.
    leased_until = models.DateTimeField(null=True, blank=True)
    lease = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("xAPI delivery")
        verbose_name_plural = _("xAPI deliveries")
        constraints = [
            models.UniqueConstraint(fields=["lrs", "statement"], name="xapi_delivery_once_per_lrs"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(leased_until__isnull=True),
                name="xapi_delivery_lease_only_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="xapi_delivery_sent_at"
            ),
        ]
        indexes = [
            models.Index(fields=["lrs", "id"], name="xapi_delivery_pending", condition=models.Q(status="pending")),
            models.Index(fields=["lrs", "status"], name="xapi_delivery_lrs_status"),
        ]

    def __str__(self):
        return f"{self.lrs} · {self.statement_id}"
