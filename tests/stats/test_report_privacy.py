"""Report files are private: kept outside MEDIA_ROOT under names with a random token, never given a /media/
URL, and read only through the permission-checked downloads (page and API)."""

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from learning.accounts.services import role_grant
from learning.localities.models import Province
from learning.stats.models import ReportSnapshot
from learning.stats.reports import report_request
from tests.stats.conftest import BA_DINH

TOKEN_NAME = re.compile(r"^reports/\d{4}/\d{2}/[A-Za-z0-9_-]{24}/bao-cao-22-\d{8}-\d{8}\.(xlsx|pdf)$")


@pytest.fixture
def snapshot(db, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report_request(
            province=Province.objects.get(pk="22"), start=today - dt.timedelta(days=7), end=today, kind="on_demand"
        )
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == "ready"
    return snapshot


@pytest.fixture
def other_province_organiser(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_user(commune=BA_DINH, groups=("official",), full_name="Tổ chức Hà Nội")
    role_grant(user=user, role="province_organiser", scope_codes=["01"])
    return user


def test_report_files_are_private_with_unguessable_names(snapshot):
    names = [snapshot.xlsx.name, snapshot.pdf.name]
    assert all(TOKEN_NAME.match(name) for name in names), names
    assert names[0].split("/")[3] != names[1].split("/")[3]  # one token per file
    for name in names:
        assert (Path(settings.PRIVATE_ROOT) / name).is_file()
        assert not (Path(settings.MEDIA_ROOT) / name).exists()
        assert not Path(settings.PRIVATE_ROOT).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        snapshot.xlsx.url  # noqa: B018 — no /media/ URL for a report, anywhere


def test_media_urls_do_not_serve_reports(client, snapshot, province_organiser):
    old_name = (
        f"reports/{snapshot.period_end:%Y/%m}/bao-cao-22-{snapshot.period_start:%Y%m%d}-{snapshot.period_end:%Y%m%d}"
    )
    for path in (f"/media/{snapshot.xlsx.name}", f"/media/{old_name}.xlsx", f"/media/{snapshot.pdf.name}"):
        assert client.get(path).status_code == 404
    client.force_login(province_organiser)
    page = client.get("/organiser/stats/reports/")
    assert page.status_code == 200 and "/media/" not in page.content.decode()
    assert f"/organiser/stats/reports/{snapshot.pk}/xlsx/" in page.content.decode()


def test_only_organisers_of_the_province_download(
    client, api, snapshot, province_organiser, commune_organiser, other_province_organiser
):
    page = f"/organiser/stats/reports/{snapshot.pk}/xlsx/"
    endpoint = f"/api/v1/reports/{snapshot.pk}/download/"
    anonymous = client.get(page)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert api.get(endpoint).status_code in (401, 403)
    client.force_login(other_province_organiser)
    assert client.get(page).status_code == 404
    api.force_authenticate(other_province_organiser)
    assert api.get(endpoint).status_code == 404
    assert "/media/" not in api.get("/api/v1/reports/").content.decode()
    client.force_login(commune_organiser)
    assert client.get(page).status_code == 403
    client.force_login(province_organiser)
    download = client.get(page)
    assert download.status_code == 200
    assert 'filename="bao-cao-22-' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")
    api.force_authenticate(province_organiser)
    listed = api.get("/api/v1/reports/").json()
    assert [r["id"] for r in listed] == [snapshot.pk] and "/media/" not in str(listed)
    assert api.get(endpoint, {"file": "pdf"}).status_code == 200


def test_migration_moves_public_report_files_to_private(snapshot, django_capture_on_commit_callbacks):
    """A report made before: its files under MEDIA_ROOT with the predictable name; the migration moves them."""
    public = storages["default"]
    old = {
        "xlsx": public.save("reports/2026/12/bao-cao-22-20261101-20261207.xlsx", ContentFile(b"PK old workbook")),
        "pdf": public.save("reports/2026/12/bao-cao-22-20261101-20261207.pdf", ContentFile(b"%PDF old")),
    }
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(**old)
    migration = importlib.import_module("learning.stats.migrations.0002_reports_in_private_storage")
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_to_private(apps, connection.schema_editor())
    snapshot.refresh_from_db()
    assert TOKEN_NAME.match(snapshot.xlsx.name) and TOKEN_NAME.match(snapshot.pdf.name)
    assert snapshot.xlsx.name.endswith("/bao-cao-22-20261101-20261207.xlsx")
    assert storages["private"].open(snapshot.xlsx.name).read() == b"PK old workbook"
    assert not public.exists(old["xlsx"]) and not public.exists(old["pdf"])
    # run again: nothing left to move, nothing changes
    names = (snapshot.xlsx.name, snapshot.pdf.name)
    with django_capture_on_commit_callbacks(execute=True):
        migration.move_to_private(apps, connection.schema_editor())
    snapshot.refresh_from_db()
    assert (snapshot.xlsx.name, snapshot.pdf.name) == names
