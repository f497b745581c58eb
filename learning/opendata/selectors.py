"""Reading a key as a consumer presents it: found by its prefix, checked against its hash."""

from enum import Enum

from .models import OpenDataKey


class KeyState(Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


def key_check(secret: str) -> tuple[KeyState, OpenDataKey | None]:
    """The key whose secret this is, and whether it may be used. A revoked or expired key is named as such
    only to someone holding its whole secret; anything else is simply unknown."""
    prefix, dot, _rest = secret.partition(".")
    key = OpenDataKey.objects.filter(prefix=prefix).first() if dot and prefix else None
    if key is None or not key.is_valid(secret):
        return KeyState.UNKNOWN, None
    if key.revoked:
        return KeyState.REVOKED, key
    if key.has_expired:
        return KeyState.EXPIRED, key
    return KeyState.VALID, key
