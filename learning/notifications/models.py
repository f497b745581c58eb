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
    ``reminder:assignment:12:before:3``); the unique constraint is claimed before sending, so
    a job that runs twice, or a worker that dies half-way and is retried, never sends it twice."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address for this channel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=120)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key", "channel"], name="delivery_once_per_key_channel")]
        indexes = [models.Index(fields=["user", "channel", "read_at"], name="delivery_inbox")]

    def __str__(self):
        return f"{self.channel}:{self.key} → {self.user_id}"
