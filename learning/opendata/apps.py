from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """API keys of the consumers of the open dataset (the provincial data warehouse, …), issued and revoked by
    an administrator in the Django admin."""

    name = "learning.opendata"
    label = "opendata"
    verbose_name = _("Open data")
