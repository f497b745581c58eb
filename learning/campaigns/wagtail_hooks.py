"""Campaigns, targets and mandatory assignments in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from courses.admin_ui import SnippetViewSet
from learning.core.enqueue import enqueue_on_commit

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

        enqueue_on_commit(populate_assignment, instance.pk)


hooks.register("after_create_snippet", _populate)
hooks.register("after_edit_snippet", _populate)


# --- targets: download a template, import a filled-in sheet ------------------------------------------
# (appended; the views are small enough to live beside the hook that registers them)

IMPORT_TARGET_PERMISSIONS = ("campaigns.add_campaigntarget", "campaigns.change_campaigntarget")


def _can_import_targets(user) -> bool:
    return all(user.has_perm(perm) for perm in IMPORT_TARGET_PERMISSIONS)


def _forbidden(request):
    """The admin's shared "permission denied" page (403), saying what is missing."""
    from django.template.response import TemplateResponse

    message = _("You do not have permission to import campaign targets. Ask an administrator for access.")
    return TemplateResponse(request, "admin_forbidden.html", {"message": message}, status=403)


def targets_template_view(request):
    from django.http import HttpResponse
    from django.template.response import TemplateResponse
    from django.utils.http import content_disposition_header

    from .targets import targets_template

    if not _can_import_targets(request.user):
        return _forbidden(request)
    campaign = None
    campaign_id = request.GET.get("campaign", "")
    if campaign_id:
        campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id.isdigit() else None
        if campaign is None:
            return TemplateResponse(request, "campaigns/admin/not_found.html", status=404)
    response = HttpResponse(
        targets_template(campaign=campaign),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"chi-tieu-{campaign.pk}.xlsx" if campaign else "chi-tieu-mau.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def targets_import_view(request, campaign_id: int):
    from django import forms
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect
    from django.template.response import TemplateResponse
    from django.utils.translation import gettext as _gettext
    from wagtail.admin import messages

    from .targets import targets_import

    if not _can_import_targets(request.user):
        return _forbidden(request)
    campaign = Campaign.objects.filter(pk=campaign_id).select_related("province").first()
    if campaign is None:
        return TemplateResponse(request, "campaigns/admin/not_found.html", status=404)

    class UploadForm(forms.Form):
        file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    errors, status = [], 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = targets_import(campaign=campaign, data=upload.read(), filename=upload.name)
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                messages.success(
                    request,
                    _gettext(
                        "Targets imported for %(communes)d communes: %(created)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "communes": report.communes,
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                return redirect("campaigns_targets_import", campaign_id=campaign.pk)
        else:
            status = 400
    elif request.method == "GET":
        form = UploadForm()
    else:
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "POST"])
    targets = campaign.targets.count()
    return TemplateResponse(
        request,
        "campaigns/admin/targets_import.html",
        {"campaign": campaign, "form": form, "errors": errors, "targets": targets},
        status=status,
    )


@hooks.register("register_admin_urls")
def register_targets_import_urls():
    from django.urls import path

    return [
        path("campaigns/targets-template.xlsx", targets_template_view, name="campaigns_targets_template"),
        path("campaigns/<int:campaign_id>/targets/import/", targets_import_view, name="campaigns_targets_import"),
    ]


@hooks.register("register_snippet_listing_buttons")
def campaign_targets_import_button(snippet, user, next_url=None):
    if isinstance(snippet, Campaign) and _can_import_targets(user):
        from django.urls import reverse
        from wagtail.admin.widgets import Button

        yield Button(
            _("Import targets"),
            reverse("campaigns_targets_import", args=[snippet.pk]),
            icon_name="upload",
            priority=60,
        )
