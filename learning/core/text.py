"""Text helpers for Vietnamese: search that ignores case and diacritics."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (``đ`` → ``d``) and collapse spaces.

    ``fold("Phường Hạ Long") == "phuong ha long"``; the same on every database,
    so searches behave alike on SQLite and PostgreSQL.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The folded words of a search query (at most ``limit``, to bound the SQL)."""
    return [word for word in fold(query).split(" ") if word][:limit]


def clean_name(text: str) -> str:
    """A person's or place's name as typed: NFC, single spaces, no edge spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()
