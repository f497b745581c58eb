"""Reads of a learner's progress, always for one given learner."""

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import CoursePage, LessonPage, QuizPage

from .models import Enrolment, LessonCompletion


@dataclass
class LessonInfo:
    lesson: object
    completed: bool
    locked: bool


@dataclass
class QuizInfo:
    quiz: object
    best_score: object = None
    passed: bool = False
    locked: bool = False
    reason: str = ""  # why it is locked, for the learner
    lesson: object = None  # the lesson it follows in the course (a lesson check belongs to it)


@dataclass(frozen=True)
class NextStep:
    """What the learner is to do next in a course: a lesson, or a final test to pass (with its pass mark)."""

    kind: str  # "lesson" or "final_test"
    page: object

    @property
    def pass_mark(self) -> int | None:
        return self.page.pass_mark_percent if self.kind == "final_test" else None


@dataclass
class CourseState:
    course: object
    lessons: list[LessonInfo] = field(default_factory=list)
    enrolment: Enrolment | None = None
    quizzes: list[QuizInfo] = field(default_factory=list)

    @property
    def final_tests(self) -> list[QuizInfo]:
        return [q for q in self.quizzes if q.quiz.kind == "final_test"]

    @property
    def lessons_complete(self) -> bool:
        return self.total > 0 and self.completed_count == self.total

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def completed_count(self) -> int:
        return sum(1 for info in self.lessons if info.completed)

    @property
    def remaining_final_tests(self) -> list[QuizInfo]:
        return [q for q in self.final_tests if not q.passed]

    @property
    def steps_total(self) -> int:
        """Every lesson and every final test is a step towards completing the course."""
        return self.total + len(self.final_tests)

    @property
    def steps_done(self) -> int:
        return self.completed_count + sum(1 for q in self.final_tests if q.passed)

    @property
    def percent(self) -> int:
        """Share of the steps done: 5 lessons of 5 with the final test still to pass is 83 %, not 100 %."""
        if self.is_complete:
            return 100
        return min(99, round(100 * self.steps_done / self.steps_total)) if self.steps_total else 0

    @property
    def is_complete(self) -> bool:
        """Every lesson complete and, when the course has a final test, the test passed."""
        return self.lessons_complete and all(q.passed for q in self.final_tests)

    @property
    def next_lesson(self):
        """Where to continue: the first lesson not yet completed (None when all are done)."""
        for info in self.lessons:
            if not info.completed:
                return info.lesson
        return None

    @property
    def next_step(self) -> NextStep | None:
        """The next lesson, else the first final test not passed yet; None once the course is complete."""
        if self.next_lesson is not None:
            return NextStep("lesson", self.next_lesson)
        remaining = self.remaining_final_tests
        return NextStep("final_test", remaining[0].quiz) if remaining else None


@dataclass
class LessonState:
    lesson: object
    course_state: CourseState
    completed: bool
    locked: bool
    previous: object = None
    next: object = None

    @property
    def quizzes(self) -> list[QuizInfo]:
        """The lesson checks that follow this lesson in the course."""
        return [
            q
            for q in self.course_state.quizzes
            if q.lesson is not None and q.lesson.pk == self.lesson.pk and q.quiz.kind != "final_test"
        ]


def quiz_lock(*, quiz, lessons: list[LessonInfo]) -> tuple[str, object]:
    """When a quiz opens, defined once: (why it is locked, or "" when open; the lesson it follows).

    A lesson check opens with the lesson before it in the course; a final test once every lesson is
    complete; a quiz marked "open any time" (e.g. a placement test) always. ``lessons`` are the course's
    published lessons in order, each knowing whether this learner completed it and whether it is locked.
    """
    before = [info for info in lessons if info.lesson.path < quiz.path]
    own = before[-1].lesson if before else None
    if quiz.open_any_time:
        return "", own
    if quiz.kind == "final_test":
        left = sum(1 for info in lessons if not info.completed)
        if left:
            return ngettext(
                "The final test opens when every lesson is complete: %(n)d lesson left.",
                "The final test opens when every lesson is complete: %(n)d lessons left.",
                left,
            ) % {"n": left}, own
        return "", own
    if before and before[-1].locked:
        return _("This quiz opens with its lesson, “%(title)s”.") % {"title": own.title}, own
    return "", own


def quiz_lock_reason(*, user, quiz, course) -> str:
    """Why ``user`` may not start ``quiz`` now ("" when they may): the rule of :func:`quiz_lock` read
    from the database (no query for a quiz open any time, or a lesson check in a course without order)."""
    if quiz.open_any_time or (quiz.kind != "final_test" and not course.sequential):
        return ""
    lessons = list(course.lessons())
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    return quiz_lock(quiz=quiz, lessons=_build_state(course, lessons, done, None).lessons)[0]


def completed_lesson_ids(*, user, lesson_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=list(lesson_ids)).values_list("lesson_id", flat=True)
    )


def _quiz_infos(*, user, quizzes) -> list[QuizInfo]:
    from .quiz_selectors import best_results

    best = best_results(user=user, quiz_ids=[q.pk for q in quizzes])
    return [
        QuizInfo(quiz=q, best_score=best.get(q.pk, (None, False))[0], passed=best.get(q.pk, (None, False))[1])
        for q in quizzes
    ]


def course_state(*, user, course) -> CourseState:
    """The course's published lessons in order, each with completed/locked, and its quizzes, for ``user``."""
    lessons = list(course.lessons())
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
    quizzes = _quiz_infos(user=user, quizzes=list(course.quizzes()))
    return _build_state(course, lessons, done, enrolment, quizzes)


def _build_state(course, lessons, done, enrolment, quizzes=()) -> CourseState:
    infos, previous_done = [], True
    for lesson in lessons:
        completed = lesson.pk in done
        locked = course.sequential and not completed and not previous_done
        infos.append(LessonInfo(lesson=lesson, completed=completed, locked=locked))
        previous_done = completed
    for info in quizzes:
        info.reason, info.lesson = quiz_lock(quiz=info.quiz, lessons=infos)
        info.locked = bool(info.reason)
    return CourseState(course=course, lessons=infos, enrolment=enrolment, quizzes=list(quizzes))


def lesson_state(*, user, lesson, course=None) -> LessonState:

    course = course or CoursePage.objects.get(pk=lesson.get_parent().pk)
    state = course_state(user=user, course=course)
    ids = [info.lesson.pk for info in state.lessons]
    if lesson.pk not in ids:  # not published: nothing to unlock
        return LessonState(lesson=lesson, course_state=state, completed=False, locked=True)
    i = ids.index(lesson.pk)
    info = state.lessons[i]
    return LessonState(
        lesson=lesson,
        course_state=state,
        completed=info.completed,
        locked=info.locked,
        previous=state.lessons[i - 1].lesson if i > 0 else None,
        next=state.lessons[i + 1].lesson if i + 1 < len(ids) else None,
    )


def my_courses(*, user) -> list[CourseState]:
    """The learner's enrolled courses, most recently active first, with progress (4 queries)."""

    enrolments = list(Enrolment.objects.filter(user=user).order_by("-last_activity_at"))
    courses = CoursePage.objects.live().public().in_bulk([e.course_id for e in enrolments])
    if not courses:
        return []
    by_path = {course.path: [] for course in courses.values()}
    under_courses = reduce(operator.or_, (Q(path__startswith=path) for path in by_path))
    all_lessons = list(LessonPage.objects.live().filter(under_courses).order_by("path"))
    for lesson in all_lessons:
        by_path[lesson.path[: len(lesson.path) - LessonPage.steplen]].append(lesson)
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in all_lessons])
    quizzes_by_path = {path: [] for path in by_path}
    all_quizzes = list(QuizPage.objects.live().filter(under_courses).order_by("path"))
    for info in _quiz_infos(user=user, quizzes=all_quizzes):
        quizzes_by_path[info.quiz.path[: len(info.quiz.path) - QuizPage.steplen]].append(info)
    states = []
    for e in enrolments:
        if e.course_id in courses:
            course = courses[e.course_id]
            states.append(_build_state(course, by_path[course.path], done, e, quizzes_by_path[course.path]))
    return states
