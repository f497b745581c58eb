"""The one check in front of every organiser page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .scopes import is_organiser


def organiser_required(view=None, *, message=None):
    """Sign-in first (a redirect to the sign-in page), then 403 — the shared ``403.html`` with ``message``
    — for anyone who organises no province or commune. Which people and communes the organiser then sees
    is the view's scope (``communes_in_scope``)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_organiser(request.user):
                raise PermissionDenied(message or _("Only commune and provincial organisers can open this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
