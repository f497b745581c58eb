"""The columns of every statistics table: one definition for the pages, the CSV downloads and the reports.

A column is (key, label, kind); the kind says how a person reads the value (``learning.stats.formats``): "int",
"percent" (a share 0..1, None = no data), "date", "datetime" (shown in Vietnam's time) or "text"."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from learning.imports.export import write_csv

from .formats import NO_DATA, format_date, format_datetime, format_percent
from .report_files import Column

NAME = [("name", _("Commune"), "text")]
FIGURES = [
    ("registered", _("Registered"), "int"),
    ("participants", _("Participants"), "int"),
    ("target_participants", _("Target participants"), "int"),
    ("participation_rate", _("Participation rate"), "percent"),
    ("new_participants", _("New participants in the period"), "int"),
    ("completers", _("Completed a course"), "int"),
    ("completion_rate", _("Completion rate"), "percent"),
    ("basic_completers", _("Completed the basic programme"), "int"),
    ("lesson_completions", _("Lessons completed in the period"), "int"),
    ("quiz_passes", _("Quizzes passed in the period"), "int"),
    ("mandatory_assigned", _("Mandatory: assigned"), "int"),
    ("mandatory_completed", _("Mandatory: completed on time"), "int"),
    ("mandatory_completed_late", _("Mandatory: completed late"), "int"),
    ("mandatory_overdue", _("Mandatory: overdue"), "int"),
    ("mandatory_rate", _("Mandatory completion rate"), "percent"),
]
COMMUNE_TABLE = [("code", _("Code"), "text"), *NAME, *FIGURES]
COURSE_TABLE = [("course", _("Course"), "text"), *FIGURES]
GROUP_TABLE = [("label", _("Target group"), "text"), *FIGURES]
WEEK_TABLE = [
    ("week_start", _("Week from"), "date"),
    ("week_end", _("to"), "date"),
    ("registered", _("New accounts"), "int"),
    ("new_participants", _("New participants"), "int"),
    ("enrolments", _("Enrolments"), "int"),
    ("lesson_completions", _("Lessons completed"), "int"),
    ("course_completions", _("Courses completed"), "int"),
    ("quiz_passes", _("Quizzes passed"), "int"),
    ("active_days", _("Learner-days of activity"), "int"),
    ("participants_to_date", _("Participants to date"), "int"),
]
PEOPLE_TABLE = [
    ("full_name", _("Full name"), "text"),
    ("phone", _("Phone"), "text"),
    ("groups", _("Target groups"), "text"),
    ("enrolled", _("Courses started"), "int"),
    ("courses_done", _("Courses completed"), "int"),
    ("lessons_done", _("Lessons completed"), "int"),
    ("quiz_passes", _("Quizzes passed"), "int"),
    ("overdue", _("Overdue on a mandatory module"), "text"),
    ("last_activity", _("Last activity"), "datetime"),
]


def columns(spec) -> list[Column]:
    return [Column(key=key, label=str(label), kind=kind) for key, label, kind in spec]


def csv_cell(value, kind: str) -> str:
    """A value as the CSV writes it: rates, dates and times as on the pages ("40,0 %", "07/12/2026 14:05");
    whole numbers without a thousands separator, so that no spreadsheet reads 6.599 as six and a bit."""
    if value is None or value == "":
        return NO_DATA if kind == "percent" else ""
    if kind == "percent":
        return format_percent(value)
    if kind == "date":
        return format_date(value)
    if kind == "datetime":
        return format_datetime(value)
    return str(value)


def csv_response(filename: str, spec, rows, totals: dict | None = None) -> HttpResponse:
    """A CSV download written by the one formula-safe writer (``learning.imports.export``): UTF-8 with a
    byte-order mark, so spreadsheet programs read the diacritics; a name such as ``=HYPERLINK(…)`` stays text."""
    rows = [*rows, *([totals] if totals else [])]
    content = write_csv(
        [str(label) for _key, label, _kind in spec],
        ([csv_cell(row.get(key), kind) for key, _label, kind in spec] for row in rows),
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
