"""Rosters: read a spreadsheet of people, preview every row's outcome, then import the valid rows.

Reading and previewing write no person; ``roster_import`` writes them in batches, each batch in its
own transaction, and can be run again after a crash: it continues where it stopped and creates no
duplicates (phone numbers are unique, inserts ignore conflicts and say which rows they inserted).
Each batch's activation SMS go out in a task of their own (``roster_batch_activations_send``).
Large writes go through ``bulk`` (PostgreSQL ``COPY``; ``bulk_create`` elsewhere).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import logging
import re
import secrets
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from learning.accounts.models import TargetGroup, TargetGroupCode, User
from learning.accounts.phone import normalise_phone
from learning.accounts.scopes import communes_in_scope, is_organiser
from learning.core.text import clean_name, fold
from learning.localities.models import Commune

from . import bulk
from .models import Assignment, AssignmentMember
from .roster_models import OrganisationMembership, Roster, RosterBatch, RosterRow, RosterStatus, RowOutcome

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
BATCH_SIZE = 2000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
ZIP_MAGIC = b"PK\x03\x04"
HEADER_SCAN_ROWS = 10

# The template's headers (the file format, in Vietnamese) and the other ways people write them.
FIELDS = ("full_name", "phone", "commune", "target_group", "organisation", "position")
REQUIRED = ("full_name", "phone", "commune", "target_group", "organisation")
HEADERS = {
    "full_name": "Họ và tên",
    "phone": "Số điện thoại",
    "commune": "Xã/phường",
    "target_group": "Nhóm đối tượng",
    "organisation": "Đơn vị",
    "position": "Chức vụ",
}
ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên đầy đủ", "Tên", "Full name", "Name", "Fullname"],
    "phone": [
        "Số điện thoại",
        "SĐT",
        "SDT",
        "Điện thoại",
        "Số ĐT",
        "Di động",
        "Số di động",
        "Phone",
        "Mobile",
        "Phone number",
        "Mobile phone",
    ],
    "commune": [
        "Xã/phường",
        "Xã, phường",
        "Phường/xã",
        "Xã",
        "Mã xã",
        "Tên xã",
        "Xã/phường/đặc khu",
        "Mã xã/phường",
        "Đơn vị hành chính",
        "Commune",
        "Commune code",
        "Ward",
        "Commune/ward",
    ],
    "target_group": ["Nhóm đối tượng", "Đối tượng", "Nhóm", "Target group", "Target groups", "Group"],
    "organisation": [
        "Đơn vị",
        "Cơ quan",
        "Cơ quan/đơn vị",
        "Đơn vị công tác",
        "Cơ quan, đơn vị",
        "Nơi công tác",
        "Organisation",
        "Organization",
        "Unit",
        "Organisation/unit",
    ],
    "position": ["Chức vụ", "Chức danh", "Position", "Job title", "Title"],
}
GROUP_ALIASES = {
    "citizen": ["người dân", "công dân", "dân", "citizen", "citizens"],
    "student": ["học sinh", "sinh viên", "học sinh sinh viên", "học viên", "student", "students"],
    "official": [
        "cán bộ công chức viên chức",
        "cán bộ",
        "công chức",
        "viên chức",
        "cbccvc",
        "ccvc",
        "official",
        "officials",
        "civil servant",
        "public employee",
    ],
    "party_member": ["đảng viên", "party member", "party members"],
    "enterprise_worker": [
        "người lao động trong doanh nghiệp",
        "người lao động",
        "công nhân",
        "lao động",
        "doanh nghiệp",
        "enterprise worker",
        "enterprise workers",
        "worker",
    ],
    "other": ["khác", "other"],
}
COMMUNE_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ", "ward ", "commune ")
_KEY = re.compile(r"[^a-z0-9]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _key(text: str) -> str:
    """Header/label matching key: folded, punctuation as spaces (``"Xã/phường (*)"`` → ``"xa phuong"``)."""
    return _KEY.sub(" ", fold(text)).strip()


_HEADER_KEYS = {_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def max_bytes() -> int:
    return int(getattr(settings, "ROSTER_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "ROSTER_MAX_ROWS", DEFAULT_MAX_ROWS))


def spreadsheet_safe(text) -> str:
    """Text for a cell of an exported spreadsheet: a leading ``= + - @`` is neutralised with ``'``."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    headers: list[str]
    columns: dict[str, int]  # field → column index
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (spreadsheet row number, cells)


def _file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": [ValidationError(message, code=code)]})


def _cell_text(value) -> str:
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


def _unreadable_xlsx() -> ValidationError:
    return _file_error(
        _("The .xlsx file is damaged or not an Excel workbook and cannot be read. Save it again from Excel."),
        "corrupt",
    )


# A formula cell: <f>…</f> (any namespace prefix) in a worksheet's XML.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula (read in 1 MB pieces, never all at once)."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(1 << 20):
                if _FORMULA.search(tail + chunk):
                    return True
                tail = chunk[-64:]
    return False


def _active_sheet(archive: zipfile.ZipFile) -> int:
    """The index of the sheet Excel opens on (``activeTab``), as openpyxl's ``workbook.active``."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError, ValueError):
        return 0
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "workbookView":
            value = element.get("activeTab", "0")
            return int(value) if value.isdigit() else 0
    return 0


def _calamine_rows(content: bytes, active: int):
    """Rows of the active sheet with python-calamine (Rust): the cells' values as stored in the file."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = workbook.sheet_names
        if not names:
            raise _unreadable_xlsx()
        sheet = workbook.get_sheet_by_index(active if active < len(names) else 0)
        rows = sheet.iter_rows()  # from row 1 of the sheet (leading empty rows included)
    except (CalamineError, OSError, ValueError, TypeError, IndexError):
        logger.info("roster: unreadable xlsx", exc_info=True)
        raise _unreadable_xlsx() from None
    try:
        for row in rows:
            yield [_cell_text(v) for v in row]
    except (CalamineError, OSError, ValueError, TypeError):
        logger.info("roster: unreadable xlsx", exc_info=True)
        raise _unreadable_xlsx() from None
    finally:
        workbook.close()


def _openpyxl_rows(content: bytes):
    """Rows of the active sheet with openpyxl, formulas as their text (``=1+1``), never evaluated."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.active or workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
        workbook.close()
    except ValidationError:
        raise
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
    ):
        logger.info("roster: unreadable xlsx", exc_info=True)
        raise _unreadable_xlsx() from None


def _xlsx_rows(content: bytes):
    """The rows of an .xlsx file's active sheet as lists of text.

    Read with python-calamine, which streams the sheet XML in Rust (≈ 50 times faster than openpyxl's
    cell objects). A workbook with formulas is read with openpyxl instead: calamine gives a formula's
    last computed value (or nothing), while a roster shows the formula itself, as typed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > 20 * max_bytes():
                raise _file_error(_("The .xlsx file unpacks to far too much data to be a roster."), "too_large")
            formulas = _has_formulas(archive)
            active = _active_sheet(archive)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        raise _file_error(
            _("The .xlsx file is damaged and cannot be read. Save it again from Excel."), "corrupt"
        ) from None
    if formulas:
        return _openpyxl_rows(content)
    return _calamine_rows(content, active)


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”."), "encoding"
        ) from None
    if "\0" in text:
        raise _file_error(_("The file is not a CSV text file."), "not_csv")
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise _file_error(_("The CSV file cannot be read: %(error)s.") % {"error": exc}, "bad_csv") from None


def _map_headers(cells: list[str]) -> dict[str, int]:
    columns = {}
    for index, cell in enumerate(cells):
        name = _HEADER_KEYS.get(_key(cell))
        if name and name not in columns:
            columns[name] = index
    return columns


def _missing_columns_error(cells: list[str], columns: dict[str, int]) -> ValidationError:
    missing = [name for name in REQUIRED if name not in columns]
    found = [c.strip() for c in cells if c.strip()]
    hints = []
    for cell in found:
        if _key(cell) in _HEADER_KEYS:
            continue
        match = difflib.get_close_matches(_key(cell), list(_HEADER_KEYS), n=1, cutoff=0.75)
        if match and _HEADER_KEYS[match[0]] in missing:
            hints.append(
                _("“%(found)s” looks like a misspelling of “%(expected)s”.")
                % {"found": cell, "expected": HEADERS[_HEADER_KEYS[match[0]]]}
            )
    message = _("Missing column(s): %(missing)s. The header row has: %(found)s.") % {
        "missing": ", ".join(f"“{HEADERS[name]}”" for name in missing),
        "found": ", ".join(f"“{c}”" for c in found) or _("(nothing)"),
    }
    return _file_error(" ".join([message, *hints]), "missing_columns")


def roster_read(*, content: bytes, filename: str) -> Sheet:
    """The header and the non-empty rows of a .xlsx or .csv roster; ValidationError({"file": …}) if unusable."""
    if not content:
        raise _file_error(_("The file is empty."), "empty")
    if len(content) > max_bytes():
        raise _file_error(
            _("The file is %(size)s MB; the largest roster accepted is %(limit)s MB.")
            % {"size": f"{len(content) / 1048576:.1f}", "limit": f"{max_bytes() / 1048576:.1f}"},
            "too_large",
        )
    name = (filename or "").lower()
    if content.startswith(OLE2_MAGIC):
        raise _file_error(
            _(
                "This file is password-protected or in the old .xls format. Remove the password and save it as "
                ".xlsx (Excel Workbook) or .csv."
            ),
            "encrypted",
        )
    if content.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(content)
    elif name.endswith((".xlsx", ".xlsm")):
        raise _file_error(_("The .xlsx file is damaged or not an Excel workbook and cannot be read."), "corrupt")
    elif name.endswith((".csv", ".txt")) or not name.endswith((".xls", ".ods", ".pdf", ".doc", ".docx")):
        rows = _csv_rows(content)
    else:
        raise _file_error(_("Upload the roster as .xlsx (Excel Workbook) or .csv."), "format")

    limit = max_rows()
    header, columns, data = None, {}, []
    scanned = []
    for number, cells in enumerate(rows, start=1):
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            scanned.append(cells)
            mapped = _map_headers(cells)
            if len([n for n in REQUIRED if n in mapped]) >= 2:
                header, columns = cells, mapped
                if any(n not in columns for n in REQUIRED):
                    raise _missing_columns_error(cells, columns)
            elif len(scanned) >= HEADER_SCAN_ROWS:
                break
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
        if not any(values.values()):
            continue
        data.append((number, values))
        if len(data) > limit:
            raise _file_error(
                _("The roster has more than %(limit)s people; split it into smaller files.") % {"limit": f"{limit:,}"},
                "too_many_rows",
            )
    if header is None:
        if not scanned:
            raise _file_error(_("The file is empty."), "empty")
        raise _missing_columns_error(scanned[0], _map_headers(scanned[0]))
    if not data:
        raise _file_error(_("The file has a header row but no people under it."), "no_rows")
    return Sheet(headers=[c for c in header if c.strip()], columns=columns, rows=data)


# --- Cleaning one row ------------------------------------------------------------------------

_phone_ok_prefixes: set[str] = set()
_NATIONAL = re.compile(r"(?:\+?84|0)?([1-9][0-9]{8})")
_SEPARATORS = re.compile(r"[\s.\-()/]+")


def clean_phone(raw: str) -> str:
    """``normalise_phone`` with a fast path: a Vietnamese mobile number's validity depends only on its
    leading digits (phonenumbers' VN metadata: 2–3 digits then a fixed length), so once a 4-digit
    prefix has passed the full check, other 9-digit national numbers with that prefix pass too."""
    text = _SEPARATORS.sub("", raw or "")
    match = _NATIONAL.fullmatch(text)
    if match:
        national = match.group(1)
        if national[:4] in _phone_ok_prefixes:
            return "+84" + national
    e164 = normalise_phone(raw)
    if match and e164 == "+84" + match.group(1):
        _phone_ok_prefixes.add(match.group(1)[:4])
    return e164


def _group_keys() -> dict[str, str]:
    keys = {}
    for code, aliases in GROUP_ALIASES.items():
        for alias in aliases:
            keys[_key(alias)] = code
    for code, label in TargetGroupCode.choices:
        keys[_key(code)] = code
        keys[_key(str(label))] = code
        with override("vi"):
            keys[_key(str(label))] = code
    return keys


def parse_groups(text: str, keys: dict[str, str]) -> tuple[list[str], list[str]]:
    """Target group codes in a cell; labels may themselves hold commas ("Cán bộ, công chức, viên chức").

    Returns (codes, parts not understood)."""
    parts = [p for p in (_key(part) for part in re.split(r"[,;\n]", text)) if p]
    codes, unknown, i = [], [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            code = keys.get(" ".join(parts[i:j]))
            if code:
                if code not in codes:
                    codes.append(code)
                i = j
                break
        else:
            unknown.append(parts[i])
            i += 1
    return codes, unknown


@dataclass
class Scope:
    """The organiser's communes, and every commune, for matching a code or a name."""

    in_scope: set[str]
    names: dict[str, list[str]]  # folded name (with and without "Phường"/"Xã") → codes in scope
    all_codes: set[str]
    all_names: set[str]

    @classmethod
    def of(cls, organiser) -> Scope:
        in_scope = set(communes_in_scope(organiser).values_list("code", flat=True))
        names: dict[str, list[str]] = {}
        all_names = set()
        all_codes = set()
        for code, name in Commune.objects.values_list("code", "name"):
            all_codes.add(code)
            for variant in _name_variants(name):
                all_names.add(variant)
                if code in in_scope:
                    names.setdefault(variant, []).append(code)
        return cls(in_scope=in_scope, names=names, all_codes=all_codes, all_names=all_names)


def _name_variants(name: str) -> set[str]:
    key = _key(name)
    variants = {key}
    for prefix in COMMUNE_PREFIXES:
        if key.startswith(prefix):
            variants.add(key[len(prefix) :])
    return variants


def _commune(text: str, scope: Scope) -> tuple[str | None, str | None]:
    """(code, error) for a commune written as its code or its name."""
    if not text:
        return None, _("The commune is missing.")
    digits = text.strip()
    if digits.isdigit() and len(digits) <= 5:
        code = digits.zfill(5)
        if code in scope.in_scope:
            return code, None
        if code in scope.all_codes:
            return None, _("Commune %(code)s is outside your scope.") % {"code": code}
        return None, _("Unknown commune code “%(code)s”.") % {"code": text}
    key = _key(text)
    codes = scope.names.get(key, [])
    if len(codes) == 1:
        return codes[0], None
    if len(codes) > 1:
        return None, _("More than one commune in your scope is called “%(name)s”; write its code instead.") % {
            "name": text
        }
    if key in scope.all_names:
        return None, _("The commune “%(name)s” is outside your scope.") % {"name": text}
    return None, _("Unknown commune “%(name)s”.") % {"name": text}


# --- Preview ---------------------------------------------------------------------------------


def _check_organiser(organiser) -> None:
    if not is_organiser(organiser):
        raise PermissionDenied(_("Only commune and provincial organisers can import rosters."))


def _existing(phones: list[str]) -> tuple[dict, dict, dict]:
    """For the phones that have accounts: {phone: (pk, commune)}, {pk: set(groups)}, {pk: (org, position)}."""
    users, groups, memberships = {}, {}, {}
    through = User.target_groups.through
    for start in range(0, len(phones), 5000):
        chunk = phones[start : start + 5000]
        found = {
            phone: (pk, commune)
            for pk, phone, commune in User.objects.filter(phone__in=chunk).values_list("pk", "phone", "commune_id")
        }
        users.update(found)
        ids = [pk for pk, _c in found.values()]
        if ids:
            for user_id, code in through.objects.filter(user_id__in=ids).values_list("user_id", "targetgroup_id"):
                groups.setdefault(user_id, set()).add(code)
            for user_id, org, position in OrganisationMembership.objects.filter(user_id__in=ids).values_list(
                "user_id", "organisation", "position"
            ):
                memberships[user_id] = (org, position)
    return users, groups, memberships


@dataclass(slots=True)
class PlannedRow:
    """A roster row as the preview classifies it (stored as a RosterRow)."""

    row_number: int
    full_name: str
    phone: str
    commune_id: str | None
    target_groups: str
    organisation: str
    position: str
    outcome: str
    reason: str = ""
    raw: dict = field(default_factory=dict)
    changes: str = ""

    @property
    def group_codes(self) -> list[str]:
        return [c for c in self.target_groups.split(",") if c]


ROW_FIELDS = (
    "roster_id",
    "row_number",
    "full_name",
    "phone",
    "commune_id",
    "target_groups",
    "organisation",
    "position",
    "raw",
    "outcome",
    "reason",
    "changes",
)


def roster_classify(*, organiser, rows: list[tuple[int, dict[str, str]]]) -> list[PlannedRow]:
    """Every row's outcome: new, update, unchanged or error with its reasons. Writes nothing.

    Communes and target groups are written the same way on many rows: each distinct cell is
    understood once."""
    scope = Scope.of(organiser)
    group_keys = _group_keys()
    known_groups = set(TargetGroup.objects.values_list("code", flat=True))
    communes: dict[str, tuple[str | None, str | None]] = {}
    groups: dict[str, tuple[str, str | None]] = {}
    result: list[PlannedRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in rows:
        errors = []
        name = clean_name(cells.get("full_name", ""))
        if not name:
            errors.append(_("The full name is missing."))
        elif len(name) > 150:
            errors.append(_("The full name is longer than 150 characters."))
        elif not any(ch.isalpha() for ch in name):
            errors.append(_("The full name has no letters."))
        raw_phone = cells.get("phone", "")
        phone = ""
        try:
            phone = clean_phone(raw_phone)
        except ValidationError as exc:
            errors.append(_("Phone “%(phone)s”: %(problem)s") % {"phone": raw_phone, "problem": exc.messages[0]})
        commune_text = cells.get("commune", "")
        if commune_text not in communes:
            communes[commune_text] = _commune(clean_name(commune_text), scope)
        commune, problem = communes[commune_text]
        if problem:
            errors.append(problem)
        groups_text = cells.get("target_group", "")
        if groups_text not in groups:
            cleaned = clean_name(groups_text)
            codes, unknown = parse_groups(cleaned, group_keys)
            codes = [c for c in codes if c in known_groups]
            if unknown:
                groups[groups_text] = ("", _("Unknown target group “%(group)s”.") % {"group": cleaned})
            elif not codes:
                groups[groups_text] = ("", _("The target group is missing."))
            else:
                groups[groups_text] = (",".join(codes), None)
        codes_text, problem = groups[groups_text]
        if problem:
            errors.append(problem)
        organisation = clean_name(cells.get("organisation", ""))
        position = clean_name(cells.get("position", ""))
        if len(organisation) > 200:
            errors.append(_("The organisation is longer than 200 characters."))
        if len(position) > 150:
            errors.append(_("The position is longer than 150 characters."))
        if phone:
            if phone in first_row_of:
                errors.append(
                    _("The phone number is already on row %(row)d of this file.") % {"row": first_row_of[phone]}
                )
            else:
                first_row_of[phone] = number
        row = PlannedRow(
            row_number=number,
            full_name=name[:150],
            phone=phone or raw_phone[:40],
            commune_id=commune,
            target_groups=codes_text,
            organisation=organisation[:200],
            position=position[:150],
            outcome=RowOutcome.ERROR if errors else RowOutcome.NEW,
            reason=" ".join(errors),
        )
        if errors:
            row.raw = {k: v[:300] for k, v in cells.items()}
        result.append(row)

    valid = [r for r in result if r.outcome != RowOutcome.ERROR]
    users, user_groups, memberships = _existing([r.phone for r in valid])
    for row in valid:
        if row.phone not in users:
            continue
        pk, current_commune = users[row.phone]
        if current_commune and current_commune not in scope.in_scope:
            row.outcome = RowOutcome.ERROR
            row.reason = _("This phone number belongs to an account registered outside your scope.")
            row.raw = {"phone": row.phone, "full_name": row.full_name}
            continue
        changes = []
        if current_commune != row.commune_id:
            changes.append("commune")
        if set(row.group_codes) - user_groups.get(pk, set()):
            changes.append("target_groups")
        if row.organisation and memberships.get(pk) != (row.organisation, row.position):
            changes.append("organisation")
        row.outcome = RowOutcome.UPDATE if changes else RowOutcome.UNCHANGED
        row.changes = ",".join(changes)
    return result


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(RowOutcome.values, 0)
    for row in rows:
        counts[row.outcome] += 1
    return {
        "total_rows": len(rows),
        "error_rows": counts[RowOutcome.ERROR],
        "valid_rows": len(rows) - counts[RowOutcome.ERROR],
        "new_rows": counts[RowOutcome.NEW],
        "update_rows": counts[RowOutcome.UPDATE],
        "unchanged_rows": counts[RowOutcome.UNCHANGED],
    }


def roster_preview(*, organiser, content: bytes, filename: str) -> Roster:
    """Read and classify a roster and store the preview (one RosterRow per row); no person is written.

    The import works from these stored rows: the file is read once."""
    _check_organiser(organiser)
    sheet = roster_read(content=content, filename=filename)
    rows = roster_classify(organiser=organiser, rows=sheet.rows)
    with transaction.atomic():
        roster = Roster.objects.create(
            organiser=organiser,
            filename=(filename or "roster")[-255:],
            sha256=hashlib.sha256(content).hexdigest(),
            **_counts(rows),
        )
        bulk.insert(
            RosterRow,
            ROW_FIELDS,
            (
                (
                    roster.pk,
                    r.row_number,
                    r.full_name,
                    r.phone,
                    r.commune_id,
                    r.target_groups,
                    r.organisation,
                    r.position,
                    r.raw,
                    r.outcome,
                    r.reason,
                    r.changes,
                )
                for r in rows
            ),
            batch_size=BATCH_SIZE,
        )
    return roster


def roster_same_file_before(roster: Roster) -> Roster | None:
    """An earlier upload of exactly this file by the same organiser."""
    return (
        Roster.objects.filter(organiser_id=roster.organiser_id, sha256=roster.sha256, created_at__lte=roster.created_at)
        .exclude(pk=roster.pk)
        .order_by("-created_at")
        .first()
    )


# --- Confirm and import ----------------------------------------------------------------------


def roster_start(*, roster: Roster) -> tuple[Roster, bool]:
    """Mark a previewed (or failed) roster as importing. Returns (roster, whether it should run now)."""
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status in (RosterStatus.IMPORTING, RosterStatus.IMPORTED):
            return roster, False
        if not roster.valid_rows:
            raise ValidationError(_("This roster has no valid rows to import; correct the file and upload it again."))
        roster.status = RosterStatus.IMPORTING
        roster.confirmed_at = roster.confirmed_at or timezone.now()
        roster.error = ""
        roster.save(update_fields=["status", "confirmed_at", "error"])
        return roster, True


def roster_confirm(*, roster: Roster) -> Roster:
    """Confirm the preview: the import runs in the background once this transaction commits."""
    from .roster_tasks import import_roster

    roster, start = roster_start(roster=roster)
    if start:
        transaction.on_commit(lambda: import_roster.delay(roster.pk))
    return roster


# Columns of a stored row that the import needs (tuples: no model instances for 100,000 rows).
_IMPORT_COLUMNS = ("pk", "row_number", "phone", "full_name", "commune_id", "target_groups", "organisation", "position")


def _unusable_password() -> str:
    """What ``make_password(None)`` stores, made with one call to the OS random source instead of 40."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _users_create(people: list[tuple[str, str, str]], now) -> dict[str, int]:
    """Accounts for the (phone, full name, commune) of people who have none, with unusable passwords
    (the activation code lets them choose one). Returns {phone: id} of the accounts this call created:
    a phone registered meanwhile by someone else is left alone."""
    if not people:
        return {}
    fields = ("phone", "full_name", "commune_id", "password", "date_joined")
    rows = [(phone, name, commune, _unusable_password(), now) for phone, name, commune in people]
    if bulk.is_postgresql():
        return dict(bulk.insert(User, fields, rows, ignore_conflicts=True, returning=("phone", "id")))
    bulk.insert(User, fields, rows, ignore_conflicts=True)
    # No RETURNING here: an account is ours when it holds the random password this call gave it.
    password_of = {row[0]: row[3] for row in rows}
    return {
        phone: pk
        for pk, phone, password in User.objects.filter(phone__in=list(password_of)).values_list(
            "pk", "phone", "password"
        )
        if password_of[phone] == password
    }


def _accounts(phones: list[str]) -> dict[str, tuple[int, str | None]]:
    return {p: (pk, c) for pk, p, c in User.objects.filter(phone__in=phones).values_list("pk", "phone", "commune_id")}


def _import_batch(roster: Roster, batch: list[tuple], in_scope: set[str]) -> RosterBatch:
    """Write one batch of stored rows in one transaction: all of it or nothing.

    New people get accounts; existing ones (in scope) get their commune, groups and organisation
    updated; the rows are marked imported, the roster's progress counted and the batch recorded."""
    now = timezone.now()
    through = User.target_groups.through
    first, last = batch[0][1], batch[-1][1]
    with transaction.atomic():
        Roster.objects.select_for_update().filter(pk=roster.pk).first()  # one worker per roster at a time
        before = _accounts([row[2] for row in batch])
        created = _users_create([(r[2], r[3], r[4]) for r in batch if r[2] not in before], now)
        late = [r[2] for r in batch if r[2] not in before and r[2] not in created]
        if late:  # registered by themselves between the two statements
            before.update(_accounts(late))
        existing = [pk for pk, _commune in before.values()]
        groups: dict[int, set[str]] = {}
        memberships: dict[int, tuple[str, str]] = {}
        for start in range(0, len(existing), BATCH_SIZE):
            chunk = existing[start : start + BATCH_SIZE]
            for user_id, code in through.objects.filter(user_id__in=chunk).values_list("user_id", "targetgroup_id"):
                groups.setdefault(user_id, set()).add(code)
            for user_id, org, position in OrganisationMembership.objects.filter(user_id__in=chunk).values_list(
                "user_id", "organisation", "position"
            ):
                memberships[user_id] = (org, position)
        outside, done, moved, links, upserts = [], [], {}, [], []
        for pk, _number, phone, _name, commune, codes, organisation, position in batch:
            if phone in created:
                user_id = created[phone]
                done.append((pk, user_id, True, now))
            else:
                user_id, current = before[phone]
                if current and current not in in_scope:  # moved out of scope since the preview (rare)
                    outside.append(pk)
                    continue
                if current != commune:
                    moved.setdefault(commune, []).append(user_id)
                done.append((pk, user_id, False, now))
            have = groups.get(user_id, ())
            links += [(user_id, code) for code in codes.split(",") if code and code not in have]
            if organisation and memberships.get(user_id) != (organisation, position):
                upserts.append((user_id, organisation, position, roster.pk, now))
        # Statistics: bulk writes send no signals, so mark the commune-days they change (a move or new groups
        # re-attribute a person's history: before and after).
        from learning.stats.services import mark_many, mark_user

        changed = {user_id for ids in moved.values() for user_id in ids} | {user_id for user_id, _code in links}
        changed -= set(created.values())
        for user_id in changed:
            mark_user(user_id)
        for commune, ids in moved.items():  # one UPDATE per commune, not a CASE per row
            User.objects.filter(pk__in=ids).update(commune_id=commune)
        bulk.insert(through, ("user_id", "targetgroup_id"), links, ignore_conflicts=True)
        bulk.insert(
            OrganisationMembership,
            ("user_id", "organisation", "position", "roster_id", "updated_at"),
            upserts,
            update_conflicts=(["user"], ["organisation", "position", "roster", "updated_at"]),
        )
        if outside:
            RosterRow.objects.filter(pk__in=outside).update(
                outcome=RowOutcome.ERROR,
                reason=_("This phone number belongs to an account registered outside your scope."),
                changes="",
                imported_at=now,
            )
        bulk.update(RosterRow, ("user_id", "created_user", "imported_at"), done)
        mark_many({(now, row[4]) for row in batch if row[2] in created})
        for user_id in changed:
            mark_user(user_id)
        Roster.objects.filter(pk=roster.pk).update(processed=F("processed") + len(batch))
        return RosterBatch.objects.create(
            roster=roster, first_row=first, last_row=last, rows=len(batch), created=len(created), imported_at=now
        )


def _queue_activations(batch: RosterBatch) -> None:
    """Send the batch's activation codes in a task of their own once the batch is committed."""
    from .roster_tasks import send_roster_activations

    if batch.created:
        transaction.on_commit(lambda: send_roster_activations.delay(batch.pk))


def roster_batch_activations_send(*, batch_id: int) -> int:
    """Send a one-time activation code by SMS to every account an imported batch created.

    Claims the batch first: a second call (a task delivered twice, a resumed import) sends nothing.
    Returns how many messages this call sent. No code is logged or passed around: they are made and
    hashed in ``activation_codes_send`` and exist in clear only in the SMS."""
    from learning.accounts.activation import activation_codes_send

    if not RosterBatch.objects.filter(pk=batch_id, sms_claimed_at__isnull=True).update(sms_claimed_at=timezone.now()):
        return 0
    batch = RosterBatch.objects.get(pk=batch_id)
    users = list(
        RosterRow.objects.filter(
            roster_id=batch.roster_id,
            row_number__gte=batch.first_row,
            row_number__lte=batch.last_row,
            created_user=True,
            user__isnull=False,
        ).values_list("user_id", "phone")
    )
    try:
        sent = activation_codes_send(users=users)
    except Exception:
        # Nothing is sent twice on a retry: activation_codes_send skips whoever already has the message.
        RosterBatch.objects.filter(pk=batch_id).update(sms_claimed_at=None)
        raise
    RosterBatch.objects.filter(pk=batch_id).update(sms_sent=sent)
    return sent


def _assign(roster: Roster) -> int:
    """Mandatory assignments for the accounts of this roster.

    Accounts it created have no enrolments yet, so their members are inserted in bulk (the same
    group/province/commune rule as ``assignment_populate``); accounts it changed are synced one by one."""
    from .services import assignments_sync_user

    added = 0
    rows = RosterRow.objects.filter(roster=roster, user__isnull=False)
    commune_codes = list(rows.order_by().values_list("commune_id", flat=True).distinct())
    provinces = set(Commune.objects.filter(code__in=commune_codes).values_list("province_id", flat=True))
    now = timezone.now()
    # What the created accounts hold is exactly what their rows say: decide in Python, with one scan of
    # the rows (no join whose plan depends on statistics that a large import has just made stale).
    province_of = dict(Commune.objects.filter(province_id__in=provinces).values_list("code", "province_id"))
    created = list(
        rows.filter(created_user=True).order_by().values_list("user_id", "commune_id", "target_groups").iterator()
    )
    for assignment in Assignment.objects.filter(province_id__in=provinces).prefetch_related("communes"):
        codes = {c.code for c in assignment.communes.all()}
        members = [
            (assignment.pk, uid, commune, now)
            for uid, commune, groups in created
            if province_of.get(commune) == assignment.province_id
            and assignment.target_group_id in groups.split(",")
            and (not codes or commune in codes)
        ]
        bulk.insert(
            AssignmentMember, ("assignment_id", "user_id", "commune_id", "assigned_at"), members, ignore_conflicts=True
        )
        added += len(members)
    changed = list(rows.filter(created_user=False).exclude(changes="").values_list("user_id", flat=True))
    for start in range(0, len(changed), BATCH_SIZE):
        for user in User.objects.filter(pk__in=changed[start : start + BATCH_SIZE]):
            assignments_sync_user(user=user)
    return added


def roster_finish_counts(roster: Roster) -> None:
    counts = dict(RosterRow.objects.filter(roster=roster).values_list("outcome").annotate(n=Count("pk")))
    error = counts.get(RowOutcome.ERROR, 0)
    Roster.objects.filter(pk=roster.pk).update(
        error_rows=error,
        valid_rows=F("total_rows") - error,
        new_rows=counts.get(RowOutcome.NEW, 0),
        update_rows=counts.get(RowOutcome.UPDATE, 0),
        unchanged_rows=counts.get(RowOutcome.UNCHANGED, 0),
        processed=RosterRow.objects.filter(roster=roster, imported_at__isnull=False).count(),
        created_count=RosterRow.objects.filter(roster=roster, created_user=True).count(),
    )


def roster_import(*, roster: Roster, batch_size: int = BATCH_SIZE, progress=None) -> Roster:
    """Import the valid rows of a confirmed roster in batches; safe to run again after a crash.

    Each batch is one transaction (all of its rows or none) and moves the roster's progress on; its
    activation SMS go out in a task of their own. Run again, it continues after the last committed
    batch and queues the SMS of batches whose task never ran."""
    roster = Roster.objects.select_related("organiser").get(pk=roster.pk)
    if roster.status == RosterStatus.IMPORTED:
        return roster
    if roster.status != RosterStatus.IMPORTING:
        raise ValidationError(_("Confirm the roster before importing it."))
    try:
        for batch in RosterBatch.objects.filter(roster=roster, created__gt=0, sms_claimed_at__isnull=True):
            _queue_activations(batch)  # left over by an import that stopped
        in_scope = set(communes_in_scope(roster.organiser).values_list("code", flat=True))
        pending = (
            RosterRow.objects.filter(roster=roster, imported_at__isnull=True)
            .exclude(outcome=RowOutcome.ERROR)
            .order_by("row_number")
            .values_list(*_IMPORT_COLUMNS)
        )
        last = 0
        while True:
            batch = list(pending.filter(row_number__gt=last)[:batch_size])
            if not batch:
                break
            last = batch[-1][1]
            done = _import_batch(roster, batch, in_scope)
            _queue_activations(done)
            if progress:
                progress(batch)
        _assign(roster)
        roster_finish_counts(roster)
        Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.IMPORTED, finished_at=timezone.now())
    except Exception as exc:
        logger.exception("roster %s: import failed", roster.pk)
        Roster.objects.filter(pk=roster.pk).update(
            status=RosterStatus.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        raise
    roster.refresh_from_db()
    return roster


# --- Reads for pages and the API ---------------------------------------------------------------


def roster_rows(*, roster: Roster, outcome: str | None = None):
    rows = RosterRow.objects.filter(roster=roster).select_related("commune").order_by("row_number")
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    return rows


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
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Row"), *[HEADERS[name] for name in FIELDS], _("Reason")])
    for row in roster_rows(roster=roster, outcome=RowOutcome.ERROR).iterator():
        raw = row.raw or {}
        writer.writerow(
            [row.row_number, *[spreadsheet_safe(raw.get(name, "")) for name in FIELDS], spreadsheet_safe(row.reason)]
        )
    return out.getvalue()


def organiser_rosters(*, user):
    """The organiser's own rosters (nobody else's)."""
    return Roster.objects.filter(organiser=user).order_by("-created_at", "-pk")


def organiser_roster_get(*, user, roster_id) -> Roster:
    """One of the organiser's own rosters; Roster.DoesNotExist otherwise."""
    return Roster.objects.get(pk=roster_id, organiser=user)


def roster_activations(*, roster: Roster) -> dict[str, int]:
    """How far the activation SMS are: accounts created so far, SMS sent so far, and batches whose SMS
    task has not started yet (``{"accounts", "sent", "waiting"}``)."""
    totals = RosterBatch.objects.filter(roster=roster).aggregate(
        accounts=Sum("created"),
        sent=Sum("sms_sent"),
        waiting=Count("pk", filter=Q(created__gt=0, sms_claimed_at__isnull=True)),
    )
    return {"accounts": totals["accounts"] or 0, "sent": totals["sent"] or 0, "waiting": totals["waiting"]}
