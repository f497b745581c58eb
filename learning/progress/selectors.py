"""Reads of a learner's progress, always for one given learner."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import page_cache

from .models import Enrolment, LessonCompletion, QuizAttempt


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
    lessons, _quizzes = page_cache.course_outline(course)
    done = completed_lesson_ids(user=user, lesson_ids=[lesson.pk for lesson in lessons])
    return quiz_lock(quiz=quiz, lessons=_build_state(course, lessons, done, None).lessons)[0]


def completed_lesson_ids(*, user, lesson_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, lesson_id__in=list(lesson_ids)).values_list("lesson_id", flat=True)
    )


def _quiz_infos(*, quizzes, best) -> list[QuizInfo]:
    return [
        QuizInfo(quiz=q, best_score=best.get(q.pk, (None, False))[0], passed=best.get(q.pk, (None, False))[1])
        for q in quizzes
    ]


def _learner_progress(*, user, lesson_ids, quiz_ids) -> tuple[set[int], dict[int, tuple]]:
    """The lessons ``user`` completed among ``lesson_ids``, and quiz id → (best score, passed) over their
    submitted attempts of ``quiz_ids``: one statement (completions and attempts, ``UNION ALL``)."""
    lesson_ids, quiz_ids = list(lesson_ids), list(quiz_ids)
    if not user.is_authenticated or not (lesson_ids or quiz_ids):
        return set(), {}
    quote = connection.ops.quote_name
    parts, params = [], []
    if lesson_ids:
        parts.append(
            f"SELECT 0, lesson_id, NULL, NULL FROM {quote(LessonCompletion._meta.db_table)}"  # noqa: S608 - names from the models, values as parameters
            f" WHERE user_id = %s AND lesson_id IN ({', '.join(['%s'] * len(lesson_ids))})"
        )
        params += [user.pk, *lesson_ids]
    if quiz_ids:
        parts.append(
            f"SELECT 1, quiz_id, score_percent, passed FROM {quote(QuizAttempt._meta.db_table)}"  # noqa: S608 - as above
            f" WHERE user_id = %s AND status = 'submitted' AND quiz_id IN ({', '.join(['%s'] * len(quiz_ids))})"
        )
        params += [user.pk, *quiz_ids]
    done: set[int] = set()
    best: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for kind, page_id, score, passed in cursor.fetchall():
            if kind == 0:
                done.add(page_id)
                continue
            score = score if score is None or isinstance(score, Decimal) else Decimal(str(score))
            old = best.get(page_id, (None, False))
            best[page_id] = (max(s for s in (old[0], score) if s is not None), old[1] or bool(passed))
    return done, best


def course_state(*, user, course) -> CourseState:
    """The course's published lessons in order, each with completed/locked, and its quizzes, for ``user``."""
    lessons, quizzes = page_cache.course_outline(course)
    done, best = _learner_progress(
        user=user, lesson_ids=[lesson.pk for lesson in lessons], quiz_ids=[quiz.pk for quiz in quizzes]
    )
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
    quizzes = _quiz_infos(quizzes=quizzes, best=best)
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
    course = course or page_cache.lesson_course(lesson)
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
    """The learner's enrolled courses, most recently active first, with progress (2 queries: enrolments,
    completions with best results; the courses' outlines are kept per process by ``courses.page_cache``)."""
    enrolments = list(Enrolment.objects.filter(user=user).order_by("-last_activity_at"))
    published = page_cache.live_courses()
    courses = {e.course_id: published[e.course_id] for e in enrolments if e.course_id in published}
    if not courses:
        return []
    outlines = {pk: page_cache.course_outline(course) for pk, course in courses.items()}
    all_lessons = [lesson for lessons, _quizzes in outlines.values() for lesson in lessons]
    all_quizzes = [quiz for _lessons, quizzes in outlines.values() for quiz in quizzes]
    done, best = _learner_progress(
        user=user, lesson_ids=[lesson.pk for lesson in all_lessons], quiz_ids=[quiz.pk for quiz in all_quizzes]
    )
    infos = iter(_quiz_infos(quizzes=all_quizzes, best=best))
    quizzes_by_course = {pk: [next(infos) for _quiz in quizzes] for pk, (_lessons, quizzes) in outlines.items()}
    return [
        _build_state(courses[e.course_id], outlines[e.course_id][0], done, e, quizzes_by_course[e.course_id])
        for e in enrolments
        if e.course_id in courses
    ]
