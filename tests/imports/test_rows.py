"""The row limit is enforced while reading: a file far over it is refused as soon as the limit is passed,
without reading the rest; a file just over it is refused, one at the limit is read."""

import csv
import io
import time

import pytest
from django.core.exceptions import ValidationError

from learning.imports.limits import Limits
from learning.imports.reading import read_rows

from .xlsx_files import MiB, rows_sheet, workbook


def csv_bytes(count: int, blank_lines_after: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([f"v{n}"] for n in range(1, count + 1))
    return out.getvalue().encode() + b"\r\n" * blank_lines_after


def read(content: bytes, filename: str, max_rows: int = 50) -> list[list[str]]:
    return list(read_rows(content=content, filename=filename, limits=Limits(max_bytes=20 * MiB, max_rows=max_rows)))


def test_csv_reading_stops_at_the_first_row_past_the_limit():
    rows = read_rows(content=csv_bytes(10_000), filename="ds.csv", limits=Limits(max_bytes=MiB, max_rows=50))
    received = []
    with pytest.raises(ValidationError) as info:
        for row in rows:
            received.append(row)
    assert len(received) == 50  # the 51st row stopped the reading; the 9,949 after it were never parsed
    assert info.value.messages == [
        "The sheet goes on past row 50 (to row 51 at least); at most 50 rows are read. Split the file, or delete "
        "the rows below the list, even empty ones that are formatted."
    ]


def test_csv_just_over_the_limit_is_refused_and_at_the_limit_is_read():
    with pytest.raises(ValidationError):
        read(csv_bytes(51), "ds.csv")
    assert len(read(csv_bytes(50), "ds.csv")) == 50
    assert len(read(csv_bytes(50, blank_lines_after=20), "ds.csv")) == 70  # empty lines after the list are no rows


def test_xlsx_just_over_the_limit_is_refused_before_any_row_is_read(no_calamine):
    with pytest.raises(ValidationError) as info:
        read(workbook(rows_sheet(51)), "ds.xlsx")
    assert "past row 50 (to row 51 at least)" in info.value.messages[0]


def test_xlsx_at_the_limit_is_read():
    rows = read(workbook(rows_sheet(50)), "ds.xlsx")
    assert len(rows) == 50 and rows[-1] == ["v50"]


def test_a_million_rows_are_refused_once_the_limit_is_passed(no_calamine, sheet_bytes_read):
    sheet = rows_sheet(1_048_575)
    content = workbook(sheet)
    assert len(content) < 20 * MiB
    started = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        read(content, "ds.xlsx", max_rows=200_000)
    seconds = time.perf_counter() - started
    assert info.value.messages[0].startswith("The sheet goes on past row 200,000 (to row")
    # Refused as the stream passed row 200,000: about a fifth of the sheet was unpacked, none of it kept.
    assert sheet_bytes_read["bytes"] < 0.3 * sheet.size, (sheet_bytes_read["bytes"], sheet.size)
    assert seconds < 5, seconds
