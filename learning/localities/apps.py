from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalitiesConfig(AppConfig):
    name = "learning.localities"
    label = "localities"
    verbose_name = _("Administrative units")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .collation import connection_prepare

        connection_created.connect(connection_prepare, dispatch_uid="localities.vietnamese_collation")
