"""Rosters read with the kit: its limits, its vocabulary and its safe error file, through the roster's
own functions; nothing is written when a file is refused."""

import csv
import io
import time

import pytest
from django.core.exceptions import ValidationError

from learning.accounts.services import role_grant
from learning.campaigns.roster_models import Roster
from learning.campaigns.rosters import roster_errors_csv, roster_preview, roster_read

from ..campaigns.test_rosters import csv_bytes, person, xlsx
from .test_vocabulary import QUANG_HA, WRITTEN
from .xlsx_files import rows_sheet, shared_string_bomb, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(make_user):
    user = make_user(phone="0987000021")
    role_grant(user=user, role="commune_organiser", scope_codes=[QUANG_HA, "06688"])
    return user


def people(count: int) -> list[list]:
    return [[f"Người {n}", f"09123{n:05d}", "06688", "Người dân", "UBND"] for n in range(count)]


def test_the_shared_string_bomb_is_refused_and_nothing_written(organiser):
    with pytest.raises(ValidationError) as info:
        roster_preview(organiser=organiser, content=shared_string_bomb(390), filename="ds.xlsx")
    assert "unpacks to 390.0 MB, more than the 64.0 MB accepted" in info.value.messages[0]
    assert not Roster.objects.exists()


def test_a_million_rows_are_refused_as_the_stream_passes_the_limit(no_calamine, sheet_bytes_read, settings):
    sheet = rows_sheet(1_048_575)
    content = workbook(sheet)
    assert len(content) < settings.ROSTER_MAX_BYTES
    started = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        roster_read(content=content, filename="ds.xlsx")
    assert info.value.messages[0].startswith("The sheet goes on past row 200,010 (to row")  # 200,000 people + 10
    assert sheet_bytes_read["bytes"] < 0.3 * sheet.size and time.perf_counter() - started < 5


def test_over_the_limit_by_people_or_by_rows(settings):
    settings.ROSTER_MAX_ROWS = 5
    too_many = ["The roster has more than 5 people; split it into smaller files."]
    for content, filename in ((xlsx(people(6)), "ds.xlsx"), (csv_bytes(people(6)), "ds.csv")):
        with pytest.raises(ValidationError) as info:
            roster_read(content=content, filename=filename)
        assert info.value.messages == too_many
    # Far over: a CSV is read row by row, so its 6th person stops it; a workbook's sheet is refused as a whole
    # once it passes row 15 (5 people, and 10 rows for titles and the header).
    with pytest.raises(ValidationError) as info:
        roster_read(content=csv_bytes(people(30)), filename="ds.csv")
    assert info.value.messages == too_many
    with pytest.raises(ValidationError) as info:
        roster_read(content=xlsx(people(30)), filename="ds.xlsx")
    assert info.value.messages[0].startswith("The sheet goes on past row 15 (to row 31 at least)")
    assert len(roster_read(content=xlsx(people(5)), filename="ds.xlsx").rows) == 5


@pytest.mark.parametrize("written", WRITTEN)
def test_every_way_of_writing_quang_ha(organiser, written):
    roster = roster_preview(organiser=organiser, content=xlsx([person(commune=written)]), filename="ds.xlsx")
    row = roster.rows.get()
    assert (row.outcome, row.commune_id) == ("new", QUANG_HA), row.reason


def test_an_ambiguous_name_asks_for_the_code(make_user):
    organiser = make_user(phone="0987000022")
    role_grant(user=organiser, role="commune_organiser", scope_codes=["02143", "05665"])  # Văn Lang, Văn Lăng
    roster = roster_preview(organiser=organiser, content=xlsx([person(commune="van lang")]), filename="ds.xlsx")
    ambiguous = "More than one commune in your scope is called “van lang”; write its code instead."
    assert roster.rows.get().reason == ambiguous
    roster = roster_preview(organiser=organiser, content=xlsx([person(commune="Văn Lăng")]), filename="ds.xlsx")
    assert roster.rows.get().commune_id == "05665"


def test_the_error_file_cannot_run_formulas(organiser):
    content = xlsx([person(name="@SUM(1+1)*cmd", phone="=1+1", commune="-06688", org="+UBND")])
    roster = roster_preview(organiser=organiser, content=content, filename="ds.xlsx")
    exported = list(csv.reader(io.StringIO(roster_errors_csv(roster=roster).lstrip("\ufeff"))))
    assert exported[1][:6] == ["2", "'@SUM(1+1)*cmd", "'=1+1", "'-06688", "Người dân", "'+UBND"]
    assert exported[1][-1].startswith("Phone “=1+1”")  # the reason is ours: it starts with a word
