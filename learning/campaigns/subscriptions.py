"""What campaigns follow (subscribed in ``CampaignsConfig.ready``; see ``learning.core.events``).

- A person registers or changes commune or groups → they get the mandatory modules of their groups and
  commune, and leave the ones no longer theirs.
- A course is started or completed → the mandatory modules that require it move on.
"""

from learning.accounts.events import PersonChanged, PersonRegistered
from learning.core.events import subscribe
from learning.progress.events import CourseCompleted, CourseStarted

from .services import assignments_sync_user, members_refresh_for_course


def _person(event: PersonRegistered | PersonChanged) -> None:
    assignments_sync_user(user=event.user)


def _course(event: CourseStarted | CourseCompleted) -> None:
    members_refresh_for_course(user=event.enrolment.user, course=event.enrolment.course)


def connect() -> None:
    subscribe(PersonRegistered, _person)
    subscribe(PersonChanged, _person)
    subscribe(CourseStarted, _course)
    subscribe(CourseCompleted, _course)
