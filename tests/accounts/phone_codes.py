"""SMS codes in tests: an official's number, reading a code from the console backend's outbox."""

import re

from tests.conftest import PASSWORD

OFFICIAL = "0912 888 001"
OFFICIAL_E164 = "+84912888001"
NEW_PASSWORD = "Hoc-so-Quang-Ninh-2026"
SIGNUP = {
    "phone": OFFICIAL,
    "full_name": "Kẻ Mạo Danh",
    "province": "22",
    "commune": "06688",
    "target_groups": ["citizen"],
    "password1": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}


def last_code(outbox, phone=OFFICIAL_E164) -> str:
    texts = [text for to, text in outbox if to == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"
