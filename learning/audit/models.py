"""The access log of personal data: who opened which people list, person page or export, when, and its scope."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One organiser's view of other people's personal data (written by ``services.personal_data_viewed``)."""

    class What(models.TextChoices):
        PEOPLE_LIST = "people_list", _("People list")
        PERSON = "person", _("Person page")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    who = models.CharField(_("who (at the time)"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    scope = models.CharField(
        _("scope"), max_length=100, help_text=_("A commune code, a person's id, a roster or “all in scope”.")
    )
    path = models.CharField(_("address"), max_length=500)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.what} {self.scope}"
