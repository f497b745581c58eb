"""The limits an upload is read under, and the refusal every reader raises."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import get_format

FORMULAS_AS_TEXT = "text"  # a formula cell reads as typed ("=A2*2"): openpyxl, for the workbooks that have some
FORMULAS_AS_VALUES = "values"  # a formula cell reads as its last computed value, as Excel shows it

SHEET_ACTIVE = "active"  # the sheet Excel opens on
SHEET_FIRST = "first"


def file_error(message: str, code: str) -> ValidationError:
    """The refusal of an uploaded file: ``{"file": [message]}`` with its code."""
    return ValidationError({"file": [ValidationError(message, code=code)]})


def megabytes(size: int) -> str:
    """A size in MB for a message, as the language writes it ("390.0" in English, "390,0" in Vietnamese)."""
    return f"{size / (1024 * 1024):.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def count(number: int) -> str:
    """A whole number for a message, its thousands grouped as the language does ("200,000"; "200.000")."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


@dataclass(frozen=True)
class Limits:
    """How an upload may be read. ``max_bytes`` and ``max_rows`` are the caller's (a roster's are not a
    targets sheet's); the limits against xlsx bombs are the same for every upload (settings ``IMPORT_*``).

    ``max_rows`` rows are read, and ``extra_rows`` more for titles and the header above them; reading
    stops at the first row with something in it beyond. ``messages`` replaces a refusal's message by
    code (the same ``%(name)s`` parameters), e.g. to name what is uploaded."""

    max_bytes: int
    max_rows: int
    extra_rows: int = 0
    formulas: str = FORMULAS_AS_TEXT
    sheet: str = SHEET_ACTIVE
    messages: Mapping[str, str] = field(default_factory=dict)
    max_unpacked_bytes: int = field(default_factory=lambda: settings.IMPORT_MAX_UNPACKED_BYTES)
    max_part_bytes: int = field(default_factory=lambda: settings.IMPORT_MAX_SHARED_STRINGS_BYTES)
    max_cells: int = field(default_factory=lambda: settings.IMPORT_MAX_CELLS)

    @property
    def last_row(self) -> int:
        return self.max_rows + self.extra_rows

    def refuse(self, code: str, message: str, **params) -> ValidationError:
        message = self.messages.get(code, message)
        return file_error(message % params if params else message, code)
