"""Consent to the processing of personal data (Personal Data Protection Law 2025, Decree 13/2023): who agreed
to which purpose under which version of the privacy policy, when, and where (sign-up, the API, activation)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONSENT_REQUIRED = _(
    "To create an account, tick the box to agree to the privacy policy: it says what personal data the site "
    "keeps and why."
)


class ConsentPurpose(models.TextChoices):
    LEARNING = (
        "learning",
        _(
            "Taking part in Bình dân học vụ số: my account, my learning records and certificates, my mandatory "
            "modules, reminders, and the campaign's statistics for my commune"
        ),
    )


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("Sign-up form")
    API = "api", _("Sign-up through the API")
    ACTIVATION = "activation", _("Activation of an account made from a roster")
    OIDC = "oidc", _("First sign-in with an identity provider")


class Consent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    policy_version = models.CharField(_("privacy policy version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    source = models.CharField(_("given through"), max_length=20, choices=ConsentSource.choices)

    class Meta:
        app_label = "accounts"
        ordering = ["given_at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose", "policy_version"], name="consent_once_per_version"),
            models.CheckConstraint(condition=models.Q(purpose__in=ConsentPurpose.values), name="consent_purpose_known"),
            models.CheckConstraint(condition=models.Q(source__in=ConsentSource.values), name="consent_source_known"),
            models.CheckConstraint(condition=~models.Q(policy_version=""), name="consent_policy_version_given"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.purpose} {self.policy_version} {self.given_at:%Y-%m-%d}"
