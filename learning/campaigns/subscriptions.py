"""What campaigns follow (subscribed in ``CampaignsConfig.ready``; see ``learning.core.events``).

- A person registers or changes commune or groups → they get the mandatory modules of their groups and
  commune, and leave the ones no longer theirs.
- A course is started or completed → the mandatory modules that require it move on.
- A person erased their account → their name and phone leave the rosters' rows; their mandatory modules
  stay as they are (counted, without a name).
"""

from learning.accounts.events import PersonChanged, PersonErased, PersonRegistered
from learning.core.events import subscribe
from learning.progress.events import CourseCompleted, CourseStarted

from .rosters.services import roster_person_erase
from .services import assignments_sync_user, members_refresh_for_course


def _person(event: PersonRegistered | PersonChanged) -> None:
    assignments_sync_user(user=event.user)


def _course(event: CourseStarted | CourseCompleted) -> None:
    members_refresh_for_course(user=event.enrolment.user, course=event.enrolment.course)


def _person_erased(event: PersonErased) -> None:
    roster_person_erase(user=event.user, former_phone=event.former_phone)


def connect() -> None:
    subscribe(PersonRegistered, _person)
    subscribe(PersonErased, _person_erased)
    subscribe(PersonChanged, _person)
    subscribe(CourseStarted, _course)
    subscribe(CourseCompleted, _course)
