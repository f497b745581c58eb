"""Learner-aware serving of content pages.

Content pages (``courses``) know nothing of learners. What a learner's state changes about serving them
lives here: a lesson locked for this learner answers 403 with a way back (``wagtail_hooks`` calls
:func:`locked_lesson_response` before Wagtail serves the page), and the state worked out for that check
is kept on the request, so the page's template (``progress_tags``) reads it without a second query.
"""

from django.template.response import TemplateResponse

from courses.models import LessonPage

from .selectors import LessonState, lesson_state

_REQUEST_ATTR = "_progress_lesson_states"


def lesson_state_for(request, lesson) -> LessonState:
    """The learner's state of ``lesson``, worked out once per request."""
    states = request.__dict__.setdefault(_REQUEST_ATTR, {})
    if lesson.pk not in states:
        states[lesson.pk] = lesson_state(user=request.user, lesson=lesson)
    return states[lesson.pk]


def locked_lesson_response(page, request) -> TemplateResponse | None:
    """A 403 page naming the lesson to finish first, when ``page`` is a lesson locked for this learner."""
    if not isinstance(page, LessonPage):
        return None
    state = lesson_state_for(request, page)
    if not state.locked:
        return None
    return TemplateResponse(request, "courses/lesson_locked.html", {"page": page, "state": state}, status=403)
