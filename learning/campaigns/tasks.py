from celery import shared_task


@shared_task(name="campaigns.populate_assignment")
def populate_assignment(assignment_id: int) -> int:
    from .models import Assignment
    from .services import assignment_populate

    assignment = Assignment.objects.filter(pk=assignment_id).first()
    return assignment_populate(assignment=assignment) if assignment else 0


@shared_task(name="campaigns.populate_all_assignments")
def populate_all_assignments() -> int:
    """Daily safety net: everyone who fits an assignment has it (idempotent)."""
    from .models import Assignment
    from .services import assignment_populate

    return sum(assignment_populate(assignment=a) for a in Assignment.objects.all())
