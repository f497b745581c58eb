"""One-time activation codes for accounts made for people (e.g. from a roster): stored hashed only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    ACTIVATION = "activation", _("Activation")
    VERIFY = "verify", _("Phone verification")
    RESET = "reset", _("Password reset")


class ActivationCode(models.Model):
    """A one-time code sent by SMS: activation of an account made for someone, verification of a
    self-registered phone, or a password reset. Only its keyed hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    purpose = models.CharField(max_length=10, choices=CodePurpose.choices, default=CodePurpose.ACTIVATION)

    class Meta:
        app_label = "accounts"
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="activation_expires_later"
            ),
            models.CheckConstraint(condition=models.Q(purpose__in=CodePurpose.values), name="activation_purpose_known"),
        ]
        indexes = [models.Index(fields=["user", "used_at"], name="activation_user_unused")]

    def __str__(self):
        return f"activation code of {self.user_id}"
