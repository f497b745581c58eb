"""Headers every response carries (Content-Security-Policy, Permissions-Policy), Swagger UI from the site's own
static files, the Vietnamese error pages with the site's navigation, and DRF's messages in Vietnamese."""

import pytest
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation
from rest_framework import serializers

from learning.accounts.services import role_grant
from learning.site.headers import TEXT_SIZE_SCRIPT_HASH
from learning.urls import handler500 as site_handler500
from learning.urls import urlpatterns as site_urlpatterns


@pytest.fixture
def vi():
    return Client()  # a browser that asks for no language: Vietnamese


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_carry_csp_and_permissions_policy(vi, catalogue):
    response = vi.get("/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", TEXT_SIZE_SCRIPT_HASH]  # the one inline script, by its hash
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    api = vi.get("/api/v1/courses/")
    assert "Content-Security-Policy" in api and "Permissions-Policy" in api


def test_swagger_ui_comes_from_the_site_not_a_cdn(vi):
    page = vi.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html.replace(" ", "")  # no inline script: the start-up script is a file of its own
    script = vi.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_404_is_vietnamese_with_the_site_navigation(vi, catalogue):
    response = vi.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Không tìm thấy trang" in html
    assert 'class="site-header"' in html and 'aria-label="Menu chính"' in html


def test_organiser_403_is_the_site_page_never_the_bare_one(vi, make_user):
    vi.force_login(make_user())
    for url in ("/organiser/stats/", "/organiser/rosters/", "/organiser/stats/reports/"):
        response = vi.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "403 Forbidden" not in html and "<h1>Forbidden" not in html
        assert 'class="site-header"' in html and '<html lang="vi">' in html


def test_commune_organiser_on_reports_gets_the_site_403(vi, make_user):
    user = make_user()
    role_grant(user=user, role="commune_organiser", scope_codes=["06688"])
    vi.force_login(user)
    response = vi.get("/organiser/stats/reports/")
    assert response.status_code == 403 and 'class="site-header"' in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


def _database_away(request):
    from django.db import OperationalError

    raise OperationalError("connection refused")


urlpatterns = [
    path("boom/", _boom),
    path("database-away/", _database_away),
    path("api/v1/database-away/", _database_away),
    *site_urlpatterns,
]
handler500 = site_handler500


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_is_vietnamese_with_the_site_navigation(catalogue):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="vi">' in html and "Đã có lỗi xảy ra" in html
    assert 'class="site-header"' in html
    assert 'style="' not in html  # nothing the Content-Security-Policy would block


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_database_out_of_reach_is_503_with_retry_after_page_and_json(catalogue):
    client = Client(raise_request_exception=False)
    page = client.get("/database-away/")
    assert page.status_code == 503 and page["Retry-After"] == "15"
    assert "Vui lòng thử lại sau ít phút" in page.content.decode()
    api = client.get("/api/v1/database-away/")
    assert api.status_code == 503 and api["Retry-After"] == "15"
    assert api.json() == {"detail": "Dịch vụ tạm thời gián đoạn. Vui lòng thử lại sau ít phút."}


def test_drf_messages_are_vietnamese(make_user):
    """DRF's own messages in the site's language: its Vietnamese catalogue lacks them, the project's has them."""
    from rest_framework.exceptions import Throttled
    from rest_framework.test import APIClient

    from learning.api.errors import exception_handler

    api = APIClient()  # no Accept-Language: the site's language
    anonymous = api.get("/api/v1/me/progress/")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["detail"] == "Bạn chưa đăng nhập (thiếu thông tin xác thực)."
    api.force_authenticate(make_user())
    refused = api.delete("/api/v1/courses/")
    assert refused.status_code == 405 and refused.json()["detail"] == "Không cho phép phương thức “DELETE”."
    with translation.override("vi"):
        assert str(serializers.IntegerField().error_messages["invalid"]) == "Cần nhập một số nguyên hợp lệ."
        throttled = exception_handler(Throttled(wait=29.2), {})
    assert throttled.status_code == 429 and throttled["Retry-After"] == "30"
    assert throttled.data["detail"] == "Bạn đã gửi quá nhiều yêu cầu. Hãy thử lại sau 30 giây."
