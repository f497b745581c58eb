"""The one reading policy against .xlsx files made to exhaust the server: each is refused quickly, with a
message that says what is wrong, before any reader opens it (rosters and targets: their own tests)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from learning.imports.limits import Limits
from learning.imports.reading import read_rows

from .xlsx_files import MiB, deflated, inline, repeated, shared_string_bomb, sheet_xml, workbook, zip_of


def limits(**overrides) -> Limits:
    return Limits(**{"max_bytes": 20 * MiB, "max_rows": 200_000, **overrides})


def refusal(content: bytes, **overrides) -> tuple[ValidationError, float, int]:
    """The refusal of ``content``, how long it took (s) and the most Python memory it held (bytes)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError) as info:
            list(read_rows(content=content, filename="ds.xlsx", limits=limits(**overrides)))
        return info.value, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def code_and_message(error: ValidationError) -> tuple[str, str]:
    (inner,) = error.error_dict["file"]
    return inner.code, inner.messages[0]


def test_a_small_file_made_by_the_helpers_reads_normally():
    content = workbook(sheet_xml(b'<row r="1">' + inline("A1", "Họ và tên") + b"</row>"))
    assert list(read_rows(content=content, filename="ds.xlsx", limits=limits())) == [["Họ và tên"]]


def test_one_huge_shared_string_is_refused_in_milliseconds_without_unpacking_it():
    content = shared_string_bomb(390)  # 390 MiB of text in a file of about 400 KB
    assert len(content) < 420 * 1024
    error, seconds, peak = refusal(content)
    code, message = code_and_message(error)
    assert code == "shared_strings"
    assert message == (
        "The text of the .xlsx file (its shared strings, xl/sharedStrings.xml) unpacks to 390.0 MB, more than the "
        "64.0 MB accepted. Copy the list into a new workbook and upload that."
    )
    assert seconds < 0.5 and peak < 8 * MiB, (seconds, peak)


def test_parts_that_unpack_to_too_much_in_all_are_refused_before_reading():
    filler = [
        repeated(f"xl/worksheets/sheet{n}.xml", b"<worksheet><!--", b"A" * MiB, 60, b"--></worksheet>")
        for n in range(2, 7)
    ]
    content = workbook(sheet_xml(b'<row r="1">' + inline("A1", "x") + b"</row>"), extra=filler)
    error, seconds, peak = refusal(content)
    code, message = code_and_message(error)
    assert code == "unpacked" and message.startswith("The .xlsx file unpacks to 300.0 MB, more than the 256.0 MB")
    assert seconds < 0.5 and peak < 8 * MiB, (seconds, peak)


def test_the_unpacked_limits_are_settings(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1 * MiB
    assert code_and_message(refusal(shared_string_bomb(2))[0])[0] == "unpacked"
    settings.IMPORT_MAX_UNPACKED_BYTES = 256 * MiB
    settings.IMPORT_MAX_SHARED_STRINGS_BYTES = 1 * MiB
    assert code_and_message(refusal(shared_string_bomb(2))[0])[0] == "shared_strings"


def test_a_styles_part_too_large_is_refused_by_name():
    styles = repeated("xl/styles.xml", b"<styleSheet><!--", b"A" * MiB, 70, b"--></styleSheet>")
    content = workbook(sheet_xml(b'<row r="1">' + inline("A1", "x") + b"</row>"), extra=[styles])
    code, message = code_and_message(refusal(content)[0])
    assert code == "part" and message.startswith("The part xl/styles.xml of the .xlsx file unpacks to 70.0 MB")


def test_two_cells_far_apart_are_refused_before_the_reader_allocates_the_rectangle():
    # The reader would allocate every cell from A1 to XFD1048576: 17 billion cells, the end of the process.
    rows = b'<row r="1">' + inline("A1", "x") + b'</row><row r="1000">' + inline("XFD1000", "y") + b"</row>"
    code, message = code_and_message(refusal(workbook(sheet_xml(rows)))[0])
    assert code == "too_many_cells"
    assert message.startswith("The sheet reaches row 1,000 and column XFD: more than 6,000,000 cells in all")
    rows = b'<row r="1">' + inline("A1", "x") + b'</row><row r="150000">' + inline("AZ150000", "y") + b"</row>"
    code, message = code_and_message(refusal(workbook(sheet_xml(rows)))[0])
    assert code == "too_many_cells" and "row 150,000 and column AZ" in message


def test_a_cell_far_down_is_refused_as_too_many_rows():
    rows = b'<row r="1">' + inline("A1", "x") + b'</row><row r="1048576">' + inline("A1048576", "y") + b"</row>"
    code, message = code_and_message(refusal(workbook(sheet_xml(rows)))[0])
    assert code == "too_many_rows"
    assert message.startswith("The sheet goes on past row 200,000 (to row 1,048,576 at least)")


def test_megabytes_of_text_in_one_cell_of_the_sheet_are_refused():
    # The same text as the shared-string bomb, written in the cell itself: bounded all the same.
    sheet = repeated(
        "xl/worksheets/sheet1.xml",
        sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>').removesuffix(b"</sheetData></worksheet>"),
        b"A" * MiB,
        200,
        b"</t></is></c></row></sheetData></worksheet>",
    )
    error, seconds, peak = refusal(workbook(sheet))
    code, message = code_and_message(error)
    assert code == "long_text" and message.startswith("A cell of the sheet holds more than 1.0 MB of text")
    assert seconds < 0.5 and peak < 8 * MiB, (seconds, peak)


def test_a_wrong_count_of_shared_strings_is_refused():
    # The reader reserves memory for the announced number of strings at once: 4 billion is 96 GB.
    strings = b"<sst " + b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000">'
    strings += b"<si><t>x</t></si></sst>"
    content = workbook(sheet_xml(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings)
    assert code_and_message(refusal(content)[0]) == (
        "corrupt",
        "The .xlsx file is damaged or not a readable Excel workbook. Save it again from Excel as .xlsx.",
    )


def test_cells_without_their_position_are_refused():
    # Without "r" the reader places cells one after the other: a row of a million cells is a million columns.
    content = workbook(sheet_xml(b'<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>'))
    assert code_and_message(refusal(content)[0])[0] == "no_references"


def test_other_zip_files_and_too_many_parts_are_refused():
    other = zip_of([deflated("content.xml", b"<office:document-content/>"), deflated("mimetype", b"x")])
    assert code_and_message(refusal(other)[0])[0] == "corrupt"  # an .ods, a .docx…: not read as a workbook
    parts = [deflated(f"p/{n}", b"") for n in range(10_001)]
    code, message = code_and_message(refusal(zip_of(parts))[0])
    assert code == "parts" and "more than 10,000 parts" in message


def test_a_long_tag_cut_between_two_pieces_is_still_seen(monkeypatch):
    from learning.imports import xlsx

    monkeypatch.setattr(xlsx, "CHUNK", 64)  # every tag is cut somewhere
    rows = b"".join(b'<row r="%d">' % n + inline(f"A{n}", "x" * n) + b"</row>" for n in range(1, 40))
    rows += b'<row r="1000"><c s="1"    t="inlineStr"   r="XFD1000"><is><t>y</t></is></c></row>'
    assert code_and_message(refusal(workbook(sheet_xml(rows)))[0])[0] == "too_many_cells"


def test_the_helpers_bomb_is_a_real_workbook():
    """The refusals above are the limits' doing: a small one of the same make reads with every reader."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    content = shared_string_bomb(1)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
    assert len(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()[0][0]) == MiB
    assert len(load_workbook(io.BytesIO(content), read_only=True).active["A1"].value) == MiB
