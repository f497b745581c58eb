"""Organisers list the certificates of their communes' people and revoke one with a reason; nobody else's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from learning.accounts.services import role_grant
from learning.certificates.models import Certificate
from learning.certificates.services import certificate_revoke
from tests.certificates.conftest import HOLDER, complete_lessons

pytestmark = pytest.mark.django_db

HA_LONG, HA_TU = "06688", "06652"


@pytest.fixture
def organiser(make_user):
    user = make_user(commune=HA_LONG, full_name="Cán bộ Hạ Long")
    role_grant(user=user, role="commune_organiser", scope_codes=[HA_LONG])
    return user


@pytest.fixture
def outsider(make_user):
    user = make_user(commune=HA_TU, full_name="Cán bộ Hà Tu")
    role_grant(user=user, role="commune_organiser", scope_codes=[HA_TU])
    return user


@pytest.fixture
def neighbours_certificate(make_user, lessons):
    return complete_lessons(make_user(commune=HA_TU, full_name="Người Hà Tu"), lessons).certificate


def test_the_list_shows_only_the_organisers_communes(certificate, neighbours_certificate, organiser, client):
    client.force_login(organiser)
    page = client.get("/organiser/certificates/").content.decode()
    assert HOLDER in page and certificate.code in page
    assert "Người Hà Tu" not in page and neighbours_certificate.code not in page
    assert "Phường Hà Tu" not in page  # not even as a filter


def test_a_province_organiser_sees_the_whole_province(certificate, neighbours_certificate, make_user, client):
    provincial = make_user()
    role_grant(user=provincial, role="province_organiser", scope_codes=["22"])
    client.force_login(provincial)
    page = client.get("/organiser/certificates/").content.decode()
    assert certificate.code in page and neighbours_certificate.code in page
    page = client.get("/organiser/certificates/", {"commune": HA_TU}).content.decode()
    assert certificate.code not in page and neighbours_certificate.code in page


def test_filters_by_course_and_status(certificate, organiser, make_course, make_user, client):
    other_course = make_course(title="Khóa học khác")
    from courses.models import LessonPage

    other = complete_lessons(make_user(), list(LessonPage.objects.child_of(other_course).live().order_by("path")))
    certificate_revoke(certificate=other.certificate, by=organiser, reason="issued_in_error")
    client.force_login(organiser)
    page = client.get("/organiser/certificates/", {"course": other_course.pk}).content.decode()
    assert other.certificate.code in page and certificate.code not in page
    page = client.get("/organiser/certificates/", {"status": "valid"}).content.decode()
    assert certificate.code in page and other.certificate.code not in page
    page = client.get("/organiser/certificates/", {"status": "revoked"}).content.decode()
    assert other.certificate.code in page and certificate.code not in page and "Issued in error" in page


def test_bad_filters_are_explained_and_another_commune_is_refused(certificate, organiser, client):
    client.force_login(organiser)
    response = client.get("/organiser/certificates/", {"course": "abc", "status": "lost"})
    assert response.status_code == 400 and "Some filters were not understood" in response.content.decode()
    assert client.get("/organiser/certificates/", {"commune": HA_TU}).status_code == 403
    assert client.get("/organiser/certificates/", {"commune": "99999"}).status_code == 403


def test_learners_and_visitors_are_kept_out(certificate, client):
    assert client.get("/organiser/certificates/").status_code == 302
    client.force_login(certificate.holder)
    assert client.get("/organiser/certificates/").status_code == 403
    assert client.post(f"/organiser/certificates/{certificate.code}/revoke/", {"reason": "other"}).status_code == 403


def revoke_url(certificate):
    return f"/organiser/certificates/{certificate.code}/revoke/"


def test_revoking_needs_a_reason_and_is_recorded(certificate, organiser, client):
    client.force_login(organiser)
    page = client.get(revoke_url(certificate)).content.decode()
    assert HOLDER in page and "Why is the certificate revoked?" in page
    response = client.post(revoke_url(certificate), {"note": "?"})
    assert response.status_code == 400 and "Choose why the certificate is revoked." in response.content.decode()
    response = client.post(revoke_url(certificate), {"reason": "other", "note": "  "})
    assert response.status_code == 400 and "Explain the reason in a few words." in response.content.decode()
    response = client.post(revoke_url(certificate), {"reason": "made-up"})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    response = client.post(revoke_url(certificate), {"reason": "other", "note": "Người học đề nghị hủy."})
    assert response.status_code == 302 and response["Location"] == "/organiser/certificates/"
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == organiser
    assert (certificate.revoke_reason, certificate.revoke_note) == ("other", "Người học đề nghị hủy.")
    # Revoking again changes nothing and says so.
    first = certificate.revoked_at
    response = client.post(revoke_url(certificate), {"reason": "issued_in_error"})
    assert response.status_code == 409 and "already been revoked" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at == first and certificate.revoke_reason == "other"


def test_another_communes_organiser_cannot_see_or_revoke(certificate, outsider, client):
    client.force_login(outsider)
    assert client.get(revoke_url(certificate)).status_code == 404
    assert client.post(revoke_url(certificate), {"reason": "issued_in_error"}).status_code == 404
    assert client.get("/organiser/certificates/not-a-code/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, by=outsider, reason="issued_in_error")
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked


def test_the_service_refuses_a_missing_or_unknown_reason(certificate, organiser):
    for reason, note in (("", ""), ("lost", ""), ("other", ""), ("issued_in_error", "x" * 1001)):
        with pytest.raises(ValidationError):
            certificate_revoke(certificate=certificate, by=organiser, reason=reason, note=note)
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked


def test_the_revoke_page_is_vietnamese(certificate, organiser, vi_client):
    vi_client.force_login(organiser)
    page = vi_client.get(revoke_url(certificate)).content.decode()
    assert "Thu hồi chứng nhận" in page
