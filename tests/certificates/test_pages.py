"""The public verification page, the learner's list, and the template tag other pages use."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from learning.accounts.services import role_grant
from learning.certificates.selectors import code_clean, mask_name
from learning.certificates.services import certificate_revoke
from tests.certificates.conftest import HOLDER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Tôn Nữ Hoàng Thị Phương Thảo", "Tôn N* H**** T** P***** T***"),
        ("Đặng  Thị   Ánh", "Đặng T** Á**"),
        ("Hùng", "H***"),
        ("Lê Y", "Lê Y"),
        ("", ""),
    ],
)
def test_names_are_masked_after_the_family_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("code", "clean"),
    [
        ("ABCDE23456", "ABCDE23456"),
        ("abcde 23456", "ABCDE23456"),
        (" ABCDE-23456 ", "ABCDE23456"),
        ("ABCDE2345", None),  # too short
        ("ABCDE234560", None),  # 0 is not in the alphabet
        ("ABCDEI3456", None),  # nor I
        ("../../etc/passwd", None),
        ("x" * 500, None),
        (None, None),
    ],
)
def test_codes_are_read_as_printed_or_refused(code, clean):
    assert code_clean(code) == clean


def verify_page(client, code):
    return client.get(f"/chung-nhan/{code}/")


def test_a_valid_certificate_shows_the_masked_name_and_what_was_completed(certificate, client):
    response = verify_page(client, certificate.code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is genuine and valid." in page
    assert "Nguyễn V** A*" in page and HOLDER not in page
    assert certificate.course_title in page and certificate.issuer in page
    assert certificate.completed_on.strftime("%-d/%-m/%Y") in page
    assert "4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư" in page
    assert "0912" not in page and "912345678" not in page  # no phone number
    assert response["Cache-Control"].startswith("max-age=0")
    assert verify_page(client, certificate.code.lower()).status_code == 200


def test_the_page_reads_the_frozen_copy(certificate, course_with_competences, client):
    course_with_competences.title = "Tên khóa học đã đổi"
    course_with_competences.save_revision().publish()
    page = verify_page(client, certificate.code).content.decode()
    assert "Tên khóa học đã đổi" not in page and certificate.course_title in page


def test_a_revoked_certificate_says_when_and_why(certificate, client, make_user):
    organiser = make_user()
    role_grant(user=organiser, role="commune_organiser", scope_codes=[certificate.holder.commune_id])
    certificate_revoke(certificate=certificate, by=organiser, reason="dishonesty", note="Thi hộ.")
    # Revoked at 20:00 UTC, which is already the next day in Vietnam: the page says the local date.
    type(certificate).objects.filter(pk=certificate.pk).update(revoked_at=dt.datetime(2026, 12, 7, 20, tzinfo=dt.UTC))
    page = verify_page(client, certificate.code).content.decode()
    assert "genuine and valid" not in page
    assert "This certificate was revoked on 8/12/2026" in page
    assert "Dishonesty in learning or in the final test" in page
    assert "Thi hộ." not in page and organiser.full_name not in page  # the note and who revoked stay inside


@pytest.mark.parametrize("code", ["ABCDE23456", "abc", "ABCDE234560", "%2E%2E", "x" * 300, "ẢBCDE23456"])
def test_unknown_or_malformed_codes_are_a_clear_404(client, code):
    response = verify_page(client, code)
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()


def test_the_not_found_page_is_vietnamese_by_default(vi_client):
    response = verify_page(vi_client, "ABCDE23456")
    assert response.status_code == 404 and "Không tìm thấy chứng nhận" in response.content.decode()


def test_lookups_are_limited_per_client_address(certificate, client, vi_client, settings):
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 3
    assert [verify_page(client, c).status_code for c in (certificate.code, "ABCDE23456", "abc")] == [200, 404, 404]
    response = verify_page(client, certificate.code)
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Too many certificates were checked" in response.content.decode()
    response = verify_page(vi_client, certificate.code)  # the same address
    assert response.status_code == 429 and "Vui lòng chờ một phút" in response.content.decode()
    other = client.get(f"/chung-nhan/{certificate.code}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_lookup_box_goes_to_the_code(client, certificate):
    assert client.get("/chung-nhan/").status_code == 200
    response = client.get("/chung-nhan/", {"code": f" {certificate.code[:5].lower()} {certificate.code[5:]} "})
    assert response.status_code == 302 and response["Location"] == f"/chung-nhan/{certificate.code}/"
    response = client.get("/chung-nhan/", {"code": "12"})
    assert response.status_code == 400 and "A verification code has 10 letters" in response.content.decode()


def test_the_learner_lists_their_certificates_with_the_pdf_and_the_check(certificate, client, make_user, settings):
    settings.SITE_URL = "https://hoc.example"
    assert client.get("/learning/certificates/").status_code == 302
    client.force_login(make_user())
    assert certificate.code not in client.get("/learning/certificates/").content.decode()
    client.force_login(certificate.holder)
    page = client.get("/learning/certificates/").content.decode()
    assert certificate.course_title in page
    assert f'href="/learning/certificates/{certificate.code}/pdf/"' in page
    assert f"https://hoc.example/chung-nhan/{certificate.code}/" in page
    assert "Download the certificate (PDF)" in page
    profile = client.get("/accounts/profile/").content.decode()
    assert 'href="/learning/certificates/"' in profile


def test_the_list_is_vietnamese(certificate, vi_client):
    vi_client.force_login(certificate.holder)
    page = vi_client.get("/learning/certificates/").content.decode()
    assert "Tải chứng nhận (PDF)" in page and "Chứng nhận của tôi" in page


def test_the_template_tag_gives_the_learners_certificate_for_a_course(certificate, course, make_user):
    template = Template("{% load certificate_tags %}{% certificate_for course as cert %}[{{ cert.code }}]")
    request = RequestFactory().get("/")
    request.user = certificate.holder
    assert template.render(Context({"request": request, "course": course})) == f"[{certificate.code}]"
    request.user = make_user()
    assert template.render(Context({"request": request, "course": course})) == "[]"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert template.render(Context({"request": request, "course": course})) == "[]"
