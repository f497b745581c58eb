"""Pages and API answers travel compressed: a cheap phone on a weak signal downloads a third of the bytes."""

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db


def test_a_lesson_page_travels_gzipped(client, learner, lessons):
    client.force_login(learner)
    plain = client.get(lessons[0].url)
    packed = client.get(lessons[0].url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert lessons[0].title in html
    print(f"lesson page: {len(plain.content)} bytes of HTML, {len(packed.content)} bytes on the wire")
    assert len(packed.content) < len(plain.content) / 2


def test_api_answers_travel_gzipped(learner_api, course):
    response = learner_api.get(f"/api/v1/courses/{course.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["id"] == course.pk


def test_each_compressed_page_differs_so_secrets_cannot_be_guessed_by_size(client, learner, lessons):
    """BREACH: Django's GZipMiddleware adds random bytes to each compressed answer, and the CSRF token a page
    carries is masked afresh on every request, so the length of a page does not reveal a secret on it."""
    client.force_login(learner)
    sizes = {len(client.get(lessons[0].url, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(6)}
    assert len(sizes) > 1
