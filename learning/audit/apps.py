from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The access log of personal data. It sits low (beside notifications and localities) so that every view
    that shows people's personal data — statistics, campaigns, certificates, the API — can record itself."""

    name = "learning.audit"
    label = "audit"
    verbose_name = _("Access log")
