"""Report files: a report given as plain data, rendered as an Excel workbook (openpyxl) or a PDF (fpdf2).

The statistics app builds a :class:`ReportData` (labels already translated, numbers as numbers) and calls
:func:`workbook_bytes` or :func:`pdf_bytes`; nothing here touches the database. The lines the renderers add
themselves (reporting period, generation time, page numbers, "Total") go through gettext, so call them with the
report's language active.

``data`` holds the report's shape and what both renderers share (validation, the lines above the tables, the
totals row, Vietnamese number formats); ``excel`` and ``pdf`` each render it. Either renders a report of ten
sheets × 54 communes × 15 columns in a fraction of a second.
"""

from .data import CREATOR, KINDS, NO_DATA, REPORT_TIME_ZONE, Column, ReportData, Sheet, format_int, format_percent
from .excel import sheet_names, workbook_bytes
from .pdf import FONT_DIR, FONT_FAMILY, pdf_bytes

__all__ = [
    "CREATOR",
    "FONT_DIR",
    "FONT_FAMILY",
    "KINDS",
    "NO_DATA",
    "REPORT_TIME_ZONE",
    "Column",
    "ReportData",
    "Sheet",
    "format_int",
    "format_percent",
    "pdf_bytes",
    "sheet_names",
    "workbook_bytes",
]
