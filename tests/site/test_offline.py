"""The installable, offline site on the server's side: the manifest, the service worker (root scope, versioned
by the release), the offline page, what a course download contains, the completion form's answer to a
replay made by the phone, the page's mark of whom it was made for, and the inline script's hash in the CSP."""

import io
import json
import re
import uuid

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from learning.progress.models import LessonCompletion
from learning.progress.timing import view_token
from learning.site import pwa
from learning.site.headers import TEXT_SIZE_SCRIPT, TEXT_SIZE_SCRIPT_HASH


def png() -> ImageFile:
    buf = io.BytesIO()
    PILImage.new("RGB", (800, 400), "#b91c1c").save(buf, "PNG")
    return ImageFile(buf, name="anh.png")


def test_manifest_names_the_site_in_vietnamese_with_its_icons(client, settings):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["name"] == "Bình dân học vụ số" and body["lang"] == "vi" and body["start_url"] == "/"
    assert body["theme_color"] == "#b91c1c"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_service_worker_is_served_from_the_root_and_versioned_by_the_release(client, settings, tmp_path):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "max-age=300"
    text = response.content.decode()
    version = re.search(r'VERSION = "(\w+)"', text).group(1)
    assert version == pwa.release_version()
    assert "/static/css/site.css" in text and reverse("offline") in text
    # what never touches the cache
    for prefix in ("organiser", "admin", "api", "accounts", "learning"):
        assert prefix in re.search(r"NETWORK_ONLY = (.*);", text).group(1)
    # another release (a changed static file) is another worker
    (tmp_path / "extra.css").write_text("p{}")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    pwa.release_version.cache_clear()
    try:
        assert pwa.release_version() != version
    finally:
        pwa.release_version.cache_clear()


def test_pages_link_the_manifest_and_allow_only_their_inline_script_by_hash(client, catalogue):
    response = client.get("/")
    html = response.content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f"<script>{TEXT_SIZE_SCRIPT}</script>" in html
    policy = response["Content-Security-Policy"]
    assert TEXT_SIZE_SCRIPT_HASH in policy and "'unsafe-inline'" not in policy
    assert 'data-viewer="-"' in html  # made for nobody


def test_viewer_mark_is_one_per_person_and_says_nothing_of_who(client, make_user, catalogue):
    first, second = make_user(), make_user()
    client.force_login(first)
    mark = re.search(r'data-viewer="(\w+)"', client.get("/").content.decode()).group(1)
    assert mark == pwa.viewer_mark(first) != pwa.viewer_mark(second)
    assert str(first.pk) != mark and first.phone not in mark


def test_offline_page_is_vietnamese_and_lists_downloads_by_script(vi_client, catalogue):
    response = vi_client.get("/offline/")
    html = response.content.decode()
    assert response.status_code == 200 and "Không có mạng" in html and "data-offline-list" in html


def test_course_download_lists_pages_images_files_and_videos_apart(client, make_course, make_user):
    course = make_course(sequential=False, lessons=2)
    lesson = course.get_children().live().specific().order_by("path").first()
    image = Image.objects.create(title="Ảnh", file=png())
    video = Document.objects.create(title="Video", file=ContentFile(b"\0" * 5000, name="bai.mp4"))
    captions = Document.objects.create(title="Phụ đề", file=ContentFile(b"WEBVTT\n", name="bai.vtt"))
    lesson.body = [
        ("rich_text", "<p>Đoạn văn.</p>"),
        ("image", {"image": image, "alt_text": "Một bức ảnh", "caption": ""}),
        ("video", {"video": video, "captions": captions, "captions_language": "vi", "title": "Xem video"}),
    ]
    lesson.save_revision().publish()
    client.force_login(make_user())
    response = client.get(reverse("course_offline", args=[course.pk]))
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    body = json.loads(response.content)
    kinds = [item["kind"] for item in body["items"]]
    assert kinds.count("lesson") == 2 and kinds.count("course") == 1 and "image" in kinds
    assert all(item["size"] > 0 for item in body["items"])
    assert body["size"] == sum(item["size"] for item in body["items"])
    assert {v["kind"] for v in body["videos"]} == {"video", "captions"}
    assert body["videos_size"] >= 5000 and "video" not in kinds  # videos only when the learner asks
    page = next(item for item in body["items"] if item["url"] == lesson.url)
    lesson.refresh_from_db()
    assert page["version"] == str(lesson.latest_revision_id)  # a republished lesson is fetched again


def test_course_download_leaves_out_locked_lessons_and_404s_an_unknown_course(client, make_course, make_user):
    course = make_course(sequential=True, lessons=3)
    client.force_login(make_user())
    body = json.loads(client.get(reverse("course_offline", args=[course.pk])).content)
    assert [item["kind"] for item in body["items"]].count("lesson") == 1 and body["locked"] == 2
    assert body["locked_note"]
    assert client.get(reverse("course_offline", args=[999999])).status_code == 404


def test_completion_replayed_by_the_phone_gets_a_readable_answer(client, make_course, make_user):
    accept = "application/json"
    course = make_course(sequential=True, lessons=2)
    first, second = list(course.get_children().live().specific().order_by("path"))
    user = make_user()
    client.force_login(user)
    data = {"client_id": str(uuid.uuid4()), "view_token": view_token(first.pk)}
    url = reverse("progress:lesson_complete", args=[first.pk])
    created = client.post(url, data, HTTP_ACCEPT=accept)
    assert created.status_code == 201 and created.json() == {"completed": True, "created": True}
    again = client.post(url, data, HTTP_ACCEPT=accept)  # the same replay: nothing more
    assert again.status_code == 200 and LessonCompletion.objects.filter(user=user).count() == 1
    second.unpublish()
    gone = client.post(
        reverse("progress:lesson_complete", args=[second.pk]),
        data | {"client_id": str(uuid.uuid4())},
        HTTP_ACCEPT=accept,
    )
    assert gone.status_code == 404 and gone.json()["lesson"]


def test_completion_replay_for_a_locked_lesson_is_409_with_the_reason(client, make_course, make_user):
    course = make_course(sequential=True, lessons=2)
    second = list(course.get_children().live().specific().order_by("path"))[1]
    client.force_login(make_user())
    response = client.post(
        reverse("progress:lesson_complete", args=[second.pk]),
        {"client_id": str(uuid.uuid4()), "view_token": view_token(second.pk)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409 and "locked" in response.json()["lesson"][0]


def test_completion_form_without_javascript_still_redirects(client, make_course, make_user):
    course = make_course(sequential=False, lessons=2)
    first = list(course.get_children().live().specific().order_by("path"))[0]
    client.force_login(make_user())
    response = client.post(
        reverse("progress:lesson_complete", args=[first.pk]),
        {"client_id": str(uuid.uuid4()), "view_token": view_token(first.pk)},
    )
    assert response.status_code == 302
