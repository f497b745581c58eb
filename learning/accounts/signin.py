"""One sign-in policy for every door: the sign-in form, the API token endpoint, the activation form, phone
verification and password reset (asking for a code and entering it).

Failures are counted on the shared cache (Redis in production, so every worker and every server counts
together) per account (the phone number) and per client address. An account is locked for
``SIGNIN_LOCKOUT_MINUTES`` after ``SIGNIN_MAX_FAILURES`` failures within that time, an address after
``SIGNIN_MAX_FAILURES_PER_ADDRESS`` (higher: many phones share an address behind a carrier's NAT). While
locked, even the right password is refused, and the message says when to try again.

The client address is ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` proxies are declared in front of the
site: then it is the address the outermost trusted proxy saw, read from ``X-Forwarded-For`` counted from the
right — entries a client writes itself are never believed.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .phone import normalise_phone

_PREFIX = "signin"


def client_address(request) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as far as ``TRUSTED_PROXY_COUNT`` proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]


class SignInLocked(Exception):
    """Sign-in refused for now; ``until`` says when it opens again."""

    def __init__(self, until: datetime):
        self.until = until
        self.retry_after = max(1, int((until - timezone.now()).total_seconds()))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        when = date_format(timezone.localtime(self.until), "H:i, d/m/Y")
        return _("Too many failed sign-in attempts. For your safety, please try again after %(time)s.") % {"time": when}


def _account(phone) -> str:
    try:
        value = normalise_phone(str(phone or ""))
    except ValidationError:
        value = str(phone or "").strip()
    return "acct:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _address(request) -> str:
    return "addr:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def _subjects(request, phone) -> list[tuple[str, int]]:
    return [
        (_account(phone), settings.SIGNIN_MAX_FAILURES),
        (_address(request), settings.SIGNIN_MAX_FAILURES_PER_ADDRESS),
    ]


def signin_check(request, phone) -> None:
    """Raise ``SignInLocked`` when the account or the client address is locked."""
    locks = cache.get_many([f"{_PREFIX}:lock:{subject}" for subject, _limit in _subjects(request, phone)])
    now = timezone.now().timestamp()
    active = [until for until in locks.values() if until > now]  # the stored end time decides, not the cache's TTL
    if active:
        raise SignInLocked(datetime.fromtimestamp(max(active), tz=UTC))


def signin_failed(request, phone, *, account: bool = True) -> None:
    """Count a failure for the account and the address; lock the one that reached its limit.

    ``account=False`` counts for the address only: asking for a password-reset code, which costs an SMS
    but proves nothing wrong about the account (the code's resend wait limits the messages one phone gets)."""
    window = settings.SIGNIN_LOCKOUT_MINUTES * 60
    for subject, limit in _subjects(request, phone)[0 if account else 1 :]:
        key = f"{_PREFIX}:fail:{subject}"
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        if count >= limit:
            until = timezone.now() + timedelta(seconds=window)
            cache.set(f"{_PREFIX}:lock:{subject}", until.timestamp(), timeout=window)
            cache.delete(key)


def signin_succeeded(request, phone) -> None:
    """A right password (outside a lock) forgets the account's earlier failures."""
    cache.delete(f"{_PREFIX}:fail:{_account(phone)}")
