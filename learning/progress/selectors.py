"""Reads of a learner's progress, always for one given learner."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import DateTimeField
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
    lesson_ids = list(lesson_ids)
    if not user.is_authenticated or not lesson_ids:  # a course of final tests only asks nothing
        return set()
    return set(LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).values_list("lesson_id", flat=True))


def _quiz_infos(*, quizzes, best) -> list[QuizInfo]:
    return [
        QuizInfo(quiz=q, best_score=best.get(q.pk, (None, False))[0], passed=best.get(q.pk, (None, False))[1])
        for q in quizzes
    ]


@dataclass
class LearnerRows:
    """What a learner has done, read in one statement: enrolments by course id, completed lesson ids, and
    quiz id → (best score, passed) over submitted attempts."""

    enrolments: dict = field(default_factory=dict)
    done: set = field(default_factory=set)
    best: dict = field(default_factory=dict)


_ENROLMENT_COLUMNS = [f.attname for f in Enrolment._meta.concrete_fields]
_ENROLMENT_TIMESTAMPS = {i for i, f in enumerate(Enrolment._meta.concrete_fields) if isinstance(f, DateTimeField)}


def _in(column: str, ids) -> tuple[str, list] | None:
    """`` AND column IN (…)`` for ``ids``; nothing for None (every row of the learner); None when no id."""
    if ids is None:
        return "", []
    ids = list(ids)
    return (f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids) if ids else None


def _timestamp(value):
    """A timestamp from a raw row: PostgreSQL gives a datetime, SQLite text (converted as the ORM does)."""
    if value is None or not isinstance(value, str):
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)


def _learner_rows(*, user, course_ids=None, lesson_ids=None, quiz_ids=None) -> LearnerRows:
    """The learner's enrolments in ``course_ids``, completions of ``lesson_ids`` and submitted attempts at
    ``quiz_ids`` (None: all of them): one statement (``UNION ALL``), the enrolments first so that their typed
    columns give the statement its types. Hand-written because it runs on every lesson page and progress
    answer; portable SQL (SQLite and PostgreSQL)."""
    rows = LearnerRows()
    if not user.is_authenticated:
        return rows
    quote = connection.ops.quote_name
    blanks = ", ".join(["NULL"] * (len(_ENROLMENT_COLUMNS) - 1))
    enrolment = ", ".join(map(quote, _ENROLMENT_COLUMNS))
    branches = [
        (
            f"SELECT 2, course_id, CAST(NULL AS NUMERIC), CAST(NULL AS BOOLEAN), {enrolment}"  # noqa: S608 - names from the models, values as parameters
            f" FROM {quote(Enrolment._meta.db_table)} WHERE user_id = %s",
            _in("course_id", course_ids),
        ),
        (
            f"SELECT 0, lesson_id, NULL, NULL, NULL, {blanks} FROM {quote(LessonCompletion._meta.db_table)}"  # noqa: S608 - as above
            " WHERE user_id = %s",
            _in("lesson_id", lesson_ids),
        ),
        (
            f"SELECT 1, quiz_id, score_percent, passed, NULL, {blanks} FROM {quote(QuizAttempt._meta.db_table)}"  # noqa: S608 - as above
            " WHERE user_id = %s AND status = 'submitted'",
            _in("quiz_id", quiz_ids),
        ),
    ]
    if branches[0][1] is None:  # the enrolments' branch gives the statement its column types
        return rows
    parts, params = [], []
    for select, condition in branches:
        if condition is not None:
            parts.append(select + condition[0])
            params += [user.pk, *condition[1]]
    sql = " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, page_id, score, passed, *enrolment in cursor.fetchall():
            if kind == 0:
                rows.done.add(page_id)
            elif kind == 2:
                values = [_timestamp(v) if i in _ENROLMENT_TIMESTAMPS else v for i, v in enumerate(enrolment)]
                rows.enrolments[page_id] = Enrolment.from_db(connection.alias, _ENROLMENT_COLUMNS, values)
            else:
                score = score if score is None or isinstance(score, Decimal) else Decimal(str(score))
                old = rows.best.get(page_id, (None, False))
                rows.best[page_id] = (max(v for v in (old[0], score) if v is not None), old[1] or bool(passed))
    return rows


def course_state(*, user, course) -> CourseState:
    """The course's published lessons in order, each with completed/locked, and its quizzes, for ``user``."""
    lessons, quizzes = page_cache.course_outline(course)
    rows = _learner_rows(
        user=user,
        course_ids=[course.pk],
        lesson_ids=[lesson.pk for lesson in lessons],
        quiz_ids=[quiz.pk for quiz in quizzes],
    )
    quizzes = _quiz_infos(quizzes=quizzes, best=rows.best)
    return _build_state(course, lessons, rows.done, rows.enrolments.get(course.pk), quizzes)


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
    """The learner's enrolled courses, most recently active first, with progress (1 query: enrolments,
    completions and best results; the courses' outlines are kept per process by ``courses.page_cache``)."""
    rows = _learner_rows(user=user)
    published = page_cache.live_courses()
    enrolments = sorted(
        (e for e in rows.enrolments.values() if e.course_id in published),
        key=lambda e: e.last_activity_at,
        reverse=True,
    )
    states = []
    for enrolment in enrolments:
        course = published[enrolment.course_id]
        lessons, quizzes = page_cache.course_outline(course)
        states.append(_build_state(course, lessons, rows.done, enrolment, _quiz_infos(quizzes=quizzes, best=rows.best)))
    return states
