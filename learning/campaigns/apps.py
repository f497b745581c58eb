from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "learning.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import subscriptions
        from .models import Assignment
        from .selectors import assigned_courses_changed

        subscriptions.connect()
        for signal in (post_save, post_delete):
            signal.connect(assigned_courses_changed, sender=Assignment, dispatch_uid=f"assigned-courses-{id(signal)}")
        m2m_changed.connect(
            assigned_courses_changed, sender=Assignment.courses.through, dispatch_uid="assigned-courses-m2m"
        )
