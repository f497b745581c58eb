from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalitiesConfig(AppConfig):
    name = "learning.localities"
    label = "localities"
    verbose_name = _("Administrative units")
