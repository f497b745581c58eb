from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "learning.stats"
    label = "stats"
    verbose_name = _("Statistics and reports")

    def ready(self):
        from . import subscriptions

        subscriptions.connect()
