"""Reading the sheet of an .xlsx workbook, after making sure the file cannot exhaust the server.

An .xlsx is a zip of XML parts. Before any reader opens it, ``inspect`` looks at it without
unpacking more than it must:

* from the zip's directory alone (nothing unpacked): how many parts, what they unpack to in all
  (``IMPORT_MAX_UNPACKED_BYTES``) and what each part that a reader loads whole unpacks to — the shared
  strings, the styles, the workbook (``IMPORT_MAX_SHARED_STRINGS_BYTES``). A 400 KB file holding one
  390 MB string is refused here, in milliseconds;
* the start of the shared strings: the number of strings it announces, which the reader reserves
  memory for at once (a wrong count of billions would end the process);
* the sheet to be read, streamed 1 MB at a time and never kept: where its cells reach. The reader
  allocates every cell of the rectangle from A1 to the last one (two cells, A1 and XFD1048576, ask for
  17 billion), so the rectangle may hold at most ``IMPORT_MAX_CELLS`` cells, and its last row may be at
  most ``Limits.last_row`` — a sheet of a million rows is refused as the stream passes that row, not
  after reading it all. A cell's text may not run for a megabyte (Excel allows 32,767 characters), nor
  a tag. Whether the sheet has formulas is noted on the way.

Then python-calamine (Rust) reads the sheet, ≈ 50 times faster than openpyxl; a workbook whose sheet
has formulas is read with openpyxl when they are wanted as typed (``FORMULAS_AS_TEXT``), since calamine
only knows a formula's last computed value. Neither evaluates anything.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from .limits import FORMULAS_AS_TEXT, SHEET_ACTIVE, Limits, count, megabytes

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
MAX_PARTS = 10_000
MAX_TAG = 1 << 20  # longest XML tag (attributes included) accepted in a sheet
MAX_TREE = 8 << 20  # largest part parsed whole here (the workbook and its relationships)
_CENTRAL_ENTRY = b"PK\x01\x02"

# A cell's start tag, with its reference (column letters, row number) when it has one.
_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])(?:[^>]*?\sr=["\']([A-Z]{1,3})([0-9]{1,7})["\'])?')
# A formula: <f>…</f> (any namespace prefix).
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_SST = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst(\s[^>]*)?/?>")
_UNIQUE_COUNT = re.compile(rb'\suniqueCount\s*=\s*["\']\s*([0-9]+)')
MAX_HEAD = 64 * 1024  # where the shared strings' start tag must be


def corrupt(limits: Limits):
    return limits.refuse(
        "corrupt", _("The .xlsx file is damaged or not a readable Excel workbook. Save it again from Excel as .xlsx.")
    )


def cell_text(value) -> str:
    """A cell as text. Formulas come as their text (``=1+1``), never evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = getattr(value, "text", None)  # openpyxl's ArrayFormula / DataTableFormula
    if isinstance(text, str):
        return text
    return str(value)


def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index


# --- Inspection --------------------------------------------------------------------------------


@dataclass
class Inspection:
    sheet: int  # the index of the sheet to read, in workbook order
    formulas: bool  # whether that sheet holds a formula


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _resolve(target: str) -> str:
    """A relationship target of the workbook as a part name (``worksheets/sheet1.xml`` → ``xl/worksheets/…``)."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join("xl", target))


def _xml(archive: zipfile.ZipFile, name: str, limits: Limits):
    """A small part parsed whole (the workbook, its relationships); None when missing or not XML."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_TREE:
        _refuse_part(info, limits, MAX_TREE)
    try:
        return ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _workbook(archive: zipfile.ZipFile, limits: Limits) -> tuple[list[str | None], int, set[str]]:
    """The part of each sheet (workbook order), the index of the active sheet, and the shared-strings parts.

    Read whole: these parts have passed the size check of ``inspect``."""
    targets, shared = {}, {"xl/sharedStrings.xml"}
    rels = _xml(archive, "xl/_rels/workbook.xml.rels", limits)
    for rel in rels.iter() if rels is not None else ():
        if _local(rel.tag) == "Relationship":
            target = _resolve(rel.get("Target", ""))
            targets[rel.get("Id")] = target
            if rel.get("Type", "").endswith("/sharedStrings"):
                shared.add(target)
    parts, active = [], 0
    workbook = _xml(archive, "xl/workbook.xml", limits)
    for element in workbook.iter() if workbook is not None else ():
        tag = _local(element.tag)
        if tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
            parts.append(targets.get(rid))
        elif tag == "workbookView" and element.get("activeTab", "0").isdigit():
            active = int(element.get("activeTab", "0"))
    return parts, active, shared


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    for info in infos:
        if not _is_worksheet(info.filename) and info.file_size > limits.max_part_bytes:
            _refuse_part(info, limits)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise limits.refuse(
            "unpacked",
            _(
                "The .xlsx file unpacks to %(size)s MB, more than the %(limit)s MB accepted. Copy the list into "
                "a new workbook and upload that."
            ),
            size=megabytes(unpacked),
            limit=megabytes(limits.max_unpacked_bytes),
        )


def _refuse_part(info: zipfile.ZipInfo, limits: Limits, limit: int | None = None):
    limit = limits.max_part_bytes if limit is None else limit
    params = {"part": info.filename, "size": megabytes(info.file_size), "limit": megabytes(limit)}
    if info.filename.lower().endswith("sharedstrings.xml"):
        raise limits.refuse(
            "shared_strings",
            _(
                "The text of the .xlsx file (its shared strings, %(part)s) unpacks to %(size)s MB, more than the "
                "%(limit)s MB accepted. Copy the list into a new workbook and upload that."
            ),
            **params,
        )
    raise limits.refuse(
        "part",
        _(
            "The part %(part)s of the .xlsx file unpacks to %(size)s MB, more than the %(limit)s MB accepted. "
            "Copy the list into a new workbook and upload that."
        ),
        **params,
    )


def _check_string_count(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """The number of strings the shared-strings part announces must fit in it (each takes 5 bytes or more):
    the reader reserves room for them all at once."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return
    if info.file_size > limits.max_part_bytes:  # the strings under a worksheet's name
        _refuse_part(info, limits)
    head, tag = b"", None
    with archive.open(info) as part:
        while tag is None and len(head) < MAX_HEAD and (piece := part.read(4096)):
            head += piece
            tag = _SST.search(head)
    if tag is None:
        if len(head) >= MAX_HEAD:
            raise corrupt(limits)
        return
    announced = _UNIQUE_COUNT.search(tag.group(1))
    if announced and int(announced.group(1)) > info.file_size // 5 + 1:
        raise corrupt(limits)


def _reach(found: list[tuple[bytes, bytes]], last_row: int, last_col: int, limits: Limits) -> tuple[int, int]:
    """The last row and column reached once the cells ``found`` (column letters, row number) are added;
    refused if that is past ``Limits.last_row`` or makes a rectangle of more than ``Limits.max_cells``."""
    if not found:
        return last_row, last_col
    columns = {letters for letters, _row in found}
    if b"" in columns:
        raise limits.refuse(
            "no_references",
            _(
                "Some cells of the sheet are written without their position (cell reference), which is not "
                "accepted. Open the file in Excel or LibreOffice and save it again as .xlsx."
            ),
        )
    last_row = max(last_row, max(map(int, {number for _letters, number in found})))
    last_col = max(last_col, max(map(_column_index, columns)))
    if last_row > limits.last_row:
        raise limits.refuse(
            "too_many_rows",
            _(
                "The sheet goes on past row %(limit)s (to row %(row)s at least); at most %(limit)s rows are read. "
                "Split the file, or delete the rows below the list, even empty ones that are formatted."
            ),
            limit=count(limits.last_row),
            row=count(last_row),
        )
    if last_row * last_col > limits.max_cells:
        raise limits.refuse(
            "too_many_cells",
            _(
                "The sheet reaches row %(row)s and column %(column)s: more than %(limit)s cells in all, counting the "
                "empty ones between. Delete the rows and columns you do not need, even empty ones that are "
                "formatted, or split the file."
            ),
            row=count(last_row),
            column=column_letters(last_col),
            limit=count(limits.max_cells),
        )
    return last_row, last_col


def _scan_sheet(archive: zipfile.ZipFile, name: str, limits: Limits, look_for_formulas: bool) -> bool:
    """Stream one sheet: refuse it if its cells reach too far; whether it holds a formula (if looked for)."""
    last_row = last_col = 0
    formulas = False
    carry = b""
    with archive.open(name) as part:
        while True:
            chunk = part.read(CHUNK)
            buffer = carry + chunk
            start, end = buffer.rfind(b"<"), buffer.rfind(b">")
            if not carry and start < 0 and len(chunk) == CHUNK:  # 1 MB of text without a tag: one cell's
                raise limits.refuse(
                    "long_text",
                    _(
                        "A cell of the sheet holds more than %(limit)s MB of text, far more than Excel allows. Copy "
                        "the list into a new workbook and upload that."
                    ),
                    limit=megabytes(CHUNK),
                )
            if chunk and start > end:  # a tag is cut: it is read with the next piece
                body, carry = buffer[:start], buffer[start:]
                if len(carry) > MAX_TAG:
                    raise corrupt(limits)
            else:
                body, carry = buffer, b""
            if look_for_formulas and not formulas and _FORMULA.search(body):
                formulas = True
            last_row, last_col = _reach(_CELL.findall(body), last_row, last_col, limits)
            if not chunk:
                return formulas


def inspect(content: bytes, limits: Limits) -> Inspection:
    """Check an .xlsx file against ``limits`` (see the module) and say which sheet to read, and how."""
    if content.count(_CENTRAL_ENTRY) > MAX_PARTS:
        raise limits.refuse(
            "parts",
            _(
                "The .xlsx file holds more than %(limit)s parts, where a workbook has a few dozen. Copy the list "
                "into a new workbook and upload that."
            ),
            limit=count(MAX_PARTS),
        )
    want_formulas = limits.formulas == FORMULAS_AS_TEXT
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_sizes(archive.infolist(), limits)
            if "xl/workbook.xml" not in archive.NameToInfo:  # another zip: .ods, .xlsb, .docx…
                raise corrupt(limits)
            parts, active, shared = _workbook(archive, limits)
            for name in shared:
                _check_string_count(archive, name, limits)
            index = active if limits.sheet == SHEET_ACTIVE and active < len(parts) else 0
            if index < len(parts) and parts[index] in archive.NameToInfo:
                scan = [parts[index]]
            else:  # the sheet's part is not known: every worksheet is held to the limits
                scan = [info.filename for info in archive.infolist() if _is_worksheet(info.filename)]
            formulas = False
            for name in scan:
                formulas = _scan_sheet(archive, name, limits, look_for_formulas=want_formulas) or formulas
            return Inspection(sheet=index, formulas=formulas)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        logger.info("import: unreadable xlsx", exc_info=True)
        raise corrupt(limits) from None


# --- Reading -----------------------------------------------------------------------------------


def _calamine_rows(content: bytes, index: int, limits: Limits):
    """Rows of one sheet with python-calamine (Rust): the cells' values as stored in the file."""
    from python_calamine import CalamineError, CalamineWorkbook

    workbook = None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = workbook.sheet_names
        if not names:
            raise corrupt(limits)
        sheet = workbook.get_sheet_by_index(index if index < len(names) else 0)
        for row in sheet.iter_rows():  # from row 1 of the sheet (leading empty rows included)
            yield [cell_text(v) for v in row]
    except (CalamineError, OSError, ValueError, TypeError, IndexError):
        logger.info("import: unreadable xlsx", exc_info=True)
        raise corrupt(limits) from None
    except BaseException as exc:  # a panic in the Rust code is pyo3's PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        logger.warning("import: the xlsx reader panicked", exc_info=True)
        raise corrupt(limits) from None
    finally:
        if workbook is not None:
            workbook.close()


def _openpyxl_rows(content: bytes, index: int, limits: Limits):
    """Rows of one sheet with openpyxl, formulas as their text (``=1+1``), never evaluated."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        names = workbook.sheetnames
        sheet = workbook[names[index if index < len(names) else 0]]
        sheet.reset_dimensions()  # the rows as they are, not padded to what the file claims
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in row]
        workbook.close()
    except (
        zipfile.BadZipFile,
        KeyError,
        InvalidFileException,
        IndexError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,
        AttributeError,
        zlib.error,
    ):
        logger.info("import: unreadable xlsx", exc_info=True)
        raise corrupt(limits) from None


def xlsx_rows(content: bytes, limits: Limits):
    """The rows of the sheet to read (``Limits.sheet``), as lists of text; refused early if unsafe."""
    found = inspect(content, limits)
    if found.formulas:
        return _openpyxl_rows(content, found.sheet, limits)
    return _calamine_rows(content, found.sheet, limits)
