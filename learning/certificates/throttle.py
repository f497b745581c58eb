"""How often one client address may look up certificate codes on the verification page.

The count lives in the cache (Redis in production, shared by every web process), one key per address and
minute; the client address is read as the API's throttles read it (``NUM_PROXIES`` in REST_FRAMEWORK
says how many proxies in front of the site to trust), so the page and the API count the same way."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60


def client_address(request) -> str:
    return BaseThrottle().get_ident(request)


def verify_allowed(request) -> bool:
    """Count one lookup from the request's client address; False once it has made more than
    ``CERTIFICATE_VERIFY_PER_MINUTE`` in the current minute."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"certificates:verify:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
    return count <= settings.CERTIFICATE_VERIFY_PER_MINUTE
