"""How the statistics write numbers, dates and times for a person to read — one definition for the pages, the
CSV downloads, the Excel number formats and the PDF, the way Vietnamese write them:

- whole numbers with a dot between thousands: 6.599;
- shares as percentages with one decimal, a decimal comma and a space before the sign: 40,0 %;
- dates day/month/year: 07/12/2026; times of day on the 24-hour clock, in Vietnam's time zone: 07/12/2026 14:05.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the site's TIME_ZONE; reports never depend on the active one
PERCENT_DECIMALS = 1
NO_DATA = "–"  # a rate without a denominator (no target, nobody taking part)

# Excel stores a format code with "." and shows the reader's own separators; the cell keeps the number.
EXCEL_INT_FORMAT = "#,##0"
EXCEL_PERCENT_FORMAT = "0.0\\ %"  # 0.4 shows as 40,0 % (a space, then the sign)
EXCEL_DATE_FORMAT = "dd/mm/yyyy"
EXCEL_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def format_int(value) -> str:
    """1234567 -> "1.234.567"."""
    return f"{round(value):,}".replace(",", ".")


def format_percent(value) -> str:
    """A share 0..1: 0.4 -> "40,0 %", 0.4531 -> "45,3 %"."""
    return f"{float(value) * 100:.{PERCENT_DECIMALS}f}".replace(".", ",") + " %"


def format_date(value: dt.date | None) -> str:
    """A calendar day: "07/12/2026" (a moment is first put in Vietnam's time zone)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    """A moment in Vietnam's time zone, to the minute: "07/12/2026 14:05"."""
    if value is None:
        return ""
    return local(value).strftime("%d/%m/%Y %H:%M")


def local(value: dt.datetime) -> dt.datetime:
    """An aware moment in Vietnam's time zone (a naive one is taken as already local)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(LOCAL_TIME_ZONE)
