"""/api/v1/me/certificates/ (the caller's) and /api/v1/certificates/verify/<code>/ (public, throttled)."""

import pytest

from tests.certificates.conftest import HOLDER

pytestmark = pytest.mark.django_db


def test_my_certificates_lists_the_callers_own(certificate, api, make_user, settings):
    settings.SITE_URL = "https://hoc.example"
    assert api.get("/api/v1/me/certificates/").status_code in (401, 403)
    api.force_authenticate(make_user())
    assert api.get("/api/v1/me/certificates/").json()["results"] == []
    api.force_authenticate(certificate.holder)
    body = api.get("/api/v1/me/certificates/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["code"] == certificate.code and item["holder_name"] == HOLDER and item["valid"] is True
    assert item["course_id"] == certificate.course_id and item["course_title"] == certificate.course_title
    assert item["competences"][0] == {"code": "1.1", "name": certificate.competences[0][1]}
    assert item["verify_url"] == f"https://hoc.example/chung-nhan/{certificate.code}/"
    assert item["pdf_url"] == f"http://testserver/learning/certificates/{certificate.code}/pdf/"
    assert item["revoked_at"] is None and item["score_percent"] is None


def test_verify_answers_anyone_with_the_masked_data(certificate, api):
    response = api.get(f"/api/v1/certificates/verify/{certificate.code.lower()}/")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["holder"] == "Nguyễn V** A*"
    assert body["course_title"] == certificate.course_title and body["issuer"] == certificate.issuer
    assert body["completed_on"] == certificate.completed_on.isoformat()
    assert body["revoked_on"] is None and body["revoke_reason"] == ""
    assert HOLDER not in response.content.decode() and "912345678" not in response.content.decode()


@pytest.mark.parametrize("code", ["ABCDE23456", "abc", "x" * 200])
def test_verify_unknown_or_malformed_is_404(api, code):
    response = api.get(f"/api/v1/certificates/verify/{code}/")
    assert response.status_code == 404 and response.json()["detail"]


def test_verify_is_throttled_per_address(certificate, api, settings):
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 2
    url = f"/api/v1/certificates/verify/{certificate.code}/"
    assert [api.get(url).status_code for _i in range(2)] == [200, 200]
    response = api.get(url)
    assert response.status_code == 429 and response.json()["detail"] and int(response["Retry-After"]) > 0
    assert api.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_schema_describes_both(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/me/certificates/" in schema["paths"]
    verify = schema["paths"]["/api/v1/certificates/verify/{code}/"]["get"]
    assert verify["security"] == [{}] or {} in verify.get("security", [{}])
    assert "404" in verify["responses"] and "200" in verify["responses"]
