"""A report as plain data, and what the Excel and the PDF renderers both use: validation, the lines above the
tables (reporting period, generation time), the totals row and the Vietnamese number formats."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

REPORT_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CREATOR = "Bình dân học vụ số"
KINDS = ("text", "int", "percent")
NO_DATA = "–"  # what the PDF shows for None (the workbook leaves the cell empty)


@dataclass
class Column:
    key: str  # key in each row dict
    label: str  # header text, already translated
    kind: str  # "text" | "int" | "percent" (percent: a float 0..1, or None = no data)


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
        "start": report.period_start.strftime("%d/%m/%Y"),
        "end": report.period_end.strftime("%d/%m/%Y"),
    }


def _generated_line(report: ReportData) -> str:
    local = report.generated_at.astimezone(REPORT_TIME_ZONE)
    return _("Generated at: %(time)s") % {"time": local.strftime("%d/%m/%Y %H:%M")}


def _totals_row(sheet: Sheet) -> dict | None:
    """The totals with the label ("Total" unless given) in the first text column."""
    if sheet.totals is None:
        return None
    totals = dict(sheet.totals)
    label_column = next((c for c in sheet.columns if c.kind == "text"), None)
    if label_column is not None and totals.get(label_column.key) in (None, ""):
        totals[label_column.key] = _("Total")
    return totals


def format_int(value) -> str:
    """1234567 -> "1.234.567" (Vietnamese thousands separator)."""
    return f"{round(value):,}".replace(",", ".")


def format_percent(value) -> str:
    """0.4531 -> "45,3 %" (Vietnamese decimal comma)."""
    return f"{float(value) * 100:.1f}".replace(".", ",") + " %"


def _display(column: Column, value) -> str:
    if value is None or value == "":
        return "" if column.kind == "text" else NO_DATA
    if column.kind == "int":
        return format_int(value)
    if column.kind == "percent":
        return format_percent(value)
    return _nfc(value)
