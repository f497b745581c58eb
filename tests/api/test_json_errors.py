"""Under /api/ every error is JSON — also the ones Django draws itself (unknown path, a failure outside DRF's
handler) — never an HTML page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)


def test_an_unknown_api_path_is_a_json_404(quiet_client):
    response = quiet_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unexpected_failure_is_a_json_500_in_the_visitors_language(monkeypatch, learner):
    from django.urls import resolve

    def broken(*args, **kwargs):
        raise RuntimeError("something after the commit")

    monkeypatch.setattr(resolve("/api/v1/me/progress/").func.cls, "get", broken)
    client = Client(raise_request_exception=False)  # no language asked for: Vietnamese
    client.force_login(learner)
    response = client.get("/api/v1/me/progress/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Máy chủ gặp lỗi. Vui lòng thử lại sau ít phút."}
    assert "<html" not in response.content.decode().lower()


def test_pages_outside_the_api_keep_their_html_error_pages(quiet_client):
    response = quiet_client.get("/learning/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_a_compressed_error_is_compressed_json():
    import gzip
    import json

    response = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT_ENCODING="gzip").get("/api/v1/" + "x" * 300 + "/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    body = gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    assert json.loads(body) == {"detail": "Not found."}
