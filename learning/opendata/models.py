"""API keys for the open dataset, one per named consumer.

The key itself is shown once, when it is issued; only its prefix (to find it) and a SHA-512 hash of the whole
key (to check it) are stored — djangorestframework-api-key's ``AbstractAPIKey`` with the consumer's details,
a throttle rate of its own and the time it was last used.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from .rates import THROTTLE_RATE


class OpenDataKey(AbstractAPIKey):
    name = models.CharField(_("consumer"), max_length=100, help_text=_("Who uses the key, e.g. “Kho dữ liệu tỉnh”."))
    organisation = models.CharField(_("organisation"), max_length=200)
    contact = models.CharField(
        _("contact"), max_length=200, help_text=_("A person, an email address or a phone number to reach them.")
    )
    throttle_rate = models.CharField(
        _("request limit"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(THROTTLE_RATE, _("Write a number of requests per period, e.g. 60/minute."))],
        help_text=_("e.g. 60/minute or 10000/day; empty: the site's default (OPEN_DATA_THROTTLE)."),
    )
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    created = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(
        _("revoked"),
        blank=True,
        default=False,
        help_text=_("A revoked key is refused at once. This cannot be undone: issue a new key instead."),
    )
    expiry_date = models.DateTimeField(
        _("expires at"), blank=True, null=True, help_text=_("After this time the key is refused. Empty: never.")
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("open data API key")
        verbose_name_plural = _("open data API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(throttle_rate="") | models.Q(throttle_rate__regex=THROTTLE_RATE),
                name="opendatakey_throttle_rate_format",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"
