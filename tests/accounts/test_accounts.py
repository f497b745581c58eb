import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError
from django.urls import reverse

from learning.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "phone": "0912.345.678",
    "full_name": "  Nguyễn   Văn An ",
    "province": "22",
    "commune": "06688",
    "target_groups": ["official", "party_member"],
    "password1": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}


def test_user_model_is_custom_and_phone_is_the_login(django_user_model):
    assert django_user_model is User
    assert User.USERNAME_FIELD == "phone"


def test_signup_creates_account_in_commune_with_groups_and_signs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+84912345678"
    assert user.full_name == "Nguyễn Văn An"
    assert user.commune_id == "06688"
    assert set(user.target_groups.values_list("code", flat=True)) == {"official", "party_member"}
    assert client.get(reverse("progress:my_learning")).status_code == 200


def test_signup_form_offers_the_default_provinces_communes_only(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert 'value="22" selected' in page
    assert "Phường Hạ Long" in page
    assert "Phường Ba Đình" not in page  # a Hà Nội ward


def test_no_js_province_refresh_keeps_input_and_lists_that_province(client):
    data = {**SIGNUP, "province": "01", "refresh_communes": "1"}
    page = client.post(reverse("accounts:signup"), data).content.decode()
    assert "Phường Ba Đình" in page and "Phường Hạ Long" not in page
    assert 'value="0912.345.678"' in page
    assert not User.objects.exists()


def test_commune_must_belong_to_the_chosen_province(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "province": "01"})
    assert response.status_code == 200
    assert "Choose a commune or ward of the chosen province" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "0203 3825 123"}, "phone", "landline"),
        ({"phone": "12345"}, "phone", "not a valid Vietnamese mobile"),
        ({"password2": "khac-hoan-toan"}, "password2", "do not match"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "numeric"),
        ({"target_groups": []}, "target_groups", "at least one"),
        ({"commune": "99999"}, "commune", "Choose a commune"),
    ],
)
def test_bad_signup_input_gets_a_message_on_the_field_and_writes_nothing(client, change, field, message):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not User.objects.exists()


def test_one_account_per_phone_in_any_format(client, make_user):
    make_user(phone="0912345678")
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "phone": "+84 912 345 678"})
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].errors["phone"])
    assert User.objects.count() == 1


def test_database_refuses_a_duplicate_phone(make_user):
    make_user(phone="0912345678")
    with pytest.raises(IntegrityError):
        User.objects.create(phone="+84912345678", full_name="Trùng")


@pytest.mark.parametrize("typed", ["0912 345 678", "+84912345678", "84912345678", "0912.345.678"])
def test_sign_in_with_phone_in_any_format(client, make_user, typed):
    make_user(phone="0912345678")
    response = client.post(reverse("accounts:login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert authenticate(phone=typed, password=PASSWORD) is not None


def test_sign_in_with_wrong_password_says_so(client, make_user):
    make_user(phone="0912345678")
    response = client.post(reverse("accounts:login"), {"username": "0912345678", "password": "sai"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_profile_changes_name_commune_and_groups(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Trần Thị Mới", "province": "22", "commune": "06652", "target_groups": ["student"]},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.commune_id) == ("Trần Thị Mới", "06652")
    assert list(learner.target_groups.values_list("code", flat=True)) == ["student"]


def test_profile_requires_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wagtail_user_admin_works_with_phone_accounts(client, learner):
    admin = User.objects.create_superuser("0900000009", PASSWORD, full_name="Quản trị")
    client.force_login(admin)
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/users/?q=Học").status_code == 200
    assert client.get("/admin/users/new/").status_code == 200
    assert client.get(f"/admin/users/edit/{learner.pk}/").status_code == 200
    response = client.post(
        "/admin/users/new/",
        {
            "phone": "0987 654 321",
            "full_name": "Biên tập viên",
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.filter(phone="+84987654321", full_name="Biên tập viên").exists()
