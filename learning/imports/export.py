"""Spreadsheet files for people to open in Excel, whose cells cannot start a formula.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken for a
formula by Excel or LibreOffice (CSV injection: ``=HYPERLINK(...)`` in a name someone typed); such a
cell is written with a leading ``'``. Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NATIVE = (bool, int, float, date, datetime, time)


def spreadsheet_safe(text) -> str:
    """Text for a cell of an exported spreadsheet: a leading ``= + - @``, tab or CR is neutralised with ``'``."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _safe(value):
    return value if isinstance(value, _NATIVE) else spreadsheet_safe(value)


def write_csv(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A CSV file (UTF-8 with a byte-order mark, so that Excel reads the diacritics), every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_safe(value) for value in header])
    writer.writerows([_safe(value) for value in row] for row in rows)
    return out.getvalue()


def write_xlsx(header: Iterable, rows: Iterable[Iterable], *, title: str = "") -> bytes:
    """The same table as an .xlsx workbook (header in bold, frozen), every cell made safe."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def cell(value):
        value = _safe(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((title or "Sheet1")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for value in header:
        titles.append(WriteOnlyCell(sheet, value=cell(value)))
        titles[-1].font = bold
    sheet.append(titles)
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
