"""Writing the access log of personal data (kept ``ACCESS_LOG_RETENTION_DAYS``: ``learning.site.retention``).

Every view that shows other people's personal data to an organiser (a people list, a person page, an
export) calls :func:`personal_data_viewed` once it has decided to answer — a refused request is not logged.
"""

from __future__ import annotations

from .models import PersonalDataAccess

What = PersonalDataAccess.What


def personal_data_viewed(*, viewer, what: str, scope, path: str = "") -> PersonalDataAccess:
    """Record that ``viewer`` saw ``what`` (a ``PersonalDataAccess.What``) of ``scope`` (a commune code, a
    person's id, ``roster:<id>``, ``all``…); ``path`` is the address asked for."""
    name = getattr(viewer, "full_name", "") or ""
    phone = getattr(viewer, "phone", "") or ""
    return PersonalDataAccess.objects.create(
        user=viewer if getattr(viewer, "pk", None) else None,
        who=f"{name} ({phone})"[:200],
        what=What(what),
        scope=str(scope)[:100],
        path=path[:500],
    )


def personal_data_viewed_by_request(request, *, what: str, scope) -> PersonalDataAccess:
    """:func:`personal_data_viewed` for a view: the signed-in viewer and the address they asked for."""
    return personal_data_viewed(viewer=request.user, what=what, scope=scope, path=request.get_full_path())
