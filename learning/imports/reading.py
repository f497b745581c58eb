"""An uploaded spreadsheet (.xlsx or .csv) as rows of text, read under one policy (``Limits``).

* The upload may be at most ``Limits.max_bytes``; nothing is unpacked before that is checked.
* What it is comes from its first bytes, then its name: a zip is an .xlsx workbook; an OLE2 file is a
  password-protected workbook or an old .xls (refused with how to save it); a name ending in .csv or
  .txt, or in nothing known, is CSV text (UTF-8, separated by commas, semicolons or tabs).
* An .xlsx is inspected before it is read (``xlsx.inspect``: unpacked sizes, cells, rows).
* Rows come one at a time; reading stops at the first non-empty row past ``Limits.last_row``.

Every refusal is a ``ValidationError({"file": [message]})`` with a code, whose message says what is
wrong and where; nothing is written by reading.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .limits import Limits, count, megabytes
from .xlsx import xlsx_rows

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
ZIP_MAGIC = b"PK\x03\x04"
OTHER_FORMATS = (".xls", ".ods", ".pdf", ".doc", ".docx")


def read_rows(*, content: bytes, filename: str, limits: Limits) -> Iterator[list[str]]:
    """The rows of an uploaded file, from its row 1 (empty rows included, so that a row's place is its
    number in the spreadsheet). Checks what can be checked before the first row is returned."""
    if not content:
        raise limits.refuse("empty", _("The file is empty."))
    if len(content) > limits.max_bytes:
        raise limits.refuse(
            "too_large",
            _("The file is %(size)s MB; the largest file accepted is %(limit)s MB."),
            size=megabytes(len(content)),
            limit=megabytes(limits.max_bytes),
        )
    name = (filename or "").lower()
    if content.startswith(OLE2_MAGIC):
        raise limits.refuse(
            "encrypted",
            _(
                "This file is password-protected or in the old .xls format. Remove the password and save it as "
                ".xlsx (Excel Workbook) or .csv."
            ),
        )
    if content.startswith(ZIP_MAGIC):
        rows = xlsx_rows(content, limits)
    elif name.endswith((".xlsx", ".xlsm")):
        raise limits.refuse(
            "corrupt",
            _("The .xlsx file is damaged or not a readable Excel workbook. Save it again from Excel as .xlsx."),
        )
    elif name.endswith((".csv", ".txt")) or not name.endswith(OTHER_FORMATS):
        rows = csv_rows(content, limits)
    else:
        raise limits.refuse("format", _("Upload an Excel (.xlsx) or CSV (.csv) file."))
    return _limited(rows, limits)


def _limited(rows, limits: Limits) -> Iterator[list[str]]:
    last = limits.last_row
    for number, cells in enumerate(rows, start=1):
        if number > last and any(cell.strip() for cell in cells):
            raise limits.refuse(
                "too_many_rows",
                _(
                    "The sheet goes on past row %(limit)s (to row %(row)s at least); at most %(limit)s rows are "
                    "read. Split the file, or delete the rows below the list, even empty ones that are formatted."
                ),
                limit=count(last),
                row=count(number),
            )
        yield cells


def csv_rows(content: bytes, limits: Limits) -> Iterator[list[str]]:
    """The records of a UTF-8 CSV file (a byte-order mark is allowed), separated by commas, semicolons or tabs."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise limits.refuse(
            "encoding",
            _(
                "The CSV file is not UTF-8 text (line %(line)s is not). In Excel choose “Save as” → “CSV UTF-8 "
                "(Comma delimited)”."
            ),
            line=count(content.count(b"\n", 0, exc.start) + 1),
        ) from None
    if "\0" in text:
        raise limits.refuse("not_csv", _("The file is not a CSV text file."))
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _records(reader, limits)


def _records(reader, limits: Limits) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise limits.refuse(
            "bad_csv",
            _("The CSV file cannot be read at line %(line)s: %(error)s."),
            line=count(reader.line_num),
            error=exc,
        ) from None
