"""One guard in front of every page and endpoint: input no view can use is refused before it reaches one.

A NUL byte in the path or a query parameter (PostgreSQL cannot store or compare it), and a whole-number
query parameter too large for a database integer (``?limit=99999999999999999999``, ``?offset=…``), are
answered with a 400 and a clear message — JSON under ``/api/``, the site's error page elsewhere — instead
of a 500 from deep inside a query.
"""

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# The largest value a PostgreSQL bigint holds; an integer parameter beyond it can only be hostile.
INTEGER_MAX = 2**63 - 1
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def _too_large(value: str) -> bool:
    if not _INTEGER.fullmatch(value):
        return False
    digits = value.strip().lstrip("+-").lstrip("0")
    return len(digits) > len(str(INTEGER_MAX)) or int(digits or "0") > INTEGER_MAX


def request_problem(request) -> str | None:
    """Why the request cannot be served (a message for the visitor), or None."""
    if "\x00" in request.path or "\x00" in request.path_info:
        return _("The address contains a character that is not allowed (a NUL byte).")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return _("The parameter “%(name)s” contains a character that is not allowed (a NUL byte).") % {
                "name": name.replace("\x00", "")[:50]
            }
        if any(_too_large(value) for value in values):
            return _("The parameter “%(name)s” must be a whole number no larger than %(max)s.") % {
                "name": name[:50],
                "max": INTEGER_MAX,
            }
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": problem, "code": "bad_request"}, status=400)
        return render(request, "400.html", {"message": problem}, status=400)
