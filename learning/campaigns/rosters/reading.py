"""Reading a roster: the header row found and mapped to the fields, and the non-empty rows under it.

The file itself is read by ``learning.imports`` (sizes, xlsx bombs, row limit, formulas as typed).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from learning.imports.limits import Limits, count, file_error
from learning.imports.reading import read_rows
from learning.imports.vocabulary import key

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
_HEADER_KEYS = {key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def max_bytes() -> int:
    return settings.ROSTER_MAX_BYTES


def max_rows() -> int:
    return settings.ROSTER_MAX_ROWS


def limits() -> Limits:
    """What a roster upload may be: ``ROSTER_MAX_BYTES``, ``ROSTER_MAX_ROWS`` people (and up to
    ``HEADER_SCAN_ROWS`` rows of titles and header above them); the active sheet, formulas as typed."""
    return Limits(
        max_bytes=max_bytes(),
        max_rows=max_rows(),
        extra_rows=HEADER_SCAN_ROWS,
        messages={"too_large": _("The file is %(size)s MB; the largest roster accepted is %(limit)s MB.")},
    )


@dataclass
class Sheet:
    headers: list[str]
    columns: dict[str, int]  # field → column index
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (spreadsheet row number, cells)


def _map_headers(cells: list[str]) -> dict[str, int]:
    columns = {}
    for index, cell in enumerate(cells):
        name = _HEADER_KEYS.get(key(cell))
        if name and name not in columns:
            columns[name] = index
    return columns


def _missing_columns_error(cells: list[str], columns: dict[str, int]):
    missing = [name for name in REQUIRED if name not in columns]
    found = [c.strip() for c in cells if c.strip()]
    hints = []
    for cell in found:
        if key(cell) in _HEADER_KEYS:
            continue
        match = difflib.get_close_matches(key(cell), list(_HEADER_KEYS), n=1, cutoff=0.75)
        if match and _HEADER_KEYS[match[0]] in missing:
            hints.append(
                _("“%(found)s” looks like a misspelling of “%(expected)s”.")
                % {"found": cell, "expected": HEADERS[_HEADER_KEYS[match[0]]]}
            )
    message = _("Missing column(s): %(missing)s. The header row has: %(found)s.") % {
        "missing": ", ".join(f"“{HEADERS[name]}”" for name in missing),
        "found": ", ".join(f"“{c}”" for c in found) or _("(nothing)"),
    }
    return file_error(" ".join([message, *hints]), "missing_columns")


def roster_read(*, content: bytes, filename: str) -> Sheet:
    """The header and the non-empty rows of a .xlsx or .csv roster; ValidationError({"file": …}) if unusable."""
    rows = read_rows(content=content, filename=filename, limits=limits())
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
            raise file_error(
                _("The roster has more than %(limit)s people; split it into smaller files.") % {"limit": count(limit)},
                "too_many_rows",
            )
    if header is None:
        if not scanned:
            raise file_error(_("The file is empty."), "empty")
        raise _missing_columns_error(scanned[0], _map_headers(scanned[0]))
    if not data:
        raise file_error(_("The file has a header row but no people under it."), "no_rows")
    return Sheet(headers=[c for c in header if c.strip()], columns=columns, rows=data)
