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


def plain_slug(text: str, *, max_length: int = 255) -> str:
    """A web address part without diacritics: ``plain_slug("Mật khẩu đăng nhập") == "mat-khau-dang-nhap"``.

    Addresses with Vietnamese letters travel percent-encoded (``m%E1%BA%ADt-kh%E1%BA%A9u``) and break when
    shared over Zalo or SMS; folded ones read the same everywhere.
    """
    folded = re.sub(r"[^a-z0-9\s-]", "", fold(text))
    return re.sub(r"[-\s]+", "-", folded).strip("-_")[:max_length].strip("-")


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The folded words of a search query (at most ``limit``, to bound the SQL)."""
    return [word for word in fold(query).split(" ") if word][:limit]


def clean_name(text: str) -> str:
    """A person's or place's name as typed: NFC, single spaces, no edge spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


# --- Vietnamese alphabetical order ------------------------------------------------------------------

# The letters in Vietnamese dictionary order (ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u),
# with the letters Vietnamese does not use (f, j, w, z) where the Latin alphabet puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make another letter (a + breve = ă) and the tones, in dictionary order: level, huyền, hỏi,
# ngã, sắc, nặng. Tones weigh less than letters: "Hạ Long" < "Hà Tu" (l < t) < "Hoành Bồ" (a < o).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """(base letter with its letter marks, tone, upper case) for each character of ``text``."""
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch.lower())
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        yield letter, tone, ch != ch.lower()


def vietnamese_sort_key(text: str) -> tuple:
    """A key that sorts names as a Vietnamese reader expects: letter by letter in the Vietnamese alphabet
    ("Đ" after "D" and before "E", "Ư" after "U"), then by the tones, then lower case before upper case.

    Spaces come before punctuation, punctuation before digits, digits before letters, as in the usual
    (ICU) collation, so ``sorted(names, key=vietnamese_sort_key)`` matches PostgreSQL's ``vi-x-icu``.
    """
    primary, tones, cases = [], [], []
    for letter, tone, upper in _letters(text or ""):
        if letter.isspace():
            primary.append((0, 0))
        elif letter in _LETTER_RANK:
            primary.append((3, _LETTER_RANK[letter]))
        elif letter.isdigit():
            primary.append((2, unicodedata.digit(letter, 0)))
        elif letter.isalpha():
            primary.append((4, ord(letter)))
        else:
            primary.append((1, ord(letter)))
        tones.append(tone)
        cases.append(upper)
    return tuple(primary), tuple(tones), tuple(cases), text or ""
