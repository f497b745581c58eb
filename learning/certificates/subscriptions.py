"""What certificates follow (subscribed in ``CertificatesConfig.ready``; see ``learning.core.events``).

- A course is completed → its certificate is issued, in the transaction of the completion (once: a replay
  or a concurrent completion finds the one already issued).
"""

from learning.core.events import subscribe
from learning.progress.events import CourseCompleted

from .services import certificate_issue


def _course_completed(event: CourseCompleted) -> None:
    certificate_issue(enrolment=event.enrolment)


def connect() -> None:
    subscribe(CourseCompleted, _course_completed)
