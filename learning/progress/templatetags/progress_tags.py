"""What a learner sees of their own progress on the content pages (``courses/templates/courses/``).

Content pages know nothing of learners: their templates ask these tags for the learner's state.
"""

import uuid

from django import template

from learning.progress.quiz_selectors import quiz_overview as _quiz_overview
from learning.progress.selectors import course_state as _course_state
from learning.progress.serving import lesson_state_for
from learning.progress.timing import view_token

register = template.Library()


@register.simple_tag
def new_client_id() -> str:
    """A fresh id for one completion form: a double submit of the same form counts once."""
    return str(uuid.uuid4())


@register.simple_tag
def lesson_view_token(lesson_id: int) -> str:
    return view_token(lesson_id)


@register.simple_tag(takes_context=True)
def course_state(context, course):
    """The learner's state in ``course`` (lessons, locks, final tests), as a ``CourseState``."""
    return _course_state(user=context["request"].user, course=course)


@register.simple_tag(takes_context=True)
def lesson_state(context, lesson):
    """The learner's state of ``lesson``; reuses the one worked out when the page was served."""
    return lesson_state_for(context["request"], lesson)


@register.simple_tag(takes_context=True)
def quiz_overview(context, quiz):
    """The learner's attempts at ``quiz`` and whether they may start one now."""
    return _quiz_overview(user=context["request"].user, quiz=quiz)
