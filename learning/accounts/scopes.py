"""Which localities an organiser may see. Every organiser read goes through these."""

from django.db.models import Q

from learning.localities.models import Commune

from .roles import RoleGrant

ORGANISER_ROLES = ("province_organiser", "commune_organiser")


def _organised(user) -> tuple[list[str], list[str]]:
    """The provinces and the communes ``user`` organises (one query; none for a learner)."""
    if not user.is_authenticated:
        return [], []
    grants = list(
        RoleGrant.objects.filter(user=user, role__in=ORGANISER_ROLES).values_list("province_id", "commune_id")
    )
    return [p for p, _c in grants if p], [c for _p, c in grants if c]


def communes_in_scope(user):
    """The communes whose people and numbers ``user`` may see (none for a learner)."""
    provinces, communes = _organised(user)
    if not provinces and not communes:
        return Commune.objects.none()
    return Commune.objects.filter(Q(province_id__in=provinces) | Q(code__in=communes))


def in_scope(user, commune: Commune) -> bool:
    """Whether ``user`` may see ``commune``'s people and numbers (one query: their organiser roles)."""
    provinces, communes = _organised(user)
    return commune.province_id in provinces or commune.pk in communes


def provinces_in_scope(user) -> list[str]:
    """Provinces ``user`` may see as a whole (provincial organisers only)."""
    if not user.is_authenticated:
        return []
    return list(RoleGrant.objects.filter(user=user, role="province_organiser").values_list("province_id", flat=True))


def is_organiser(user) -> bool:
    if not user.is_authenticated:
        return False
    known = getattr(user, "organiser_role", None)  # read with the user by the sign-in backend
    if known is not None:
        return known
    return RoleGrant.objects.filter(user=user, role__in=ORGANISER_ROLES).exists()


def can_see_commune(user, commune_code: str) -> bool:
    return communes_in_scope(user).filter(code=commune_code).exists()
