"""What happens to mandatory assignments, announced by ``services`` (followed by ``learning.stats``)."""

from dataclasses import dataclass

from learning.core.events import Event

from .models import AssignmentMember


@dataclass(frozen=True)
class MembershipsChanged(Event):
    """People were assigned a mandatory module, completed it, left its scope, or moved with it."""

    members: tuple[AssignmentMember, ...]
