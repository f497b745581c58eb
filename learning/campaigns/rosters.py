"""Rosters: read a spreadsheet of people, preview every row's outcome, then import the valid rows.

Reading and previewing write no person; ``roster_import`` writes them in batches, each batch in its
own transaction, and can be run again after a crash: it continues where it stopped and creates no
duplicates (phone numbers are unique, inserts ignore conflicts and ids are read back).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from learning.accounts.models import TargetGroup, TargetGroupCode, User
from learning.accounts.phone import normalise_phone
from learning.accounts.scopes import communes_in_scope, is_organiser
from learning.core.text import clean_name, fold
from learning.localities.models import Commune

from .models import Assignment, AssignmentMember
from .roster_models import OrganisationMembership, Roster, RosterRow, RosterStatus, RowOutcome

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


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _file_error(
            _("The .xlsx file is damaged and cannot be read. Save it again from Excel."), "corrupt"
        ) from None
    if unpacked > 20 * max_bytes():
        raise _file_error(_("The .xlsx file unpacks to far too much data to be a roster."), "too_large")
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
        raise _file_error(
            _("The .xlsx file is damaged or not an Excel workbook and cannot be read. Save it again from Excel."),
            "corrupt",
        ) from None


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


def roster_classify(*, organiser, rows: list[tuple[int, dict[str, str]]]) -> list[RosterRow]:
    """Every row's outcome (unsaved RosterRows): new, update, unchanged or error with its reasons."""
    scope = Scope.of(organiser)
    group_keys = _group_keys()
    known_groups = set(TargetGroup.objects.values_list("code", flat=True))
    result: list[RosterRow] = []
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
        commune, problem = _commune(clean_name(cells.get("commune", "")), scope)
        if problem:
            errors.append(problem)
        groups_text = clean_name(cells.get("target_group", ""))
        codes, unknown = parse_groups(groups_text, group_keys)
        codes = [c for c in codes if c in known_groups]
        if unknown:
            errors.append(_("Unknown target group “%(group)s”.") % {"group": groups_text})
        elif not codes:
            errors.append(_("The target group is missing."))
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
        row = RosterRow(
            row_number=number,
            full_name=name[:150],
            phone=phone or raw_phone[:40],
            commune_id=commune,
            target_groups=",".join(codes),
            organisation=organisation[:200],
            position=position[:150],
            outcome=RowOutcome.ERROR if errors else RowOutcome.NEW,
            reason=" ".join(errors),
        )
        if errors:
            row.raw = {k: v[:300] for k, v in cells.items()}
        result.append(row)

    valid = [r for r in result if r.outcome != RowOutcome.ERROR]
    users, groups, memberships = _existing([r.phone for r in valid])
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
        if set(row.group_codes) - groups.get(pk, set()):
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
    """Read and classify a roster and store the preview; no person is written."""
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
        for row in rows:
            row.roster = roster
        RosterRow.objects.bulk_create(rows, batch_size=BATCH_SIZE)
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


def _import_batch(roster: Roster, batch: list[RosterRow], in_scope: set[str]) -> list[tuple[int, str]]:
    """Write one batch (own transaction). Returns the (user id, phone) of the accounts it created."""
    now = timezone.now()
    through = User.target_groups.through
    with transaction.atomic():
        Roster.objects.select_for_update().filter(pk=roster.pk).first()  # one worker per roster at a time
        phones = [r.phone for r in batch]
        before = {
            p: (pk, c) for pk, p, c in User.objects.filter(phone__in=phones).values_list("pk", "phone", "commune_id")
        }
        passwords = {}
        new_users = []
        for row in batch:
            if row.phone in before:
                continue
            user = User(phone=row.phone, full_name=row.full_name, commune_id=row.commune_id, date_joined=now)
            user.password = passwords[row.phone] = make_password(None)  # unusable: activation sets one
            new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH_SIZE, ignore_conflicts=True)
        after = {
            p: (pk, c, pw)
            for pk, p, c, pw in User.objects.filter(phone__in=phones).values_list(
                "pk", "phone", "commune_id", "password"
            )
        }
        existing_ids = [pk for pk, _c in before.values()]
        groups = {}
        for user_id, code in through.objects.filter(user_id__in=existing_ids).values_list("user_id", "targetgroup_id"):
            groups.setdefault(user_id, set()).add(code)
        memberships = {
            m.user_id: m for m in OrganisationMembership.objects.filter(user_id__in=[v[0] for v in after.values()])
        }
        created, moved, links, upserts, done = [], [], [], [], []
        for row in batch:
            pk, commune, password = after[row.phone]
            row.imported_at = now
            row.created_user = row.phone not in before and passwords.get(row.phone) == password
            if not row.created_user and commune and commune not in in_scope:
                row.outcome, row.changes = RowOutcome.ERROR, ""
                row.reason = _("This phone number belongs to an account registered outside your scope.")
                done.append(row)
                continue
            row.user_id = pk
            if row.created_user:
                created.append((pk, row.phone))
            elif commune != row.commune_id:
                moved.append(User(pk=pk, commune_id=row.commune_id))
            links += [
                through(user_id=pk, targetgroup_id=code) for code in row.group_codes if code not in groups.get(pk, ())
            ]
            current = memberships.get(pk)
            if row.organisation and (
                current is None
                or (current.organisation, current.position)
                != (
                    row.organisation,
                    row.position,
                )
            ):
                upserts.append(
                    OrganisationMembership(
                        user_id=pk, organisation=row.organisation, position=row.position, roster=roster, updated_at=now
                    )
                )
            done.append(row)
        by_commune: dict[str, list[int]] = {}
        for user in moved:
            by_commune.setdefault(user.commune_id, []).append(user.pk)
        for commune, ids in by_commune.items():  # one UPDATE per commune, not a CASE per row
            User.objects.filter(pk__in=ids).update(commune_id=commune)
        through.objects.bulk_create(links, batch_size=BATCH_SIZE * 3, ignore_conflicts=True)
        OrganisationMembership.objects.bulk_create(
            upserts,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["organisation", "position", "roster", "updated_at"],
        )
        imported = [r.pk for r in done if r.outcome != RowOutcome.ERROR]
        RosterRow.objects.filter(pk__in=imported).update(
            user_id=Subquery(User.objects.filter(phone=OuterRef("phone")).values("pk")[:1]), imported_at=now
        )
        RosterRow.objects.filter(pk__in=[r.pk for r in done if r.created_user]).update(created_user=True)
        for row in done:
            if row.outcome == RowOutcome.ERROR:  # became an error since the preview (rare)
                row.save(update_fields=["outcome", "reason", "changes", "imported_at"])
        Roster.objects.filter(pk=roster.pk).update(processed=F("processed") + len(done))
    return created


def _send_activations(roster: Roster, users: list[tuple[int, str]]) -> int:
    from learning.accounts.activation import activation_codes_send

    return activation_codes_send(users=users)


def _sweep_activations(roster: Roster) -> int:
    """Accounts this roster created that have no activation message yet (e.g. after a crash)."""
    sent = 0
    created = RosterRow.objects.filter(roster=roster, created_user=True, user__isnull=False).order_by("row_number")
    last = 0
    while True:
        chunk = list(created.filter(row_number__gt=last).values_list("row_number", "user_id", "phone")[:5000])
        if not chunk:
            return sent
        last = chunk[-1][0]
        sent += _send_activations(roster, [(uid, phone) for _n, uid, phone in chunk])


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
            AssignmentMember(assignment=assignment, user_id=uid, commune_id=commune, assigned_at=now)
            for uid, commune, groups in created
            if province_of.get(commune) == assignment.province_id
            and assignment.target_group_id in groups.split(",")
            and (not codes or commune in codes)
        ]
        AssignmentMember.objects.bulk_create(members, batch_size=BATCH_SIZE, ignore_conflicts=True)
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
    """Import the valid rows of a confirmed roster in batches; safe to run again after a crash."""
    roster = Roster.objects.select_related("organiser").get(pk=roster.pk)
    if roster.status == RosterStatus.IMPORTED:
        return roster
    if roster.status != RosterStatus.IMPORTING:
        raise ValidationError(_("Confirm the roster before importing it."))
    try:
        in_scope = set(communes_in_scope(roster.organiser).values_list("code", flat=True))
        pending = RosterRow.objects.filter(roster=roster, imported_at__isnull=True).exclude(outcome=RowOutcome.ERROR)
        while True:
            batch = list(pending.order_by("row_number")[:batch_size])
            if not batch:
                break
            created = _import_batch(roster, batch, in_scope)
            _send_activations(roster, created)
            if progress:
                progress(batch)
        _sweep_activations(roster)
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
