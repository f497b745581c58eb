"""Organiser pages for rosters: upload, preview, confirm and follow the import. Thin: services do the work."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from learning.accounts.decorators import organiser_required
from learning.audit.services import What, personal_data_viewed_by_request

from . import rosters
from .forms import RosterUploadForm
from .roster_models import Roster, RosterStatus, RowOutcome

ROWS_PER_PAGE = 100


ROSTERS_ONLY = gettext_lazy("Only commune and provincial organisers can import rosters.")


def _own(request, roster_id) -> Roster:
    try:
        return rosters.organiser_roster_get(user=request.user, roster_id=roster_id)
    except Roster.DoesNotExist:
        raise Http404(_("You have no roster with this id.")) from None


def read_upload(upload) -> bytes:
    """The uploaded file's bytes; ValidationError when it is over the size limit (not read then)."""
    if upload.size > rosters.max_bytes():
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the largest roster accepted is %(limit)s MB.")
                % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{rosters.max_bytes() / 1048576:.1f}"}
            }
        )
    return upload.read()


@organiser_required(message=ROSTERS_ONLY)
@require_http_methods(["GET", "POST"])
def roster_list(request):
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                roster = rosters.roster_preview(
                    organiser=request.user, content=read_upload(upload), filename=upload.name
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return redirect("campaigns:roster", roster_id=roster.pk)
    else:
        form = RosterUploadForm()
    page = Paginator(rosters.organiser_rosters(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "campaigns/rosters/list.html", {"form": form, "page": page})


@organiser_required(message=ROSTERS_ONLY)
def roster_template(request):
    response = HttpResponse(
        rosters.roster_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach.xlsx"'
    return response


@organiser_required(message=ROSTERS_ONLY)
def roster_detail(request, roster_id: int):
    roster = _own(request, roster_id)
    outcome = request.GET.get("outcome") or ""
    if outcome not in RowOutcome.values:
        outcome = ""
    page = Paginator(rosters.roster_rows(roster=roster, outcome=outcome or None), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    activations = rosters.roster_activations(roster=roster)
    personal_data_viewed_by_request(request, what=What.PEOPLE_LIST, scope=f"roster:{roster.pk}")
    importing = roster.status == RosterStatus.IMPORTING
    return render(
        request,
        "campaigns/rosters/detail.html",
        {
            "roster": roster,
            "page": page,
            "outcome": outcome,
            "outcomes": RowOutcome.choices,
            "same_file": rosters.roster_same_file_before(roster),
            "activations": activations,
            "importing": importing,
            "refresh": importing or activations["waiting"],  # reload every few seconds until done
            "can_confirm": roster.status in (RosterStatus.PREVIEWED, RosterStatus.FAILED) and roster.valid_rows,
        },
    )


@organiser_required(message=ROSTERS_ONLY)
@require_POST
def roster_confirm(request, roster_id: int):
    roster = _own(request, roster_id)
    try:
        rosters.roster_confirm(roster=roster)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The import has started. This page shows its progress."))
    return redirect("campaigns:roster", roster_id=roster.pk)


@organiser_required(message=ROSTERS_ONLY)
def roster_errors(request, roster_id: int):
    roster = _own(request, roster_id)
    personal_data_viewed_by_request(request, what=What.EXPORT, scope=f"roster:{roster.pk}")
    response = HttpResponse(rosters.roster_errors_csv(roster=roster), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-danh-sach-{roster.pk}.csv"'
    return response
