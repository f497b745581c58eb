"""What certificates follow (subscribed in ``CertificatesConfig.ready``; see ``learning.core.events``).

- A course is completed → its certificate is issued, in the transaction of the completion (once: a replay
  or a concurrent completion finds the one already issued).
- A person erased their account → their certificates stay (valid, and counted) without their name.
"""

from learning.accounts.events import PersonErased
from learning.core.events import subscribe
from learning.progress.events import CourseCompleted

from .services import certificate_holder_erase, certificate_issue


def _course_completed(event: CourseCompleted) -> None:
    certificate_issue(enrolment=event.enrolment)


def _person_erased(event: PersonErased) -> None:
    certificate_holder_erase(user=event.user)


def connect() -> None:
    subscribe(CourseCompleted, _course_completed)
    subscribe(PersonErased, _person_erased)
