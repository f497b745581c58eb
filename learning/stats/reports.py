"""The provincial campaign report: built from the count tables, rendered to Excel and PDF in the background,
kept as snapshots (weekly, monthly, on demand) and announced to subscribed organisers.

A worker making a report holds its lease (``REPORT_LEASE_SECONDS``); ``reports_resume_stuck`` (beat) queues
again a report whose lease ran out — its worker died, or its task never reached one — and marks it failed
with the reason after ``JOB_MAX_ATTEMPTS`` tries; the organiser can then try again from the reports page.
"""

from __future__ import annotations

import datetime as dt
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, router, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learning.accounts.models import TargetGroupCode
from learning.campaigns.models import Campaign
from learning.core.enqueue import enqueue_on_commit
from learning.localities.collation import vietnamese
from learning.localities.models import Province

from . import selectors, tables
from .formats import format_date
from .models import ReportSnapshot, ReportSubscription
from .report_files import ReportData, Sheet, pdf_bytes, workbook_bytes

log = logging.getLogger(__name__)


def report_data(province: Province, start: dt.date, end: dt.date, campaign=None) -> ReportData:
    """Summary (one row per commune and a totals row), one sheet per course and one per target group."""
    communes = list(province.communes.order_by(vietnamese("name"), "code"))
    base = selectors.Filters(start=start, end=end, campaign=campaign)
    rows, totals = selectors.commune_table(base, communes)
    indicators = selectors.indicators(base, communes)
    indicator_columns = [
        (f"ind_{code}", _("Basic programme: %(group)s") % {"group": label}, "percent")
        for code, label in selectors.INDICATOR_GROUPS
    ]
    for row in rows:
        for item in indicators["communes"][row["code"]]:
            row[f"ind_{item['group']}"] = item["rate"]
    for item in indicators["total"]:
        totals[f"ind_{item['group']}"] = item["rate"]
    sheets = [
        Sheet(
            title=_("Summary"),
            heading=_("All courses, everyone, by commune"),
            columns=tables.columns(tables.COMMUNE_TABLE + indicator_columns),
            rows=rows,
            totals=totals,
        )
    ]
    for course in selectors.course_list():
        course_rows, course_totals = selectors.commune_table(
            selectors.Filters(start=start, end=end, course=course, campaign=campaign), communes
        )
        sheets.append(
            Sheet(
                title=course.title,
                heading=_("Course: %(title)s") % {"title": course.title},
                columns=tables.columns(tables.COMMUNE_TABLE),
                rows=course_rows,
                totals=course_totals,
            )
        )
    for code, label in TargetGroupCode.choices:
        group_rows, group_totals = selectors.commune_table(
            selectors.Filters(start=start, end=end, target_group=code, campaign=campaign), communes
        )
        sheets.append(
            Sheet(
                title=str(label),
                heading=_("Target group: %(group)s") % {"group": label},
                columns=tables.columns(tables.COMMUNE_TABLE),
                rows=group_rows,
                totals=group_totals,
            )
        )
    return ReportData(
        title=_("“Bình dân học vụ số” campaign report — %(province)s") % {"province": province.name},
        period_start=start,
        period_end=end,
        generated_at=timezone.now(),
        sheets=sheets,
        notes=[
            _("Participants: people who started at least one course, counted once, up to the end of the period."),
            _("Participation rate: participants ÷ the campaign's target for the commune and group."),
            _("Completion rate: people who completed a course ÷ participants."),
            _(
                "Mandatory: memberships of mandatory assignments as of the end of the period; overdue = deadline "
                "passed and not completed."
            ),
            _(
                "Basic programme: share of the registered people of each group who completed a course of the basic "
                "programme."
            ),
        ],
    )


# --- snapshots ---------------------------------------------------------------------------------------------


def report_request(*, province: Province, start: dt.date, end: dt.date, kind: str, user=None, campaign=None):
    """Record a report to generate and enqueue it; a scheduled period already recorded is returned as is."""
    from .tasks import generate_report

    if start > end:
        raise ValueError("start after end")
    try:
        with transaction.atomic():
            snapshot = ReportSnapshot.objects.create(
                province=province,
                kind=kind,
                period_start=start,
                period_end=end,
                requested_by=user,
                campaign=campaign,
                lease_until=timezone.now() + _lease(),  # time for the task to start, else the sweep queues it
            )
    except IntegrityError:  # the scheduled run came twice
        return ReportSnapshot.objects.get(province=province, kind=kind, period_start=start, period_end=end), False
    enqueue_on_commit(generate_report, snapshot.pk)
    return snapshot, True


def _lease() -> timedelta:
    return timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def report_retry(*, snapshot: ReportSnapshot) -> bool:
    """Make a failed report again (the organiser's "Try again"); False when it is not failed."""
    from .tasks import generate_report

    retried = ReportSnapshot.objects.filter(pk=snapshot.pk, status=ReportSnapshot.Status.FAILED).update(
        status=ReportSnapshot.Status.PENDING, attempts=0, error="", lease_until=timezone.now() + _lease()
    )
    if retried:
        enqueue_on_commit(generate_report, snapshot.pk)
    return bool(retried)


def reports_resume_stuck(now=None) -> dict[str, int]:
    """The sweep: a report waiting or being made whose lease ran out is queued again, or marked failed with
    the reason once workers took it ``JOB_MAX_ATTEMPTS`` times."""
    from .tasks import generate_report

    now = now or timezone.now()
    waiting = [ReportSnapshot.Status.PENDING, ReportSnapshot.Status.RUNNING]
    expired = Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    resumed = failed = 0
    for snapshot_id, attempts in ReportSnapshot.objects.filter(expired, status__in=waiting).values_list(
        "pk", "attempts"
    ):
        still = ReportSnapshot.objects.filter(expired, pk=snapshot_id, status__in=waiting)
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _(
                    "Making the report stopped %(n)s times before it could finish (the server making it "
                    "stopped). Press “Try again”."
                ) % {"n": attempts}
            failed += still.update(status=ReportSnapshot.Status.FAILED, error=reason, lease_until=None)
        elif still.update(status=ReportSnapshot.Status.PENDING, lease_until=now + _lease()):
            log.warning("report %s: stalled after %s attempt(s); queued again", snapshot_id, attempts)
            enqueue_on_commit(generate_report, snapshot_id)
            resumed += 1
    return {"resumed": resumed, "failed": failed}


def _primary():
    """Snapshots read where they are written: a lease is never judged on a replica's stale copy."""
    return ReportSnapshot.objects.using(router.db_for_write(ReportSnapshot))


def _take(snapshot_id: int) -> int | None:
    """Take the report for this worker (waiting, failed, or left running by a worker whose lease ran out):
    the attempt number, or None when it is ready or another worker is making it."""
    now = timezone.now()
    takeable = Q(status__in=[ReportSnapshot.Status.PENDING, ReportSnapshot.Status.FAILED]) | (
        Q(status=ReportSnapshot.Status.RUNNING) & (Q(lease_until__lt=now) | Q(lease_until__isnull=True))
    )
    with transaction.atomic(using=router.db_for_write(ReportSnapshot)):
        taken = (
            _primary()
            .filter(takeable, pk=snapshot_id)
            .update(status=ReportSnapshot.Status.RUNNING, lease_until=now + _lease(), attempts=F("attempts") + 1)
        )
        if not taken:
            return None
        return _primary().values_list("attempts", flat=True).get(pk=snapshot_id)


def report_generate(snapshot_id: int) -> ReportSnapshot:
    """Build and store the Excel and PDF files of a snapshot, then tell the subscribers. A report that is
    ready, or that another worker is making, is returned as it is (a task run twice changes nothing)."""
    attempt = _take(snapshot_id)
    snapshot = _primary().select_related("province", "campaign").get(pk=snapshot_id)
    if attempt is None:
        return snapshot
    try:
        with translation.override(settings.LANGUAGE_CODE):
            data = report_data(snapshot.province, snapshot.period_start, snapshot.period_end, snapshot.campaign)
            xlsx, pdf = workbook_bytes(data), pdf_bytes(data)
        name = f"bao-cao-{snapshot.province_id}-{snapshot.period_start:%Y%m%d}-{snapshot.period_end:%Y%m%d}"
        if not _primary().filter(pk=snapshot_id, attempts=attempt).exists():
            log.warning("report %s: another worker took it over; this one stops", snapshot_id)
            return _primary().get(pk=snapshot_id)
        snapshot.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        snapshot.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        snapshot.status, snapshot.generated_at, snapshot.error = ReportSnapshot.Status.READY, data.generated_at, ""
        snapshot.lease_until = None
        snapshot.save(update_fields=["xlsx", "pdf", "status", "generated_at", "error", "lease_until"])
    except Exception as exc:
        log.exception("report %s failed", snapshot_id)
        ReportSnapshot.objects.filter(pk=snapshot_id, attempts=attempt).update(
            status=ReportSnapshot.Status.FAILED, error=str(exc)[:1000], lease_until=None
        )
        raise
    _announce(snapshot)
    return snapshot


def _announce(snapshot: ReportSnapshot) -> None:
    """Email the organisers subscribed to the province (those with an email address)."""
    recipients = [
        s.user.email
        for s in ReportSubscription.objects.filter(province=snapshot.province).select_related("user")
        if s.user.email
    ]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Campaign report ready: %(province)s, %(start)s – %(end)s") % {
            "province": snapshot.province.name,
            "start": format_date(snapshot.period_start),
            "end": format_date(snapshot.period_end),
        }
        body = _("The report is ready to download (Excel and PDF) on the reports page: %(url)s") % {
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("stats:reports")
        }
    send_mail(subject, body, None, recipients, fail_silently=False)


def scheduled_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The last full week (Monday to Sunday) and the last full month before ``today``."""
    this_monday = today - dt.timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    return [
        (ReportSnapshot.Kind.WEEKLY, this_monday - dt.timedelta(days=7), this_monday - dt.timedelta(days=1)),
        (ReportSnapshot.Kind.MONTHLY, last_month_end.replace(day=1), last_month_end),
    ]


def reports_schedule(today: dt.date | None = None) -> int:
    """Make the weekly and monthly reports of every province with a campaign (idempotent); returns new ones."""

    today = today or timezone.localdate()
    made = 0
    for province_id in Campaign.objects.values_list("province_id", flat=True).distinct():
        province = Province.objects.get(pk=province_id)
        campaign = Campaign.objects.filter(province=province).order_by("-starts_on").first()
        for kind, start, end in scheduled_periods(today):
            _snapshot, created = report_request(province=province, start=start, end=end, kind=kind, campaign=campaign)
            made += created
    return made
