"""The one safe writer of spreadsheet files: a text cell that Excel would take for a formula is written
with a leading ' (CSV and .xlsx alike); numbers and dates stay what they are."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from learning.imports.export import spreadsheet_safe, write_csv, write_xlsx

DANGEROUS = ["=1+1", '=HYPERLINK("http://x","Bấm")', "+84912345678", "-5", "@SUM(A1)", "\tx", "\ry"]
HEADER = ["Dòng", "Họ và tên", "Lý do"]


def test_spreadsheet_safe():
    assert [spreadsheet_safe(text) for text in DANGEROUS] == ["'" + text for text in DANGEROUS]
    assert spreadsheet_safe("Nguyễn Văn An") == "Nguyễn Văn An" and spreadsheet_safe(None) == ""
    assert spreadsheet_safe("a=1") == "a=1"


def test_csv_cells_are_neutralised():
    rows = [[n, text, "Lý do"] for n, text in enumerate(DANGEROUS, start=2)] + [[99, -3, date(2026, 1, 2)]]
    text = write_csv(["=Dòng", *HEADER[1:]], rows)
    assert text.startswith("\ufeff")
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert read[0] == ["'=Dòng", "Họ và tên", "Lý do"]
    assert [row[1] for row in read[1:-1]] == ["'" + text for text in DANGEROUS]
    assert read[-1] == ["99", "-3", "2026-01-02"]  # a number is a number, not a formula


def test_xlsx_cells_are_text_never_formulas():
    rows = [[n, text, "Lý do"] for n, text in enumerate(DANGEROUS, start=2)] + [[99, 1.5, "x\x00y"]]
    sheet = load_workbook(io.BytesIO(write_xlsx(HEADER, rows, title="Lỗi"))).active
    assert sheet.title == "Lỗi" and [c.value for c in sheet[1]] == HEADER and sheet["A1"].font.bold
    cells = [sheet.cell(row=n, column=2) for n in range(2, 2 + len(DANGEROUS))]
    # (XML reads a carriage return back as a line feed)
    assert [c.value for c in cells] == ["'" + text.replace("\r", "\n") for text in DANGEROUS]
    assert {c.data_type for c in cells} == {"s"}
    assert [c.value for c in sheet[sheet.max_row]] == [99, 1.5, "xy"]  # control characters dropped
