"""What a learner downloads to read a course without signal: the course page, every lesson open to them, the
images and files those pages show, and (only when asked) the videos with their caption tracks.

Every entry carries its size in bytes, so the phone can say how much it will take before downloading, and a
version (the page's latest revision, a file's size) so a republished lesson is fetched again. Lessons still
locked for this learner are counted, not listed: the server would refuse them until the one before is done.
"""

from django.utils.translation import gettext as _

from .selectors import course_state

# What the site's templates put around a lesson's body (header, navigation, forms, footer), measured on
# the demo lessons; the body itself is measured by rendering it.
PAGE_FRAME_BYTES = 6000
_IMAGE_SPEC = "width-720|format-webp"  # courses/blocks/image.html
_COVER_SPEC = "fill-720x300|format-webp"  # courses/course_page.html
_POSTER_SPEC = "width-720"  # courses/blocks/video.html


def _file_size(field_file) -> int:
    try:
        return field_file.size
    except OSError:  # missing on this disk: the phone will find out when it fetches it
        return 0


def _rendition(image, spec: str) -> dict:
    rendition = image.get_rendition(spec)
    size = _file_size(rendition.file)
    return {"url": rendition.url, "size": size, "kind": "image", "version": str(size)}


def _document(document, kind: str) -> dict:
    size = document.file_size or _file_size(document.file)
    return {"url": document.url, "size": size or 0, "kind": kind, "version": str(size or 0)}


def _lesson_assets(lesson) -> tuple[list[dict], list[dict]]:
    """(images and files, videos with their captions) that ``lesson``'s body shows."""
    assets, videos = [], []
    for block in lesson.body:
        value = block.value
        if block.block_type == "image" and value.get("image"):
            assets.append(_rendition(value["image"], _IMAGE_SPEC))
        elif block.block_type == "download" and value.get("document"):
            assets.append(_document(value["document"], "file"))
        elif block.block_type == "video" and value.get("video"):
            video = _document(value["video"], "video")
            video["title"] = value.get("title") or lesson.title
            videos.append(video)
            if value.get("captions"):
                videos.append(_document(value["captions"], "captions"))
            if value.get("poster"):
                assets.append(_rendition(value["poster"], _POSTER_SPEC))
    return assets, videos


def _page(page, kind: str) -> dict:
    body = str(page.body) if kind == "lesson" else str(getattr(page, "intro", ""))
    return {
        "url": page.url,
        "size": PAGE_FRAME_BYTES + len(body.encode()),
        "kind": kind,
        "title": page.title,
        "version": str(page.latest_revision_id or page.pk),
    }


def course_offline_bundle(*, user, course) -> dict:
    """The course's pages and files to keep on the phone, for ``user`` (locks are per learner)."""
    state = course_state(user=user, course=course)
    items = [_page(course, "course")]
    if course.cover_image_id:
        items.append(_rendition(course.cover_image, _COVER_SPEC))
    videos, locked = [], 0
    for info in state.lessons:
        if info.locked:
            locked += 1
            continue
        items.append(_page(info.lesson, "lesson"))
        assets, lesson_videos = _lesson_assets(info.lesson)
        items.extend(assets)
        videos.extend(lesson_videos)
    seen, unique = set(), []
    for item in items:  # an image shown twice is downloaded once
        if item["url"] not in seen:
            seen.add(item["url"])
            unique.append(item)
    return {
        "course": {"id": course.pk, "title": course.title, "url": course.url},
        "items": unique,
        "size": sum(item["size"] for item in unique),
        "videos": videos,
        "videos_size": sum(video["size"] for video in videos),
        "locked": locked,
        "locked_note": (
            _("Lessons still locked are downloaded when you reach them: open this course again online.")
            if locked
            else ""
        ),
    }
