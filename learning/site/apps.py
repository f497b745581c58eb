from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site around the apps: health checks, links every page needs, the demo data and the set-up
    commands. It sits on top and may use every app; no app uses it."""

    name = "learning.site"
    label = "site"
    verbose_name = _("Site")
