"""Roster files to download: the template to fill in, and the rows in error (cells made formula-safe)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from learning.imports.export import write_csv

from ..roster_models import Roster, RowOutcome
from .reading import FIELDS, HEADERS
from .selectors import roster_rows


def roster_template_xlsx() -> bytes:
    """The downloadable template: Vietnamese headers in bold and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append([HEADERS[name] for name in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "Nguyễn Văn An",
            "0912 345 678",
            "Phường Hạ Long",
            "Cán bộ, công chức, viên chức; Đảng viên",
            "UBND phường Hạ Long",
            "Chuyên viên",
        ]
    )
    for column, width in zip("ABCDEF", (28, 18, 24, 38, 30, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def roster_errors_csv(*, roster: Roster) -> str:
    """The error rows as CSV (UTF-8 with BOM for Excel), cells neutralised against formulas."""
    rows = (
        [row.row_number, *[(row.raw or {}).get(name, "") for name in FIELDS], row.reason]
        for row in roster_rows(roster=roster, outcome=RowOutcome.ERROR).iterator()
    )
    return write_csv([_("Row"), *[HEADERS[name] for name in FIELDS], _("Reason")], rows)
