"""A report as plain data, and what the Excel and the PDF renderers both use: validation, the lines above the
tables (reporting period, generation time), the totals row and the Vietnamese number formats."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from ..formats import LOCAL_TIME_ZONE, NO_DATA, format_date, format_datetime, format_int, format_percent

REPORT_TIME_ZONE = LOCAL_TIME_ZONE
CREATOR = "Bình dân học vụ số"
KINDS = ("text", "int", "percent", "date", "datetime")
# NO_DATA ("–") is what the PDF shows for a number or a rate without data (the workbook leaves the cell empty).


@dataclass
class Column:
    key: str  # key in each row dict
    label: str  # header text, already translated
    kind: str  # "text" | "int" | "percent" (a float 0..1, or None = no data) | "date" | "datetime" (aware)


@dataclass
class Sheet:
    title: str  # sheet name; made a valid, unique Excel sheet name by workbook_bytes
    heading: str  # a line above the table
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None  # a totals row, bold; its label goes in the first text column


@dataclass
class ReportData:
    title: str
    period_start: date
    period_end: date
    generated_at: datetime  # aware; shown in Asia/Ho_Chi_Minh
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)  # definitions, printed under the first sheet


def _nfc(value) -> str:
    return unicodedata.normalize("NFC", str(value))


def _validate(report: ReportData) -> None:
    if report.generated_at.tzinfo is None or report.generated_at.utcoffset() is None:
        raise ValueError("ReportData.generated_at must be an aware datetime")
    for sheet in report.sheets:
        for column in sheet.columns:
            if column.kind not in KINDS:
                raise ValueError(f"column {column.key!r} of sheet {sheet.title!r}: unknown kind {column.kind!r}")


def _period_line(report: ReportData) -> str:
    return _("Reporting period: %(start)s – %(end)s") % {
        "start": format_date(report.period_start),
        "end": format_date(report.period_end),
    }


def _generated_line(report: ReportData) -> str:
    return _("Generated at: %(time)s") % {"time": format_datetime(report.generated_at)}


def _totals_row(sheet: Sheet) -> dict | None:
    """The totals with the label ("Total" unless given) in the first text column."""
    if sheet.totals is None:
        return None
    totals = dict(sheet.totals)
    label_column = next((c for c in sheet.columns if c.kind == "text"), None)
    if label_column is not None and totals.get(label_column.key) in (None, ""):
        totals[label_column.key] = _("Total")
    return totals


def _display(column: Column, value) -> str:
    """A cell as a person reads it (the PDF; the workbook keeps numbers and dates as such)."""
    if value is None or value == "":
        return NO_DATA if column.kind in ("int", "percent") else ""
    if column.kind == "int":
        return format_int(value)
    if column.kind == "percent":
        return format_percent(value)
    if column.kind == "date":
        return format_date(value)
    if column.kind == "datetime":
        return format_datetime(value)
    return _nfc(value)
