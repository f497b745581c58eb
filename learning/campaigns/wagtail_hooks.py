"""Campaigns, targets and mandatory assignments in the Wagtail admin."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Assignment, Campaign, CampaignTarget


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    list_display = ["name", "province", "starts_on", "ends_on"]


class CampaignTargetViewSet(SnippetViewSet):
    model = CampaignTarget
    icon = "crosshairs"
    list_display = ["campaign", "commune", "target_group", "expected_participants", "expected_completions"]
    list_filter = ["campaign", "target_group"]


class AssignmentViewSet(SnippetViewSet):
    model = Assignment
    icon = "tasks"
    list_display = ["title", "target_group", "province", "deadline"]
    list_filter = ["target_group", "province"]


class CampaignGroup(SnippetViewSetGroup):
    menu_label = _("Campaigns")
    menu_icon = "date"
    menu_order = 250
    items = (CampaignViewSet, CampaignTargetViewSet, AssignmentViewSet)


register_snippet(CampaignGroup)


def _populate(request, instance):
    if isinstance(instance, Assignment):
        from .tasks import populate_assignment

        transaction.on_commit(lambda: populate_assignment.delay(instance.pk))


hooks.register("after_create_snippet", _populate)
hooks.register("after_edit_snippet", _populate)
