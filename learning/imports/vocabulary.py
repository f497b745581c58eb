"""Communes and target groups as people write them in a spreadsheet, and what they mean.

Everything is matched on ``key``: case, diacritics and punctuation ignored (``learning.core.text.fold``),
so "Thị trấn Quảng Hà", "thi tran quang ha", "TT. Quảng Hà", "Xã Quảng Hà" and "Quảng Hà" are one
commune. The locality word in front ("xã", "phường", "đặc khu", the former "thị trấn", their short
forms) is optional; when two communes share a name it picks the one of that kind, and then the exact
spelling with diacritics does ("Văn Lăng" is not "Văn Lang").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, override

from learning.accounts.models import TargetGroupCode
from learning.core.text import fold

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")

# The words written in front of a commune's name (folded), and the kind of commune each one names
# (``Commune.type``; None: any kind — "thị trấn" (town) was abolished on 1 July 2025, yet people still
# write it for the commune that took its place).
LOCALITY_PREFIXES: dict[str, str | None] = {
    "xa": "xa",
    "x": "xa",
    "commune": "xa",
    "phuong": "phuong",
    "p": "phuong",
    "ward": "phuong",
    "dac khu": "dac_khu",
    "dk": "dac_khu",
    "thi tran": None,
    "tt": None,
}
_PREFIXES = sorted(LOCALITY_PREFIXES, key=len, reverse=True)


def key(text: str) -> str:
    """The matching key of a label: folded, punctuation as spaces (``"Xã/phường (*)"`` → ``"xa phuong"``)."""
    return _NOT_ALNUM.sub(" ", fold(text)).strip()


def split_locality(text_key: str) -> tuple[str, str]:
    """(prefix, name) of a key: ``"thi tran quang ha"`` → ``("thi tran", "quang ha")``; ``("", key)`` without one."""
    for prefix in _PREFIXES:
        if text_key.startswith(prefix + " ") and len(text_key) > len(prefix) + 1:
            return prefix, text_key[len(prefix) + 1 :]
    return "", text_key


def _spelling(text: str, prefix: str) -> str:
    """The name as written, diacritics kept, without its locality word(s): the tie-breaker of ``Communes``."""
    words = _NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).casefold()).split()
    return " ".join(words[len(prefix.split()) :])


def code_of(text: str) -> str | None:
    """The 5-digit commune code a cell holds (Excel drops leading zeros: ``6688`` → ``06688``), or None."""
    text = (text or "").strip()
    return text.zfill(5) if text.isdigit() and len(text) <= 5 else None


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    type: str
    province_id: str


class Communes:
    """Every commune, found by its code or by its name as people write it."""

    def __init__(self, places: Iterable[Place]):
        self.by_code: dict[str, Place] = {}
        self._by_name: dict[str, list[Place]] = {}
        for place in places:
            self.by_code[place.code] = place
            self._by_name.setdefault(split_locality(key(place.name))[1], []).append(place)

    @classmethod
    def load(cls) -> Communes:
        from learning.localities.models import Commune

        return cls(Place(*row) for row in Commune.objects.values_list("code", "name", "type", "province_id"))

    def named(self, text: str, within: Container[str] | None = None) -> list[Place]:
        """The communes (among the codes ``within``, if given) that ``text`` names: one, several, or none."""
        prefix, name = split_locality(key(text))
        found = [p for p in self._by_name.get(name, ()) if within is None or p.code in within]
        if len(found) > 1 and LOCALITY_PREFIXES.get(prefix):
            found = [p for p in found if p.type == LOCALITY_PREFIXES[prefix]] or found
        if len(found) > 1:
            spelling = _spelling(text, prefix)
            found = [p for p in found if _spelling(p.name, split_locality(key(p.name))[0]) == spelling] or found
        return found


# --- Target groups -----------------------------------------------------------------------------

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


def group_keys() -> dict[str, str]:
    """Key → target group code, for every way of writing a group: its code, its label in Vietnamese and
    English (and the language in use), and the usual other names (``GROUP_ALIASES``)."""
    keys = {key(alias): code for code, aliases in GROUP_ALIASES.items() for alias in aliases}
    languages = dict.fromkeys([get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE, "vi", "en"])
    for choice in TargetGroupCode:
        keys[key(choice.value)] = choice.value
        for language in languages:
            with override(language):
                keys[key(str(choice.label))] = choice.value
    return keys


def parse_groups(text: str, keys: dict[str, str]) -> tuple[list[str], list[str]]:
    """Target group codes in a cell; labels may themselves hold commas ("Cán bộ, công chức, viên chức").

    Returns (codes, parts not understood)."""
    parts = [p for p in (key(part) for part in re.split(r"[,;\n]", text)) if p]
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
