"""Reads of published content."""

from django.db.models import Q

from learning.core.text import search_terms

from . import page_cache
from .models import CoursePage, LessonPage


def course_list(*, topic: str | None = None, parent=None):
    qs = CoursePage.objects.live().public().order_by("path")
    if parent is not None:
        qs = qs.child_of(parent)
    if topic:
        qs = qs.filter(topic=topic)
    return qs.select_related("cover_image")


def course_get(*, course_id: int) -> CoursePage:
    """A published course by id, outside any private section; ``CoursePage.DoesNotExist`` otherwise. The page
    is the one this process keeps (``page_cache``): read it, never change it."""
    course = page_cache.live_courses().get(course_id)
    if course is None:
        raise CoursePage.DoesNotExist
    return course


def lesson_get(*, lesson_id: int) -> LessonPage:
    """A published lesson of a published course by id; ``LessonPage.DoesNotExist`` otherwise."""
    lesson = LessonPage.objects.live().public().get(pk=lesson_id)
    if not CoursePage.objects.live().public().filter(pk=lesson.get_parent().pk).exists():
        raise LessonPage.DoesNotExist
    return lesson


def content_search(query: str, *, limit: int = 50) -> dict:
    """Courses and lessons whose text contains every word of ``query``, ignoring case and diacritics."""
    terms = search_terms(query)
    if not terms:
        return {"courses": CoursePage.objects.none(), "lessons": LessonPage.objects.none()}
    condition = Q()
    for term in terms:
        condition &= Q(search_folded__contains=term)
    courses = CoursePage.objects.live().public().filter(condition).order_by("path")[:limit]
    live_course_paths = list(CoursePage.objects.live().public().values_list("path", flat=True))
    lessons = LessonPage.objects.live().public().filter(condition).order_by("path")
    lessons = [lesson for lesson in lessons[: limit * 2] if lesson.path[:-4] in live_course_paths][:limit]
    return {"courses": courses, "lessons": lessons}
