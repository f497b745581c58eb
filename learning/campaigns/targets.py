"""Per-commune campaign targets imported from an Excel sheet (or CSV): one row per commune.

Layout of the sheet (the first sheet of an .xlsx, or a UTF-8 CSV separated by commas, semicolons or tabs;
read by ``learning.imports`` under its limits, ``TARGETS_MAX_BYTES`` and ``MAX_ROWS`` communes)::

    | Mã xã | Tên xã / phường | Người dân — tham gia | Người dân — hoàn thành | Học sinh, sinh viên — tham gia | ...
    | 06688 | Phường Hạ Long  | 1200                 | 900                    | 300                            | ...

* Row 1 is the header; every following non-empty row is one commune.
* **Mã xã** (also accepted: ``Xã``, ``Xã / phường``, ``commune``): the commune's 5-digit official code,
  or its name as people write it (``Phường Hạ Long``, ``phuong ha long``, ``P. Hạ Long``, ``Hạ Long``; the
  former ``Thị trấn …`` too: ``learning.imports.vocabulary``) when that is unambiguous in the province.
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

import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from learning.accounts.models import TargetGroup, TargetGroupCode
from learning.core.text import fold
from learning.imports.export import spreadsheet_safe
from learning.imports.limits import FORMULAS_AS_VALUES, SHEET_FIRST, Limits
from learning.imports.reading import read_rows
from learning.imports.vocabulary import Communes, Place, code_of, group_keys, key
from learning.imports.xlsx import column_letters
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


@dataclass
class TargetImportReport:
    communes: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    groups: list[str] = field(default_factory=list)


# --- reading the file ------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    return column_letters(index + 1)


def _read(data: bytes, filename: str) -> list[list[str]]:
    """The rows of the first sheet (or of the CSV file), read by ``learning.imports``: at most ``MAX_ROWS``
    communes under the header, formulas as their computed values."""
    limits = Limits(
        max_bytes=settings.TARGETS_MAX_BYTES,
        max_rows=MAX_ROWS,
        extra_rows=1,
        formulas=FORMULAS_AS_VALUES,
        sheet=SHEET_FIRST,
    )
    return list(read_rows(content=data, filename=filename, limits=limits))


def _text(value) -> str:
    return (value or "").strip()


# --- the header ----------------------------------------------------------------------------------


def _group_names() -> dict[str, str]:
    """Every way of writing a target group (``learning.imports.vocabulary``) → code, for the groups in the database."""
    codes = set(TargetGroup.objects.values_list("code", flat=True))
    return {name: code for name, code in group_keys().items() if code in codes}


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
            group = groups.get(key(match["group"]))
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
    """The campaign's province's communes, found by code or by name (``learning.imports.vocabulary``)."""

    def __init__(self, province_id: str):
        self.province_id = province_id
        self.communes = Communes.load()
        self.in_province = {code for code, place in self.communes.by_code.items() if place.province_id == province_id}

    def find(self, value: str) -> tuple[Place | None, str | None]:
        """The commune, or None and why not."""
        code = code_of(value)
        if code:
            if code in self.in_province:
                return self.communes.by_code[code], None
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
        matches = self.communes.named(value, within=self.in_province)
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, _("several communes are called “%(name)s”; use the code: %(codes)s.") % {
                "name": value,
                "codes": ", ".join(sorted(c.code for c in matches)),
            }
        if self.communes.named(value):
            return None, _("“%(name)s” is not a commune of this campaign's province.") % {"name": value}
        return None, _("no commune called “%(name)s” in this province.") % {"name": value}


def _number(value: str | None) -> int | None:
    """A whole, non-negative number (``1.200`` and ``1 200`` read as 1200); None for an empty cell;
    ValueError otherwise."""
    text = _text(value)
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError
    return int(re.sub(r"[.,\s]", "", text))


def _cell(row: tuple, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _parse_rows(rows: list[tuple], header: _Header, communes: _Communes) -> dict[tuple[str, str], tuple[int, int]]:
    wanted: dict[tuple[str, str], tuple[int, int]] = {}
    seen: dict[str, int] = {}
    errors = []
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
    sheet.append([spreadsheet_safe(text) for text in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for commune in Commune.objects.filter(province_id=province_id):  # the model's Vietnamese order
        row = [commune.code, spreadsheet_safe(commune.name)]
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
        help_sheet.append([spreadsheet_safe(line)])
    help_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
