from django.utils import timezone

from .models import AssignmentStatus
from .selectors import my_assignments


def mandatory_for(user) -> list[dict]:
    """The learner's mandatory modules with status and its label, for templates."""
    today = timezone.localdate()
    rows = []
    for member in my_assignments(user=user):
        status = member.status(today)
        rows.append({"member": member, "status": status, "label": AssignmentStatus(status).label})
    return rows
