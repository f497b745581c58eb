from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Small pure helpers every app may use (``text``, ``events``); it uses no app."""

    name = "learning.core"
    label = "core"
    verbose_name = _("Core")
