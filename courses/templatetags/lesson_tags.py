import uuid

from django import template

from learning.progress.timing import view_token

register = template.Library()


@register.simple_tag
def new_client_id() -> str:
    """A fresh id for one completion form: a double submit of the same form counts once."""
    return str(uuid.uuid4())


@register.simple_tag
def lesson_view_token(lesson_id: int) -> str:
    return view_token(lesson_id)
