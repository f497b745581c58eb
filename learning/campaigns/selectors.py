"""Reads of assignments with their rules: a learner sees their own; an organiser their scope."""

from learning.accounts.scopes import communes_in_scope

from .models import AssignmentMember
from .status import status_filter


def my_assignments(*, user):
    """The learner's current mandatory modules, soonest deadline first."""
    if not user.is_authenticated:
        return AssignmentMember.objects.none()
    return (
        AssignmentMember.objects.filter(user=user, left_at__isnull=True)
        .select_related("assignment")
        .prefetch_related("assignment__courses")
        .order_by("assignment__deadline", "assignment__title")
    )


def assignment_people_visible_to(*, user, commune: str | None = None, status: str | None = None):
    """People with mandatory modules in the organiser's scope (commune as recorded when assigned)."""
    qs = AssignmentMember.objects.filter(commune__in=communes_in_scope(user), user__erased_at__isnull=True)
    if commune:
        qs = qs.filter(commune_id=commune)
    if status:
        qs = qs.filter(status_filter(status))
    return qs.select_related("assignment", "user", "commune").order_by(
        "commune__name", "user__full_name", "assignment__deadline"
    )
