"""Vietnamese mobile numbers: accept the common ways people write them, store E.164."""

import functools
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()/]+")
_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_phone(raw: str) -> str:
    """Return the E.164 form (``+84912345678``) of a Vietnamese mobile number.

    Accepts ``0912 345 678``, ``0912.345.678``, ``+84912345678`` and ``84912345678``.
    Raises ``ValidationError`` saying what is wrong: empty, not a number, a landline,
    or not a valid Vietnamese mobile number.
    """
    text = _SEPARATORS.sub("", (raw or "").strip())
    if not text:
        raise ValidationError(_("Enter a mobile phone number."), code="required")
    if text.startswith("00"):
        text = "+" + text[2:]
    if not re.fullmatch(r"\+?[0-9]+", text):
        raise ValidationError(
            _("A phone number may contain only digits, spaces, dots, dashes and a leading +."),
            code="invalid_characters",
        )
    if text.startswith("84") and len(text) == 11:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number."), code="invalid") from None
    if number.country_code != 84:
        raise ValidationError(
            _("Only Vietnamese mobile numbers (starting with 0 or +84) can be used."),
            code="not_vietnamese",
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This is not a valid Vietnamese mobile number: it should have 10 digits, like 0912 345 678."),
            code="invalid",
        )
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(
            _("This looks like a landline number; please enter a mobile number."),
            code="landline",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# An account made by an identity provider that proved no phone number holds this prefix and its id instead:
# unique, in the stored format, and never a real number (no Vietnamese mobile number starts with 1 after +84).
NO_PHONE_PREFIX = "+841"
# An erased person's account holds this prefix and its id (``services.erased_phone``).
ERASED_PHONE_PREFIX = "+840"


def phone_reachable(e164: str) -> bool:
    """Whether a message can be sent to this stored number: not empty and not one of the placeholders."""
    return bool(e164) and not e164.startswith((NO_PHONE_PREFIX, ERASED_PHONE_PREFIX))


@functools.lru_cache(maxsize=8192)
def display_phone(e164: str) -> str:
    """``+84912345678`` → ``0912 345 678`` for people to read (remembered: a people list shows fifty at once)."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
