import pytest
from django.core.exceptions import ValidationError

from learning.accounts.phone import display_phone, normalise_phone


@pytest.mark.parametrize(
    "raw",
    ["0912 345 678", "0912.345.678", "+84912345678", "84912345678", "0912-345-678", " 0912345678 ", "0084912345678"],
)
def test_accepts_common_ways_of_writing_a_mobile_number(raw):
    assert normalise_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("", "required", "Enter a mobile"),
        ("024 3825 1234", "landline", "landline"),  # Hà Nội landline
        ("0203 3825 123", "landline", "landline"),  # Quảng Ninh landline (area code 203)
        ("091234", "invalid", "not a valid Vietnamese mobile"),
        ("0912 345 678 9", "invalid", "not a valid"),
        ("+1 202 555 0100", "not_vietnamese", "Only Vietnamese"),
        ("09I2345678", "invalid_characters", "only digits"),
    ],
)
def test_rejects_landlines_and_invalid_numbers_saying_why(raw, code, words):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(raw)
    assert exc.value.code == code
    assert words in exc.value.messages[0]


def test_display_form():
    assert display_phone("+84912345678") == "0912 345 678"
