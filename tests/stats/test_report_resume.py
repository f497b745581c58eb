"""Reports that resume: one left "running" by a worker that died is made again by the sweep, or marked failed
with the reason after the allowed tries; the organiser can try a failed one again from the reports page."""

import datetime as dt

import pytest
from django.utils import timezone

from learning.stats.models import ReportSnapshot
from learning.stats.reports import report_generate, reports_resume_stuck

pytestmark = pytest.mark.django_db


def _snapshot(**fields):
    today = timezone.localdate()
    defaults = {
        "province_id": "22",
        "kind": ReportSnapshot.Kind.ON_DEMAND,
        "period_start": today - dt.timedelta(days=7),
        "period_end": today,
    }
    return ReportSnapshot.objects.create(**{**defaults, **fields})


def _ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def test_a_report_left_running_by_a_dead_worker_is_made_again_by_the_sweep(django_capture_on_commit_callbacks):
    stuck = _snapshot(status="running", attempts=1, lease_until=_ago(minutes=1))
    live = _snapshot(status="running", attempts=1, lease_until=timezone.now() + dt.timedelta(minutes=5))
    lost = _snapshot(status="pending", lease_until=None)  # its task never reached a worker
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_resume_stuck() == {"resumed": 2, "failed": 0}
    stuck.refresh_from_db()
    lost.refresh_from_db()
    live.refresh_from_db()
    assert (stuck.status, stuck.attempts, stuck.lease_until) == ("ready", 2, None) and stuck.xlsx and stuck.pdf
    assert (lost.status, lost.attempts) == ("ready", 1)
    assert live.status == "running"  # its worker holds the lease: left alone
    assert report_generate(live.pk).status == "running"  # a second task does not take it either


def test_after_the_allowed_tries_the_report_fails_with_the_reason_and_can_be_tried_again(
    client, world, province_organiser, settings, django_capture_on_commit_callbacks
):
    stuck = _snapshot(status="running", attempts=settings.JOB_MAX_ATTEMPTS, lease_until=_ago(seconds=1))
    assert reports_resume_stuck() == {"resumed": 0, "failed": 1}
    stuck.refresh_from_db()
    assert stuck.status == "failed" and f"{settings.JOB_MAX_ATTEMPTS} lần" in stuck.error  # the site's language

    client.force_login(province_organiser)
    page = client.get("/organiser/stats/reports/").content.decode()
    assert stuck.error in page and 'value="retry"' in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organiser/stats/reports/", {"action": "retry", "report": stuck.pk})
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts, stuck.error) == ("ready", 1, "")
    # Only a failed report, and only one in the organiser's provinces, can be tried again.
    assert client.post("/organiser/stats/reports/", {"action": "retry", "report": stuck.pk}).status_code == 302
    assert client.post("/organiser/stats/reports/", {"action": "retry", "report": 999999}).status_code == 404
    other = _snapshot(province_id="01", status="failed")
    assert client.post("/organiser/stats/reports/", {"action": "retry", "report": other.pk}).status_code == 404
