"""The content the synthetic learners take (the demo courses and their quizzes), and what synthetic data exists."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection

from bench import guard

from .province import CAMPAIGN_SUFFIX, MARKER_PASSWORD, MAX_LESSONS, PROVINCE, SNAPSHOT_VARIANTS


class SyntheticError(Exception):
    """Why the synthetic province cannot be generated or removed."""


@dataclass
class Course:
    position: int
    page: object
    lessons: list = field(default_factory=list)  # [(lesson id, estimated minutes, check quiz or None)]
    final: object = None  # the final test QuizPage, if any


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- what exists ------------------------------------------------------------------------------------


def synthetic_learner_count() -> int:
    from learning.accounts.models import User

    return User.objects.filter(password=MARKER_PASSWORD).count()


def synthetic_campaigns():
    from learning.campaigns.models import Campaign

    return Campaign.objects.filter(province_id=PROVINCE, name__endswith=CAMPAIGN_SUFFIX)


def synthetic_exists() -> bool:
    from learning.accounts.models import User

    return User.objects.filter(password=MARKER_PASSWORD).exists() or synthetic_campaigns().exists()


# --- content ----------------------------------------------------------------------------------------


def content_ensure() -> list[Course]:
    """The localities, the target groups and the demo courses with their quizzes (created when missing, as
    ``load_localities`` and ``seed_demo`` do, without seed_demo's accounts); the first demo course is
    marked as the basic programme. Returns the demo courses in display order with their lessons and quizzes."""
    guard.ensure_bench_database()
    from courses.demo_content import COURSES, QUESTIONS_DIR
    from courses.models import CoursePage, LessonPage, QuizPage
    from courses.services import demo_course_ensure, demo_quizzes_ensure, site_ensure
    from learning.accounts.models import TargetGroup, TargetGroupCode
    from learning.localities.models import Commune
    from learning.localities.services import localities_load

    if not Commune.objects.filter(province_id=PROVINCE).exists():
        localities_load()
    for position, code in enumerate(TargetGroupCode.values):
        TargetGroup.objects.get_or_create(code=code, defaults={"position": position})
    _home, catalogue = site_ensure()
    pages = []
    for data in COURSES:
        course, _created = demo_course_ensure(catalogue=catalogue, data=data)
        demo_quizzes_ensure(course=course, gift=(QUESTIONS_DIR / f"{data['module']}.gift").read_bytes())
        pages.append(CoursePage.objects.get(pk=course.pk))
    first = pages[0]
    if not first.basic_programme:
        first.basic_programme = True
        first.save_revision().publish()
        pages[0] = CoursePage.objects.get(pk=first.pk)
    courses = []
    for position, page in enumerate(pages, start=1):
        course = Course(position=position, page=page)
        last_lesson = None
        for child in page.get_children().live().order_by("path").specific():
            if isinstance(child, LessonPage):
                course.lessons.append([child.pk, child.estimated_minutes or 10, None])
                last_lesson = course.lessons[-1]
            elif isinstance(child, QuizPage):
                if child.kind == "final_test" and course.final is None:
                    course.final = child
                elif child.kind == "lesson_check" and last_lesson is not None and last_lesson[2] is None:
                    last_lesson[2] = child
        course.lessons = course.lessons[:MAX_LESSONS]
        if course.lessons:
            courses.append(course)
    return courses


def snapshots(courses: list[Course], seed: int) -> list[tuple]:
    """A few real snapshots per quiz (drawn as an attempt would), which the attempts share:
    (quiz id, variant, graded question count, snapshot JSON)."""
    from courses import quiz_engine

    rows = []
    for course in courses:
        quizzes = [lesson[2] for lesson in course.lessons if lesson[2]] + ([course.final] if course.final else [])
        for quiz in quizzes:
            try:
                drawn = [
                    quiz_engine.snapshot_build(quiz, rng=random.Random(f"{seed}:{quiz.pk}:{variant}"))
                    for variant in range(SNAPSHOT_VARIANTS)
                ]
            except ValidationError:  # a quiz without questions: nobody attempts it
                continue
            for variant, snapshot in enumerate(drawn):
                graded = sum(1 for q in snapshot["questions"] if q["type"] in quiz_engine.GRADED_TYPES)
                rows.append((quiz.pk, variant, graded, json.dumps(snapshot, ensure_ascii=False)))
    return rows
