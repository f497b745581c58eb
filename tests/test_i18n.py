"""Vietnamese first: the catalogue is complete, pages declare their language, English is one click away."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def read_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr(s) and flags."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif m := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d)\])?) "(.*)"$', line):
            name, index, text = m.groups()
            key = ("msgstr", int(index or 0)) if name.startswith("msgstr") else name
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] = text
            else:
                entry[key] = text
        elif line.startswith('"') and key:
            text = line[1:-1]
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += text
            else:
                entry[key] += text
    return entries


def unescape(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


@pytest.mark.parametrize(("domain", "minimum"), [("django", 100), ("djangojs", 5)])
def test_vietnamese_catalogue_is_complete_and_not_fuzzy(domain, minimum):
    entries = [e for e in read_po(LOCALE / f"vi/LC_MESSAGES/{domain}.po") if e.get("msgid")]
    assert len(entries) > minimum
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_matches_the_po_file(domain):
    entries = [e for e in read_po(LOCALE / f"vi/LC_MESSAGES/{domain}.po") if e.get("msgid") and "msgid_plural" not in e]
    with (LOCALE / f"vi/LC_MESSAGES/{domain}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)

    def translated(e):
        if "msgctxt" in e:
            return compiled.pgettext(unescape(e["msgctxt"]), unescape(e["msgid"]))
        return compiled.gettext(unescape(e["msgid"]))

    stale = [e["msgid"] for e in entries if translated(e) != unescape(e["msgstr"][0])]
    assert stale == [], "run `make messages` to recompile"


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_one_click_away(vi_client, course):
    page = vi_client.get(course.url).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng ký" in page and "Bài học" in page
    response = vi_client.post("/i18n/setlang/", {"language": "en", "next": course.url})
    assert response.status_code == 302 and response["Location"] == course.url
    page = vi_client.get(course.url).content.decode()
    assert '<html lang="en">' in page and "Lessons" in page


@pytest.mark.django_db
def test_wagtail_admin_speaks_vietnamese(vi_client, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Quản trị")
    vi_client.force_login(admin)
    page = vi_client.get("/admin/").content.decode()
    assert 'lang="vi"' in page
    assert "Trang" in page


@pytest.mark.django_db
def test_error_messages_are_vietnamese_by_default(vi_client):
    response = vi_client.post("/api/v1/auth/register/", {"phone": "024 3825 1234"}, content_type="application/json")
    assert response.status_code == 400
    assert "số máy bàn" in response.json()["phone"][0]
