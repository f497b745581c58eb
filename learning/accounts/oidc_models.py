"""An account's identity at an OpenID Connect provider (VNeID, or the province's identity system): the
provider's issuer and its subject (``sub``) for the person. See ``learning.accounts.oidc``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("person"),
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("identifier at the provider"), max_length=255)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    last_signin_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    # The provider vouched for the account's phone number (``phone_number_verified``) when it was linked.
    phone_proven = models.BooleanField(_("phone proven by the provider"), default=False)

    class Meta:
        app_label = "accounts"
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_issuer_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="external_identity_one_per_provider"),
            models.CheckConstraint(
                condition=~models.Q(issuer="") & ~models.Q(subject=""), name="external_identity_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"
