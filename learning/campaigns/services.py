"""Writes for campaigns: who is assigned what, and how far they are."""

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from learning.progress.models import Enrolment

from .models import Assignment, AssignmentMember


def _applicable(user):
    """Assignments whose group and scope include ``user`` today."""
    if not user.commune_id:
        return Assignment.objects.none()
    groups = list(user.target_groups.values_list("code", flat=True))
    return (
        Assignment.objects.filter(target_group_id__in=groups, province_id=user.commune.province_id)
        .filter(Q(communes__isnull=True) | Q(communes=user.commune_id))
        .distinct()
    )


def member_refresh_progress(member: AssignmentMember) -> AssignmentMember:
    """Started when any required course is opened; completed when all of them are complete."""
    course_ids = list(member.assignment.courses.values_list("pk", flat=True))
    enrolments = Enrolment.objects.filter(user_id=member.user_id, course_id__in=course_ids)
    agg = enrolments.aggregate(first=Min("enrolled_at"), last=Max("completed_at"))
    done = enrolments.filter(completed_at__isnull=False).count()
    started = agg["first"]
    completed = agg["last"] if course_ids and done == len(course_ids) else None
    if (member.started_at, member.completed_at) != (started, completed):
        member.started_at, member.completed_at = started, completed
        member.save(update_fields=["started_at", "completed_at"])
    return member


@transaction.atomic
def assignments_sync_user(*, user) -> list[AssignmentMember]:
    """Give ``user`` the assignments of their groups and commune; mark the ones they left.

    Someone who leaves the group or the scope keeps their record (and what they completed);
    it simply stops being theirs to do.
    """
    from learning.stats.services import mark_user

    mark_user(user.pk)  # the commune-days the memberships count in now (a move or a leave changes them)
    now = timezone.now()
    applicable = list(_applicable(user))
    members = []
    for assignment in applicable:
        member, created = AssignmentMember.objects.get_or_create(
            assignment=assignment, user=user, defaults={"commune_id": user.commune_id, "assigned_at": now}
        )
        if not created and (member.left_at is not None or member.commune_id != user.commune_id):
            if member.completed_at is None:
                member.commune_id = user.commune_id
            member.left_at = None
            member.save(update_fields=["left_at", "commune"])
        members.append(member_refresh_progress(member))
    AssignmentMember.objects.filter(user=user, left_at__isnull=True, completed_at__isnull=True).exclude(
        assignment__in=applicable
    ).update(left_at=now)
    mark_user(user.pk)
    return members


def assignment_populate(*, assignment: Assignment, batch_size: int = 2000) -> int:
    """Create the members of a new or edited assignment; returns how many were added."""
    from learning.accounts.models import User

    users = User.objects.filter(
        target_groups=assignment.target_group_id, commune__province_id=assignment.province_id, is_active=True
    )
    commune_codes = list(assignment.communes.values_list("code", flat=True))
    if commune_codes:
        users = users.filter(commune_id__in=commune_codes)
    existing = set(AssignmentMember.objects.filter(assignment=assignment).values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        AssignmentMember(assignment=assignment, user_id=user_id, commune_id=commune_id, assigned_at=now)
        for user_id, commune_id in users.values_list("pk", "commune_id").distinct()
        if user_id not in existing
    ]
    AssignmentMember.objects.bulk_create(new, batch_size=batch_size, ignore_conflicts=True)
    from learning.stats.services import mark_many

    mark_many({(now, member.commune_id) for member in new})  # bulk_create sends no signals
    for member in AssignmentMember.objects.filter(
        assignment=assignment, user_id__in=[m.user_id for m in new]
    ).select_related("assignment"):
        member_refresh_progress(member)
    return len(new)


def members_refresh_for_course(*, user, course) -> None:
    """After ``user`` opened or completed ``course``: update their assignments that require it."""
    for member in AssignmentMember.objects.filter(user=user, assignment__courses=course).select_related("assignment"):
        member_refresh_progress(member)
