"""Messages to people through email, SMS and the site itself — each sent at most once per key."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("On the site")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class Delivery(models.Model):
    """One message to one person through one channel. ``key`` names what it is about (e.g.
    ``reminder:assignment:12:before:3``); the row is unique per (person, key, channel), so a job
    that runs twice records one message.

    States: ``pending`` (recorded, not sent yet) → ``sending`` (claimed by one sender until
    ``next_try_at``, its lease) → ``sent`` once the provider accepted it, or ``failed`` (``error``
    says why; tried again at ``next_try_at`` until ``attempts`` reaches the maximum, then
    ``next_try_at`` is empty and the failure is final). A sender that dies leaves ``sending`` with
    an expired lease, which the sweeper claims again: nothing is silently dropped."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address for this channel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=120)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)  # the last failure
    attempts = models.PositiveSmallIntegerField(default=0)  # times a sender claimed it
    # pending: when the sweeper sends it if nobody did; sending: the end of the sender's lease;
    # failed: the next try (empty once the attempts are used up); empty when sent or skipped.
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "channel"], name="delivery_once_per_key_channel"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sending", "sent", "failed", "skipped"]),
                name="delivery_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="delivery_inbox"),
            models.Index(
                fields=["next_try_at"],
                condition=models.Q(status__in=["pending", "sending", "failed"]),
                name="delivery_to_retry",
            ),
        ]

    def __str__(self):
        return f"{self.channel}:{self.key} → {self.user_id}"
