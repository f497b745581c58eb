"""Provincial report snapshots: generated in the background, Excel structure, schedule, email, scope."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses.models import CoursePage
from learning.stats.models import ReportSnapshot, ReportSubscription
from learning.stats.reports import reports_schedule, scheduled_periods
from tests.stats.conftest import HA_TU


def _request(client, **data):
    today = timezone.localdate()
    payload = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat(), **data}
    return client.post("/organiser/stats/reports/", payload)


def test_on_demand_report_is_generated_and_downloads_as_excel_and_pdf(
    client, world, province_organiser, django_capture_on_commit_callbacks
):
    province_organiser.email = "tinh@example.org"
    province_organiser.save()
    ReportSubscription.objects.create(user=province_organiser, province_id="22")
    client.force_login(province_organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client)
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == "ready" and snapshot.kind == "on_demand"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tinh@example.org"]

    xlsx = client.get(f"/organiser/stats/reports/{snapshot.pk}/xlsx/")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    courses = list(CoursePage.objects.live().values_list("title", flat=True))
    assert len(book.sheetnames) == 1 + len(courses) + 6
    summary = book.worksheets[0]
    with translation.override("vi"):  # reports are written in the site's language
        label = {msgid: gettext(msgid) for msgid in ("Code", "Total", "Participants", "Participation rate")}
    values = [[c.value for c in row] for row in summary.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if row[0] == label["Code"])
    body = values[header_row + 1 :]
    communes = [row for row in body if row[0] and str(row[0]).isdigit()]
    assert len(communes) == 54
    totals = next(row for row in body if row[1] == label["Total"])
    headers = values[header_row]
    participants = headers.index(label["Participants"])
    assert totals[participants] == 2 and isinstance(totals[participants], int)
    rate_col = headers.index(label["Participation rate"])
    ha_tu = next(row for row in communes if row[0] == HA_TU)
    assert ha_tu[rate_col] == pytest.approx(0.05)
    cell = summary.cell(row=header_row + 2 + [r[0] for r in communes].index(HA_TU), column=rate_col + 1)
    assert "%" in cell.number_format

    pdf = client.get(f"/organiser/stats/reports/{snapshot.pk}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_api_lists_and_downloads_reports_in_scope(
    api, world, province_organiser, commune_organiser, django_capture_on_commit_callbacks
):
    from learning.localities.models import Province
    from learning.stats.reports import report_request

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot, created = report_request(
            province=Province.objects.get(pk="22"), start=today - dt.timedelta(days=7), end=today, kind="on_demand"
        )
    assert created
    api.force_authenticate(province_organiser)
    listed = api.get("/api/v1/reports/").json()
    assert [r["id"] for r in listed] == [snapshot.pk] and set(listed[0]["downloads"]) == {"xlsx", "pdf"}
    download = api.get(f"/api/v1/reports/{snapshot.pk}/download/", {"file": "pdf"})
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert api.get(f"/api/v1/reports/{snapshot.pk}/download/", {"file": "doc"}).status_code == 400
    assert api.get("/api/v1/reports/999999/download/").status_code == 404
    api.force_authenticate(commune_organiser)
    assert api.get("/api/v1/reports/").json() == []
    assert api.get(f"/api/v1/reports/{snapshot.pk}/download/").status_code == 404


def test_bad_period_is_refused_and_nothing_is_queued(client, province_organiser):
    client.force_login(province_organiser)
    response = _request(client, **{"from": "2026-12-01", "to": "2026-11-01"})
    assert response.status_code == 400
    assert "after the end date" in response.content.decode()
    assert not ReportSnapshot.objects.exists()


def test_empty_period_gives_a_valid_empty_report(client, province_organiser, django_capture_on_commit_callbacks):
    client.force_login(province_organiser)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, **{"from": "2024-01-01", "to": "2024-01-31"})
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == "ready"
    book = openpyxl.load_workbook(snapshot.xlsx.open("rb"))
    assert book.worksheets[0].max_row > 54


def test_schedule_makes_last_week_and_month_once(world, django_capture_on_commit_callbacks):
    today = dt.date(2026, 11, 25)  # a Wednesday
    assert [(k, s, e) for k, s, e in scheduled_periods(today)] == [
        ("weekly", dt.date(2026, 11, 16), dt.date(2026, 11, 22)),
        ("monthly", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_schedule(today) == 2
        assert reports_schedule(today) == 0  # the run may come twice: nothing more
    assert ReportSnapshot.objects.filter(status="ready").count() == 2
