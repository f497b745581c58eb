"""The open dataset of daily counts: one row per commune and day of a province, read from ``DailyCount``
(all courses, everyone), with small counts suppressed so that nobody can be singled out.

Rows come in a stable order, day then commune code, and every commune of the province has a row for every
day of the period (a day without a ``DailyCount`` row is a day of zeros), so a page is a slice of one fixed
list and a cursor is simply the last (day, commune) a reader has seen.

Suppression, per metric and per (province, day):

1. *Primary*: a value from 1 to ``OPEN_DATA_MIN_COUNT`` − 1 is published as empty (null) with its
   ``<metric>_suppressed`` flag set. Zeros are published: they describe nobody.
2. *Complementary*: if only one commune of the province has that metric suppressed on that day, one more
   is suppressed with it — the smallest value shown otherwise (a positive one before a zero, the lower commune
   code on a tie) — so that a province total for the day, published elsewhere, minus the communes shown
   cannot give back the hidden value. The flag does not tell a primary from a complementary suppression.

The dataset itself publishes no totals (no province rows, no sums over days), so nothing in it can be
subtracted to reach a suppressed value.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.localities.models import Commune, Province

from .models import ALL_COURSES, EVERYONE, FLOW_METRICS, DailyCount

PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
COMMUNE_CODE = re.compile(r"^[0-9]{5}$")
OPEN_METRICS = FLOW_METRICS  # counts of people or events; the mandatory columns are signed changes, not counts


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    pattern: str = ""


METRIC_DESCRIPTIONS = {
    "registered": _("New accounts registered in the commune that day."),
    "participants": _("People who took part for the first time that day (their first enrolment in any course)."),
    "active": _("People who enrolled, completed a lesson or submitted a quiz that day."),
    "enrolments": _("Enrolments in courses that day."),
    "lesson_completions": _("Lessons completed that day."),
    "course_completions": _("Courses completed that day."),
    "completers": _("People who completed their first course that day."),
    "basic_completers": _("People who completed a course of the basic programme for the first time that day."),
    "quiz_passes": _("Quizzes passed that day."),
}

FIELDS: tuple[Field, ...] = (
    Field("date", "date", _("Date"), _("The day counted (Vietnam time), YYYY-MM-DD.")),
    Field(
        "province_code",
        "string",
        _("Province code"),
        _("Official statistical code of the province or centrally-run city (since 1 July 2025)."),
        PROVINCE_CODE.pattern,
    ),
    Field("province_name", "string", _("Province name"), _("Official name of the province, in Vietnamese.")),
    Field(
        "commune_code",
        "string",
        _("Commune code"),
        _("Official statistical code of the commune, ward or special zone (since 1 July 2025)."),
        COMMUNE_CODE.pattern,
    ),
    Field("commune_name", "string", _("Commune name"), _("Official name of the commune, in Vietnamese.")),
    *(
        field
        for metric in OPEN_METRICS
        for field in (
            Field(metric, "integer", metric, METRIC_DESCRIPTIONS[metric]),
            Field(
                f"{metric}_suppressed",
                "boolean",
                f"{metric}_suppressed",
                _("True when the value is left empty so that nobody can be identified (see the suppression rule)."),
            ),
        )
    ),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)
PRIMARY_KEY = ("date", "commune_code")


class CursorError(ValueError):
    pass


def cursor_encode(day: dt.date, commune_code: str) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat()}.{commune_code}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.date, str]:
    """(day, commune code) of the last row already read; ``CursorError`` when the text is not a cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        day_text, code = raw.split(".")
        day = dt.date.fromisoformat(day_text)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError(cursor) from exc
    if not COMMUNE_CODE.match(code) or len(day_text) != 10:
        raise CursorError(cursor)
    return day, code


def suppressed_cells(values: dict[str, int], min_count: int) -> set[str]:
    """The communes whose value of one metric on one day is hidden (the rule in the module's docstring)."""
    hidden = {code for code, value in values.items() if 0 < value < min_count}
    if len(hidden) == 1:
        shown = [(value == 0, value, code) for code, value in values.items() if code not in hidden]
        if shown:
            hidden.add(min(shown)[2])
    return hidden


def open_days_last(last: dt.date) -> dt.date:
    """Days after today have no counts yet: the dataset ends today (whose counts still grow)."""
    return min(last, timezone.localdate())


@dataclass
class Page:
    rows: list[dict]
    next_cursor: str | None


def daily_counts_page(
    province: Province,
    first: dt.date,
    last: dt.date,
    *,
    after: tuple[dt.date, str] | None = None,
    limit: int,
    min_count: int,
) -> Page:
    """Up to ``limit`` rows of the province from ``first`` to ``last``, after the row ``after`` (a cursor's)."""
    last = open_days_last(last)
    communes = list(Commune.objects.filter(province=province).order_by("code").values_list("code", "name"))
    if not communes or first > last:
        return Page([], None)
    day, index = first, 0
    if after is not None:
        after_day, after_code = after
        if after_day >= first:
            day = after_day
            index = next((i for i, (code, _name) in enumerate(communes) if code > after_code), len(communes))
        if index == len(communes):
            if day >= last:
                return Page([], None)
            day, index = day + dt.timedelta(days=1), 0
    if day > last:
        return Page([], None)
    days_needed = (index + limit + len(communes) - 1) // len(communes)
    page_last = min(last, day + dt.timedelta(days=days_needed - 1))
    counts = _counts(province, day, page_last)
    rows = [
        row
        for offset in range((page_last - day).days + 1)
        for row in _day_rows(province, day + dt.timedelta(days=offset), communes, counts, min_count)
    ][index : index + limit]
    if not rows:
        return Page([], None)
    end = rows[-1]
    at_end = end["date"] == last and end["commune_code"] == communes[-1][0]
    return Page(rows, None if at_end else cursor_encode(end["date"], end["commune_code"]))


def _counts(province: Province, first: dt.date, last: dt.date) -> dict[dt.date, dict[str, dict]]:
    rows = DailyCount.objects.filter(
        commune__province=province,
        course_id=ALL_COURSES,
        target_group=EVERYONE,
        day__gte=first,
        day__lte=last,
    ).values("day", "commune_id", *OPEN_METRICS)
    counts: dict[dt.date, dict[str, dict]] = {}
    for row in rows:
        counts.setdefault(row["day"], {})[row["commune_id"]] = row
    return counts


def _day_rows(province, day, communes, counts: dict[dt.date, dict[str, dict]], min_count: int) -> list[dict]:
    zero = dict.fromkeys(OPEN_METRICS, 0)
    values = {code: counts.get(day, {}).get(code, zero) for code, _name in communes}
    hidden = {
        metric: suppressed_cells({code: values[code][metric] for code, _n in communes}, min_count)
        for metric in OPEN_METRICS
    }
    rows = []
    for code, name in communes:
        row = {
            "date": day,
            "province_code": province.code,
            "province_name": province.name,
            "commune_code": code,
            "commune_name": name,
        }
        for metric in OPEN_METRICS:
            secret = code in hidden[metric]
            row[metric] = None if secret else values[code][metric]
            row[f"{metric}_suppressed"] = secret
        rows.append(row)
    return rows
