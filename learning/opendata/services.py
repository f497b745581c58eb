"""Every write on open-data keys: issuing (the key is returned once, never stored), revoking, noting a use."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import OpenDataKey

# A key's last use is written at most this often, so a busy consumer does not write on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def key_issue(*, key: OpenDataKey) -> str:
    """Save a new key (filled in by the admin's form) and return the secret, which is never seen again."""
    secret = OpenDataKey.objects.assign_key(key)
    with transaction.atomic():
        key.full_clean(exclude=["id", "prefix", "hashed_key"])
        key.save()
    return secret


def key_create(*, name: str, organisation: str, contact: str, throttle_rate: str = "") -> tuple[OpenDataKey, str]:
    key = OpenDataKey(name=name, organisation=organisation, contact=contact, throttle_rate=throttle_rate)
    return key, key_issue(key=key)


def keys_revoke(keys) -> int:
    """Revoke these keys (a queryset); returns how many were still in use."""
    return keys.filter(revoked=False).update(revoked=True)


def key_used(key: OpenDataKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        OpenDataKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
