"""Hostile query strings and paths are a 4xx with a clear message, on every page and endpoint, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/api/v1/localities/communes/?q=h%00a",
    "/search/?q=a%00b",
    "/api/v1/stats/provinces/22%00/",
    "/api/v1/localities/communes/?q%00=ha",
    "/courses/%00/",
]
HUGE = "99999999999999999999"
INTEGER_URLS = [
    f"/api/v1/localities/communes/?limit={HUGE}",
    f"/api/v1/localities/communes/?offset={HUGE}",
    f"/api/v1/localities/communes/?offset=-{HUGE}",
    f"/api/v1/courses/?offset={'9' * 5000}",
    f"/search/?page={HUGE}",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_is_a_400_naming_it(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL byte" in response.content.decode()


@pytest.mark.parametrize("url", INTEGER_URLS)
def test_an_integer_too_large_for_the_database_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "must be a whole number no larger than 9223372036854775807" in response.content.decode()


def test_api_errors_are_json_and_pages_are_html(client):
    api = client.get("/api/v1/localities/communes/?q=h%00a")
    assert api["Content-Type"].startswith("application/json") and api.json()["code"] == "bad_request"
    page = client.get("/search/?q=a%00b")
    assert page["Content-Type"].startswith("text/html") and "<h1>Bad request</h1>" in page.content.decode()


def test_the_message_is_vietnamese_by_default(vi_client):
    response = vi_client.get("/search/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.content.decode() and "không được phép" in response.content.decode()


def test_large_offsets_within_an_integer_are_past_the_end(learner_api, course):
    for offset in ("9223372036854775807", "2147483648"):
        response = learner_api.get(f"/api/v1/courses/?offset={offset}&limit=99999999")
        assert response.status_code == 200 and response.json()["results"] == []
    assert learner_api.get("/api/v1/courses/?limit=99999999").json()["results"]


def test_ordinary_numbers_and_codes_still_work(client):
    assert client.get("/api/v1/localities/communes/?q=ha&limit=5&offset=0").status_code == 200
    assert client.get("/api/v1/localities/communes/?q=0912345678901").status_code == 200


def test_malformed_codes_in_the_path_are_404(api, make_user):
    from learning.accounts.services import role_grant

    organiser = make_user(groups=("official",))
    role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
    api.force_authenticate(organiser)
    for code in ("abc", "22x", "２２", "1" * 40):
        response = api.get(f"/api/v1/stats/provinces/{code}/")
        assert response.status_code in (403, 404), (code, response.status_code)
