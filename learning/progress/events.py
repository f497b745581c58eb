"""What happens to a learner's progress, announced by ``services`` and ``quiz_services``
(followed by ``learning.campaigns`` and ``learning.stats``: see ``learning.core.events``)."""

from dataclasses import dataclass

from learning.core.events import Event

from .models import Enrolment, LessonCompletion, QuizAttempt


@dataclass(frozen=True)
class CourseStarted(Event):
    """A learner enrolled in a course (by starting it, completing a first lesson or starting its quiz)."""

    enrolment: Enrolment


@dataclass(frozen=True)
class LessonCompleted(Event):
    completion: LessonCompletion


@dataclass(frozen=True)
class CourseCompleted(Event):
    """Every lesson done and, when the course has a final test, the test passed."""

    enrolment: Enrolment


@dataclass(frozen=True)
class QuizSubmitted(Event):
    """An attempt was graded and closed (by the learner or at its deadline); ``attempt.passed`` says how."""

    attempt: QuizAttempt
