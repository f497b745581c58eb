"""Rosters: read a spreadsheet of people, preview every row's outcome, then import the valid rows.

* ``reading``: the header row found and mapped, the rows under it (the file read by ``learning.imports``);
* ``cleaning``: each row cleaned and classified (new, update, unchanged, error) — writes nothing;
* ``preview``: a file read, classified and stored as the roster's rows — no person written;
* ``services``: the writes — confirm, import in resumable batches under a lease, the sweep that resumes
  stalled imports, activation SMS per batch;
* ``selectors``: the reads — an organiser's rosters, their rows, how far the SMS are;
* ``exports``: the template to fill in and the rows in error as CSV.

The names below are the public ones (views, API, tasks and commands import them from here).
"""

from learning.imports.export import spreadsheet_safe

from .cleaning import PlannedRow, Scope, _group_keys, clean_phone, parse_groups, roster_classify
from .exports import roster_errors_csv, roster_template_xlsx
from .preview import BATCH_SIZE, ROW_FIELDS, roster_preview
from .reading import (
    ALIASES,
    FIELDS,
    HEADER_SCAN_ROWS,
    HEADERS,
    REQUIRED,
    Sheet,
    limits,
    max_bytes,
    max_rows,
    roster_read,
)
from .selectors import (
    organiser_roster_get,
    organiser_rosters,
    roster_activations,
    roster_rows,
    roster_same_file_before,
)
from .services import (
    LeaseLost,
    roster_batch_activations_send,
    roster_confirm,
    roster_finish_counts,
    roster_import,
    roster_stalled,
    roster_start,
    rosters_resume_stuck,
)

__all__ = [
    "ALIASES",
    "BATCH_SIZE",
    "FIELDS",
    "HEADERS",
    "HEADER_SCAN_ROWS",
    "LeaseLost",
    "REQUIRED",
    "ROW_FIELDS",
    "PlannedRow",
    "Scope",
    "Sheet",
    "_group_keys",
    "clean_phone",
    "limits",
    "max_bytes",
    "max_rows",
    "organiser_roster_get",
    "organiser_rosters",
    "parse_groups",
    "roster_activations",
    "roster_batch_activations_send",
    "roster_classify",
    "roster_confirm",
    "roster_errors_csv",
    "roster_finish_counts",
    "roster_import",
    "roster_preview",
    "roster_read",
    "roster_rows",
    "roster_same_file_before",
    "roster_stalled",
    "roster_start",
    "rosters_resume_stuck",
    "roster_template_xlsx",
    "spreadsheet_safe",
]
