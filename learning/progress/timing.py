"""Time spent on a lesson page, measured by the server: the page carries a signed timestamp
of when it was served, and the completion form sends it back."""

import time

from django.conf import settings
from django.core import signing

_SALT = "lesson-view"


def view_token(lesson_id: int) -> str:
    return signing.dumps({"l": lesson_id, "t": int(time.time())}, salt=_SALT)


def seconds_since(token: str, lesson_id: int) -> int:
    """Seconds since the page was served, capped to the longest lesson; 0 when the token is bad."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=settings.MAX_LESSON_SECONDS * 3)
    except signing.BadSignature:
        return 0
    if data.get("l") != lesson_id:
        return 0
    return max(0, min(int(time.time()) - int(data.get("t", 0)), settings.MAX_LESSON_SECONDS))
