"""The report as an Excel workbook (openpyxl): one worksheet per sheet, numbers as numbers with number formats."""

from __future__ import annotations

import io
import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from learning.imports.export import spreadsheet_safe

from ..formats import EXCEL_DATE_FORMAT, EXCEL_DATETIME_FORMAT, EXCEL_INT_FORMAT, EXCEL_PERCENT_FORMAT, local
from .data import (
    CREATOR,
    Column,
    ReportData,
    Sheet,
    _display,
    _generated_line,
    _nfc,
    _period_line,
    _totals_row,
    _validate,
)

_SHEET_NAME_MAX = 31
_SHEET_NAME_REPLACEMENTS = str.maketrans({"/": "-", "\\": "-", "[": "(", "]": ")", ":": " ", "*": " ", "?": " "})
_HEADER_ROW = 6  # rows 1-3: title, period, generation time; row 5: the sheet's heading
_FORMATS = {
    "int": EXCEL_INT_FORMAT,
    "percent": EXCEL_PERCENT_FORMAT,
    "date": EXCEL_DATE_FORMAT,
    "datetime": EXCEL_DATETIME_FORMAT,
}
_SHORTENED = "…"
_LOOSE_END = re.compile(r"[\s,;.:–—(-]+$")  # what a name should not end with once shortened


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Excel counts a sheet name's length in UTF-16 units


def _clip_utf16(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-16 units: whole words followed by "…" when it is longer (a single word
    longer than the limit is cut)."""
    if _utf16_len(text) <= limit:
        return text
    room = limit - _utf16_len(_SHORTENED)
    words, kept = text.split(" "), ""
    for word in words:
        candidate = f"{kept} {word}" if kept else word
        if _utf16_len(candidate) > room:
            break
        kept = candidate
    kept = _LOOSE_END.sub("", kept)
    if not kept:  # the first word alone is too long
        kept = text
        while _utf16_len(kept) > room:
            kept = kept[:-1]
    return kept + _SHORTENED


def sheet_names(titles: list[str]) -> list[str]:
    """Valid, unique Excel sheet names: at most 31 characters (a longer title is shortened after a whole word,
    with "…"), none of []:*?/\\, no leading or trailing apostrophe, not "History", unique ignoring case
    (a repeated name gets " (2)", " (3)"…)."""
    names: list[str] = []
    used: set[str] = {"history"}
    for title in titles:
        base = " ".join(_nfc(title).translate(_SHEET_NAME_REPLACEMENTS).split()).strip("'").strip()
        base = base or _("Sheet")
        name, number = _clip_utf16(base, _SHEET_NAME_MAX).strip("'"), 2
        while name.casefold() in used:
            suffix = f" ({number})"
            name = _clip_utf16(base, _SHEET_NAME_MAX - len(suffix)).strip("'") + suffix
            number += 1
        used.add(name.casefold())
        names.append(name)
    return names


def _excel_text(value) -> str:
    """A text cell: control characters dropped, and made formula-safe (``learning.imports.export``), so a name
    such as ``=HYPERLINK(…)``, ``+1+1`` or ``@SUM(…)`` stays text even when someone edits the cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", _nfc(value)))


def _excel_value(column: Column, value):
    if value is None or value == "":
        return None
    if column.kind == "text":
        return _excel_text(value)
    if column.kind == "int":
        if isinstance(value, int | Decimal) or (isinstance(value, float) and value.is_integer()):
            return int(value)
        return float(value)
    if column.kind == "datetime" and isinstance(value, datetime):
        return local(value).replace(tzinfo=None, microsecond=0)  # Excel has no time zones: Vietnam's time
    if column.kind == "date" and isinstance(value, date):
        return local(value).date() if isinstance(value, datetime) else value
    return float(value)


def _excel_width(column: Column, values: list[str]) -> float:
    """A column width in characters: the widest value, and the header's longest word (the header wraps)."""
    words = column.label.split() or [""]
    header = max(max(len(w) for w in words), math.ceil(len(column.label) / 3))
    content = max((len(v) for v in values), default=0)
    if column.kind == "text":
        return min(max(content, header, 10) + 2, 50)
    return min(max(content, header, 8) + 2, 24)


def workbook_bytes(report: ReportData) -> bytes:
    """The report as an .xlsx workbook: one worksheet per sheet, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    _validate(report)
    title_font, heading_font, bold = Font(bold=True, size=14), Font(bold=True, size=12), Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    totals_fill = PatternFill("solid", fgColor="EEEEEE")
    thin = Side(style="thin", color="999999")
    header_border = Border(top=thin, bottom=thin, left=thin, right=thin)
    totals_border = Border(top=thin, bottom=thin)
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lines = [_excel_text(report.title), _period_line(report), _generated_line(report)]

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = report.sheets or [Sheet(title=report.title, heading="", columns=[], rows=[])]
    for index, (sheet, name) in enumerate(zip(sheets, sheet_names([s.title for s in sheets]), strict=True)):
        ws = workbook.create_sheet(title=name)
        for row, text in enumerate(lines, start=1):
            ws.cell(row=row, column=1, value=text)
        ws["A1"].font = title_font
        if sheet.heading:
            ws.cell(row=_HEADER_ROW - 1, column=1, value=_excel_text(sheet.heading)).font = heading_font

        columns = sheet.columns
        for col, column in enumerate(columns, start=1):
            cell = ws.cell(row=_HEADER_ROW, column=col, value=_excel_text(column.label))
            cell.font, cell.fill, cell.border, cell.alignment = bold, header_fill, header_border, header_alignment
            if cell.value and cell.value.startswith("="):
                cell.data_type = "s"

        row = _HEADER_ROW
        formats = [_FORMATS.get(c.kind) for c in columns]
        for data in sheet.rows:
            row += 1
            for col, (column, number_format) in enumerate(zip(columns, formats, strict=True), start=1):
                value = _excel_value(column, data.get(column.key))
                if value is None:
                    continue
                cell = ws.cell(row=row, column=col, value=value)
                if number_format:
                    cell.number_format = number_format
                elif value.startswith("="):
                    cell.data_type = "s"  # a name, never a formula
        last_data_row = row

        totals = _totals_row(sheet)
        if totals is not None:
            row += 1
            for col, (column, number_format) in enumerate(zip(columns, formats, strict=True), start=1):
                cell = ws.cell(row=row, column=col, value=_excel_value(column, totals.get(column.key)))
                cell.font, cell.fill, cell.border = bold, totals_fill, totals_border
                if number_format:
                    cell.number_format = number_format
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"

        if index == 0 and report.notes:
            row += 2
            ws.cell(row=row, column=1, value=_("Notes")).font = bold
            for note in report.notes:
                row += 1
                ws.cell(row=row, column=1, value=_excel_text(note))

        if columns:
            last_letter = get_column_letter(len(columns))
            ws.freeze_panes = f"A{_HEADER_ROW + 1}"
            ws.auto_filter.ref = f"A{_HEADER_ROW}:{last_letter}{max(last_data_row, _HEADER_ROW)}"
            ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
            header_lines = 1
            for col, column in enumerate(columns, start=1):
                values = [_display(column, data.get(column.key)) for data in sheet.rows]
                if totals is not None:
                    values.append(_display(column, totals.get(column.key)))
                width = _excel_width(column, values)
                ws.column_dimensions[get_column_letter(col)].width = width
                header_lines = max(header_lines, math.ceil(len(column.label) * 1.1 / max(width - 2, 1)))
            ws.row_dimensions[_HEADER_ROW].height = 15 * min(header_lines, 5) + 3
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    properties = workbook.properties
    properties.title = _nfc(report.title)
    properties.subject = _period_line(report)
    properties.creator = properties.lastModifiedBy = CREATOR
    properties.language = "vi"
    properties.created = properties.modified = report.generated_at.astimezone(UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
