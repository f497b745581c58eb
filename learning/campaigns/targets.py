"""Per-commune campaign targets imported from an Excel sheet (or CSV): one row per commune.

Layout of the sheet (the first sheet of an .xlsx, or a UTF-8 CSV separated by commas or semicolons)::

    | Mã xã | Tên xã / phường | Người dân — tham gia | Người dân — hoàn thành | Học sinh, sinh viên — tham gia | ...
    | 06688 | Phường Hạ Long  | 1200                 | 900                    | 300                            | ...

* Row 1 is the header; every following non-empty row is one commune.
* **Mã xã** (also accepted: ``Xã``, ``Xã / phường``, ``commune``): the commune's 5-digit official code,
  or its name (``Phường Hạ Long`` or just ``Hạ Long``) when that is unambiguous in the province.
* **Tên xã / phường** (optional, ``name``): read only when the code cell is empty.
* For each target group two columns, ``<group> — tham gia`` (expected participants) and
  ``<group> — hoàn thành`` (expected completions). ``<group>`` is the group's code (``citizen``,
  ``student``, ``official``, ``party_member``, ``enterprise_worker``, ``other``) or its label
  (Vietnamese, or English); the separator may be ``—``, ``–``, ``-`` or ``:``. Case and diacritics
  are ignored in headers. ``participants`` / ``completions`` are accepted for the English-minded.
* Numbers are whole and not negative (``1.200`` and ``1 200`` read as 1200); completions may not
  exceed participants. A group whose two cells are both empty is left as it is for that commune;
  one empty and one filled is an error.

The import is all or nothing: any bad row (unknown commune, a commune outside the campaign's
province, the same commune twice, a bad number) refuses the whole file with one message per
problem naming the row. Importing again updates the targets in place — never duplicates.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from learning.accounts.models import TargetGroup, TargetGroupCode
from learning.core.text import fold
from learning.localities.models import Commune

from .models import Campaign, CampaignTarget

MAX_ROWS = 5000
MAX_ERRORS = 50
CODE_HEADER = "Mã xã"
NAME_HEADER = "Tên xã / phường"
PARTICIPANTS = "tham gia"
COMPLETIONS = "hoàn thành"
SEPARATOR = " — "

_CODE_HEADERS = {"ma xa", "xa", "xa / phuong", "xa/phuong", "ma xa / phuong", "commune", "commune code", "code"}
_NAME_HEADERS = {"ten xa / phuong", "ten xa/phuong", "ten xa", "ten", "name", "commune name"}
_KINDS = {"tham gia": "participants", "participants": "participants", "hoan thanh": "completions"}
_KINDS["completions"] = "completions"
_GROUP_HEADER = re.compile(r"^(?P<group>.+?)\s*[—–\-:]\s*(?P<kind>tham gia|hoan thanh|participants|completions)$")
_NUMBER = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$|^\d+$")
_PREFIXES = ("phuong ", "xa ", "dac khu ")


@dataclass
class TargetImportReport:
    communes: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups: list[str] = field(default_factory=list)


# --- reading the file ------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _rows_from_xlsx(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(_("This is not a readable Excel (.xlsx) file.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _rows_from_csv(data: bytes) -> list[tuple]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and try again.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append(tuple(row))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _read(data: bytes, filename: str) -> list[tuple]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _rows_from_xlsx(data)
    if name.endswith(".csv"):
        return _rows_from_csv(data)
    raise ValidationError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- the header ----------------------------------------------------------------------------------


def _group_names() -> dict[str, str]:
    """Folded code, Vietnamese label and English label → group code, for the groups in the database."""
    names = {}
    codes = set(TargetGroup.objects.values_list("code", flat=True))
    for choice in TargetGroupCode:
        if choice.value not in codes:
            continue
        names[fold(choice.value)] = choice.value
        names[fold(choice.value.replace("_", " "))] = choice.value
        for language in (settings.LANGUAGE_CODE, "en"):
            with translation.override(language):
                names[fold(str(choice.label))] = choice.value
    return names


@dataclass
class _Header:
    code: int | None = None
    name: int | None = None
    groups: dict[str, dict[str, int]] = field(default_factory=dict)  # code → {"participants": col, ...}


def _parse_header(row: tuple) -> _Header:
    header, errors, unknown = _Header(), [], []
    groups = _group_names()
    for index, value in enumerate(row):
        raw = _text(value)
        if not raw:
            continue
        folded = fold(raw)
        letter = _column_letter(index)
        if folded in _CODE_HEADERS and header.code is None:
            header.code = index
        elif folded in _NAME_HEADERS and header.name is None:
            header.name = index
        elif match := _GROUP_HEADER.match(folded):
            group = groups.get(match["group"].strip())
            if group is None:
                errors.append(
                    _("Column %(col)s “%(header)s”: unknown target group “%(group)s”.")
                    % {"col": letter, "header": raw, "group": match["group"]}
                )
                continue
            kind = _KINDS[match["kind"]]
            if kind in header.groups.setdefault(group, {}):
                errors.append(
                    _("Column %(col)s “%(header)s”: this group's column is there twice.")
                    % {"col": letter, "header": raw}
                )
            header.groups[group][kind] = index
        else:
            unknown.append(f"{letter} “{raw}”")
    if unknown:
        errors.append(
            _(
                "Unknown columns: %(columns)s. Expected “%(code)s”, “%(name)s” "
                "and “<group>%(sep)s%(p)s” / “<group>%(sep)s%(c)s”."
            )
            % {
                "columns": ", ".join(unknown),
                "code": CODE_HEADER,
                "name": NAME_HEADER,
                "sep": SEPARATOR,
                "p": PARTICIPANTS,
                "c": COMPLETIONS,
            }
        )
    if header.code is None and header.name is None:
        errors.append(
            _("The first row must have a “%(code)s” column (the commune's code or name).") % {"code": CODE_HEADER}
        )
    for group, kinds in header.groups.items():
        for kind, suffix in (("participants", PARTICIPANTS), ("completions", COMPLETIONS)):
            if kind not in kinds:
                errors.append(
                    _("The column “%(group)s%(sep)s%(suffix)s” is missing.")
                    % {"group": group, "sep": SEPARATOR, "suffix": suffix}
                )
    if not header.groups and not errors:
        errors.append(
            _("No target group columns: add “<group>%(sep)s%(p)s” and “<group>%(sep)s%(c)s” columns.")
            % {"sep": SEPARATOR, "p": PARTICIPANTS, "c": COMPLETIONS}
        )
    if errors:
        raise ValidationError(errors)
    return header


# --- the rows ------------------------------------------------------------------------------------


class _Communes:
    """The province's communes by code, by folded full name and by folded name without "Xã"/"Phường"."""

    def __init__(self, province_id: str):
        self.province_id = province_id
        self.by_code = {}
        self.by_name: dict[str, list[Commune]] = {}
        for commune in Commune.objects.filter(province_id=province_id):
            self.by_code[commune.code] = commune
            names = {commune.name_folded}
            names.update(commune.name_folded[len(p) :] for p in _PREFIXES if commune.name_folded.startswith(p))
            for name in names:
                self.by_name.setdefault(name, []).append(commune)

    def find(self, value: str) -> tuple[Commune | None, str | None]:
        """The commune, or None and why not."""
        if value.isdigit() and len(value) <= 5:
            code = value.zfill(5)
            if code in self.by_code:
                return self.by_code[code], None
            other = Commune.objects.filter(code=code).select_related("province").first()
            if other:
                return None, _(
                    "the commune %(code)s (%(name)s) is in %(province)s, not in this campaign's province."
                ) % {
                    "code": code,
                    "name": other.name,
                    "province": other.province.name,
                }
            return None, _("unknown commune code %(code)s.") % {"code": code}
        matches = self.by_name.get(fold(value), [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, _("several communes are called “%(name)s”; use the code: %(codes)s.") % {
                "name": value,
                "codes": ", ".join(sorted(c.code for c in matches)),
            }
        names = [fold(value), *(prefix + fold(value) for prefix in _PREFIXES)]
        elsewhere = Commune.objects.filter(name_folded__in=names).exclude(province_id=self.province_id).exists()
        if elsewhere:
            return None, _("“%(name)s” is not a commune of this campaign's province.") % {"name": value}
        return None, _("no commune called “%(name)s” in this province.") % {"name": value}


def _number(value) -> int | None:
    """A whole, non-negative number; None for an empty cell; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        number = int(value)
    else:
        text = str(value).strip()
        if not _NUMBER.match(text):
            raise ValueError
        number = int(re.sub(r"[.,\s]", "", text))
    if number < 0:
        raise ValueError
    return number


def _cell(row: tuple, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _parse_rows(rows: list[tuple], header: _Header, communes: _Communes) -> dict[tuple[str, str], tuple[int, int]]:
    wanted: dict[tuple[str, str], tuple[int, int]] = {}
    seen: dict[str, int] = {}
    errors = []
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("Too many rows: at most %(n)d communes per file.") % {"n": MAX_ROWS})
    for number, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        row_errors = []
        value = _text(_cell(row, header.code)) or _text(_cell(row, header.name))
        if not value:
            errors.append(_("Row %(row)d: the commune is missing.") % {"row": number})
            continue
        commune, why = communes.find(value)
        if commune is None:
            errors.append(_("Row %(row)d: %(reason)s") % {"row": number, "reason": why})
            continue
        if commune.code in seen:
            errors.append(
                _("Row %(row)d: %(commune)s is already on row %(first)d.")
                % {"row": number, "commune": commune.name, "first": seen[commune.code]}
            )
            continue
        seen[commune.code] = number
        for group, cols in header.groups.items():
            try:
                participants = _number(_cell(row, cols["participants"]))
                completions = _number(_cell(row, cols["completions"]))
            except ValueError:
                row_errors.append(
                    _("Row %(row)d, group %(group)s: the targets must be whole numbers, not negative.")
                    % {"row": number, "group": group}
                )
                continue
            if participants is None and completions is None:
                continue
            if participants is None or completions is None:
                row_errors.append(
                    _("Row %(row)d, group %(group)s: fill in both the participants and the completions, or neither.")
                    % {"row": number, "group": group}
                )
                continue
            if completions > participants:
                row_errors.append(
                    _("Row %(row)d, group %(group)s: %(c)d completions expected but only %(p)d participants.")
                    % {"row": number, "group": group, "c": completions, "p": participants}
                )
                continue
            wanted[(commune.code, group)] = (participants, completions)
        errors.extend(row_errors)
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = [
                *errors[:MAX_ERRORS],
                _("… and %(n)d more problems.") % {"n": len(errors) - MAX_ERRORS},
            ]
        raise ValidationError(errors)
    if not seen:
        raise ValidationError(_("The file has a header but no commune rows."))
    return wanted


# --- the import ----------------------------------------------------------------------------------


def targets_import(*, campaign: Campaign, data: bytes, filename: str) -> TargetImportReport:
    """Create or update ``campaign``'s targets from a sheet (layout in the module docstring).

    All or nothing: raises ValidationError with one message per problem (naming the row, or the
    column) and writes nothing; otherwise returns how many targets were created, updated or unchanged.
    """
    rows = _read(data, filename)
    if not rows or not any(_text(v) for v in rows[0]):
        raise ValidationError(_("The file is empty: the first row must be the header."))
    header = _parse_header(rows[0])
    wanted = _parse_rows(rows, header, _Communes(campaign.province_id))
    report = TargetImportReport(communes=len({commune for commune, _group in wanted}), groups=sorted(header.groups))
    with transaction.atomic():
        existing = {
            (t.commune_id, t.target_group_id): t
            for t in CampaignTarget.objects.select_for_update().filter(
                campaign=campaign, commune_id__in={c for c, _g in wanted}
            )
        }
        new, changed = [], []
        for (commune, group), (participants, completions) in wanted.items():
            target = existing.get((commune, group))
            if target is None:
                new.append(
                    CampaignTarget(
                        campaign=campaign,
                        commune_id=commune,
                        target_group_id=group,
                        expected_participants=participants,
                        expected_completions=completions,
                    )
                )
            elif (target.expected_participants, target.expected_completions) != (participants, completions):
                target.expected_participants, target.expected_completions = participants, completions
                changed.append(target)
            else:
                report.unchanged += 1
        if new:
            # A concurrent import of the same file may have created some meanwhile: update those.
            CampaignTarget.objects.bulk_create(
                new,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["campaign", "commune", "target_group"],
                update_fields=["expected_participants", "expected_completions"],
            )
        if changed:
            CampaignTarget.objects.bulk_update(
                changed, ["expected_participants", "expected_completions"], batch_size=500
            )
        report.created, report.updated = len(new), len(changed)
    return report


# --- the template ------------------------------------------------------------------------------


def targets_template(*, campaign: Campaign | None = None, province_id: str | None = None) -> bytes:
    """An .xlsx to fill in: the header, one row per commune of the province (the campaign's, or
    ``province_id``, or ``DEFAULT_PROVINCE_CODE``) with the campaign's current targets, and a help sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    province_id = campaign.province_id if campaign else (province_id or settings.DEFAULT_PROVINCE_CODE)
    groups = list(TargetGroup.objects.order_by("position", "code").values_list("code", flat=True))
    current = {}
    if campaign is not None:
        current = {
            (t.commune_id, t.target_group_id): (t.expected_participants, t.expected_completions)
            for t in CampaignTarget.objects.filter(campaign=campaign)
        }
    with translation.override(settings.LANGUAGE_CODE):
        labels = {code: str(TargetGroupCode(code).label) for code in groups}
        sheet_title = _("Targets")
        help_title = _("Instructions")
        help_lines = [
            _("One row per commune. Keep the first row (the header) as it is."),
            _("“%(code)s”: the commune's 5-digit code, or its name.") % {"code": CODE_HEADER},
            _("For each target group: the number of people expected to take part, and to finish."),
            _("Leave both cells of a group empty to keep its current target."),
            _("The import is all or nothing: a bad row is reported with its number and nothing is saved."),
        ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    header = [CODE_HEADER, NAME_HEADER]
    for code in groups:
        header += [f"{labels[code]}{SEPARATOR}{PARTICIPANTS}", f"{labels[code]}{SEPARATOR}{COMPLETIONS}"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for commune in Commune.objects.filter(province_id=province_id).order_by("name"):
        row = [commune.code, commune.name]
        for code in groups:
            row += list(current.get((commune.code, code), (None, None)))
        sheet.append(row)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 28
    for index in range(2, len(header)):
        sheet.column_dimensions[_column_letter(index)].width = 18
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # keep the leading zero of codes such as 06688
    help_sheet = workbook.create_sheet(help_title[:31])
    for line in help_lines:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
