import pytest

from learning.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
BODY = {
    "phone": "0912 345 678",
    "full_name": "Lê Văn Bình",
    "password": PASSWORD,
    "commune": "06688",
    "target_groups": ["official", "party_member"],
    "consent": True,
}


def test_register_then_get_a_token_and_use_it(api):
    response = api.post("/api/v1/auth/register/", BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+84912345678" and body["commune"] == "06688"
    assert sorted(body["target_groups"]) == ["official", "party_member"]
    assert "password" not in body

    response = api.post("/api/v1/auth/token/", {"phone": "84912345678", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/progress/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"phone": "0203 3825 123"}, "phone", "landline"),
        ({"phone": "abc"}, "phone", "only digits"),
        ({"commune": "99999"}, "commune", "Unknown commune code: 99999"),
        ({"target_groups": ["alien"]}, "target_groups", "not a valid choice"),
        ({"target_groups": []}, "target_groups", ""),
        ({"password": "123"}, "password", "too short"),
        ({"full_name": "   "}, "full_name", ""),
    ],
)
def test_register_bad_input_is_a_400_naming_the_field(api, change, field, words):
    response = api.post("/api/v1/auth/register/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert words in str(errors[field])
    assert not User.objects.exists()


def test_register_same_phone_twice_is_a_400(api):
    assert api.post("/api/v1/auth/register/", BODY, format="json").status_code == 201
    response = api.post("/api/v1/auth/register/", {**BODY, "phone": "+84912345678"}, format="json")
    assert response.status_code == 400
    assert "already exists" in str(response.json()["phone"])
    assert User.objects.count() == 1


def test_token_with_wrong_password_is_a_400(api, make_user):
    make_user(phone="0912345678")
    response = api.post("/api/v1/auth/token/", {"phone": "0912345678", "password": "sai"}, format="json")
    assert response.status_code == 400
    assert "not correct" in str(response.json())


def test_malformed_json_is_a_400_not_a_500(api):
    response = api.post("/api/v1/auth/register/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_localities_api(api):
    provinces = api.get("/api/v1/localities/provinces/").json()
    assert len(provinces) == 34 and {"code": "22", "name": "Tỉnh Quảng Ninh", "type": "tinh"} in provinces
    communes = api.get("/api/v1/localities/communes/", {"province": "22", "q": "ha long"}).json()
    assert [c["name"] for c in communes] == ["Phường Hạ Long"]
    assert len(api.get("/api/v1/localities/communes/", {"province": "22"}).json()) == 54
    response = api.get("/api/v1/localities/communes/", {"province": "99"})
    assert response.status_code == 400 and "province" in response.json()
