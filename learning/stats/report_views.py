"""Report snapshots for provincial organisers: list, request one, try a failed one again, subscribe, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.accounts.scopes import provinces_in_scope

from . import selectors
from .models import ReportSnapshot, ReportSubscription
from .reports import report_request, report_retry

FILE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def _provinces(request):
    codes = provinces_in_scope(request.user)
    if not codes:
        raise PermissionDenied(_("Campaign reports cover a whole province: only provincial organisers can see them."))
    return selectors.provinces_of(codes)


def reports_visible_to(user):
    return ReportSnapshot.objects.filter(province_id__in=provinces_in_scope(user)).select_related("province")


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    provinces = _provinces(request)
    province = provinces.filter(pk=request.POST.get("province") or request.GET.get("province")).first()
    province = province or provinces.first()
    errors = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "subscribe":
            ReportSubscription.objects.get_or_create(user=request.user, province=province)
            messages.success(request, _("You will get an email when a scheduled report is ready."))
            return redirect("stats:reports")
        if action == "retry":
            snapshot = reports_visible_to(request.user).filter(pk=request.POST.get("report") or 0).first()
            if snapshot is None:
                raise Http404(_("There is no report with this id among yours."))
            if report_retry(snapshot=snapshot):
                messages.success(request, _("The report is being made again; it appears below when it is ready."))
            else:
                messages.error(request, _("Only a report that failed can be tried again."))
            return redirect("stats:reports")
        if action == "unsubscribe":
            ReportSubscription.objects.filter(user=request.user, province=province).delete()
            messages.success(request, _("You will no longer get report emails."))
            return redirect("stats:reports")
        try:
            f = selectors.filters_parse(request.POST, province=province)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            report_request(
                province=province,
                start=f.start,
                end=f.end,
                kind=ReportSnapshot.Kind.ON_DEMAND,
                user=request.user,
                campaign=f.campaign,
            )
            messages.success(request, _("The report is being prepared; it appears below when it is ready."))
            return redirect("stats:reports")
    defaults = selectors.filters_parse({}, province=province)
    snapshots = list(reports_visible_to(request.user)[:100])
    return render(
        request,
        "stats/reports.html",
        {
            "province": province,
            "provinces": provinces,
            "snapshots": snapshots,
            "pending": any(s.status in ("pending", "running") for s in snapshots),
            "subscribed": ReportSubscription.objects.filter(user=request.user, province=province).exists(),
            "defaults": defaults,
            "errors": errors,
            "has_email": bool(request.user.email),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def report_download(request, report_id: int, kind: str):
    _provinces(request)
    if kind not in FILE_TYPES:
        raise Http404(_("Reports come as xlsx or pdf."))
    snapshot = get_object_or_404(reports_visible_to(request.user), pk=report_id)
    stored = getattr(snapshot, kind)
    if snapshot.status != ReportSnapshot.Status.READY or not stored:
        raise Http404(_("This report is not ready yet."))
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1], content_type=FILE_TYPES[kind]
    )
