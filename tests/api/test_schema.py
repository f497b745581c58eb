"""The OpenAPI schema documents every error an operation can give, in the shape the API really answers,
and the real formats of what it accepts."""

import re

import jsonschema
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
# Operations that answer 409 when the state forbids them (a locked lesson or quiz, a closed attempt).
# Read with an API key and nothing else: a missing, wrong or revoked key is 401, there is no 403.
KEY_ONLY = {("get", "/api/v1/open/daily-counts/")}
CONFLICTS = {
    ("post", "/api/v1/quizzes/{id}/attempts/"),
    ("put", "/api/v1/attempts/{id}/answers/{question_id}/"),
    ("post", "/api/v1/lessons/{id}/complete/"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def error_validator(schema):
    resolver_schema = {**schema["components"]["schemas"]["Error"], "components": schema["components"]}
    return jsonschema.Draft202012Validator(resolver_schema)


def test_every_operation_documents_its_4xx_answers(schema):
    seen = 0
    for method, path, operation in operations(schema):
        seen += 1
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert "400" in responses, where  # the request guard answers 400 anywhere
        secured = any(requirement for requirement in operation.get("security", [{}]))
        if secured:
            assert "401" in responses, where
        if secured and {} not in operation.get("security", []) and (method, path) not in KEY_ONLY:
            assert "403" in responses, where  # signing in is required: a permission can refuse
        if "{" in path:
            assert "404" in responses, where
        if (method, path) in CONFLICTS:
            assert "409" in responses, where
        for code, response in responses.items():
            if code.startswith("4"):
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (where, code)
                assert response["description"], (where, code)
    assert seen >= 30


def test_throttled_operations_document_429_with_retry_after(schema):
    throttled = {
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/auth/register/"),
        ("get", "/api/v1/certificates/verify/{code}/"),
    }
    for method, path, operation in operations(schema):
        if (method, path) in throttled:
            assert "Retry-After" in operation["responses"]["429"]["headers"], path
        elif path.startswith("/api/v1/courses/"):
            assert "429" not in operation["responses"], path


def test_input_formats_are_documented(schema):
    components = schema["components"]["schemas"]
    register = components["RegisterRequest"]["properties"]
    phone = register["phone"]["pattern"]
    for written in ("0912 345 678", "0912345678", "+84912345678", "0912.345.678"):
        assert re.search(phone, written), written
    assert not re.search(phone, "abc") and not re.search(phone, "")
    assert components["TokenRequestRequest"]["properties"]["phone"]["pattern"] == phone
    assert register["commune"]["pattern"] == "^[0-9]{5}$"
    assert register["target_groups"]["minItems"] == 1
    time_spent = components["LessonCompleteRequest"]["properties"]["time_spent_seconds"]
    assert (time_spent["minimum"], time_spent["maximum"]) == (0, 8 * 3600)
    parameters = {
        (path, p["name"]): p["schema"]
        for path, item in schema["paths"].items()
        for operation in item.values()
        for p in operation.get("parameters", [])
    }
    assert parameters[("/api/v1/stats/provinces/{code}/", "code")]["pattern"] == "^[0-9]{2}$"
    assert parameters[("/api/v1/stats/communes/{code}/", "code")]["pattern"] == "^[0-9]{5}$"
    assert parameters[("/api/v1/localities/communes/", "province")]["pattern"] == "^[0-9]{2}$"
    assert parameters[("/api/v1/organiser/assignments/", "commune")]["pattern"] == "^[0-9]{5}$"
    assert parameters[("/api/v1/attempts/{id}/answers/{question_id}/", "question_id")]["pattern"] == "^[0-9a-f]{16}$"


def test_real_error_bodies_have_the_documented_shape(schema, learner_api, course):
    from tests.quiz_fixtures import make_quiz

    validator = error_validator(schema)
    anonymous = APIClient()
    quiz = make_quiz(course, max_attempts=1)
    attempt = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    learner_api.post(f"/api/v1/attempts/{attempt['id']}/submit/")
    true_false = next(q for q in attempt["questions"] if q["type"] == "true_false")
    bodies = {
        400: anonymous.post("/api/v1/auth/register/", {"phone": "abc", "target_groups": []}, format="json"),
        "400 guard": anonymous.get("/api/v1/localities/communes/", {"q": "a\x00b"}),
        401: anonymous.get("/api/v1/me/progress/"),
        "401 token": APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/courses/"),
        403: learner_api.get("/api/v1/organiser/assignments/"),
        404: learner_api.get("/api/v1/attempts/999999/"),
        "404 path": learner_api.get("/api/v1/attempts/abc/"),
        409: learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/"),
        "409 answer": learner_api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{true_false['id']}/",
            {"response": {"value": True}, "client_id": "7a1c6f9e-3f63-4c1e-9d0b-2d7c3c7e2b11"},
            format="json",
        ),
    }
    for label, response in bodies.items():
        expected = int(str(label)[:3])
        assert response.status_code == expected, (label, response.status_code, response.content[:200])
        assert response["Content-Type"].startswith("application/json"), label
        validator.validate(response.json())
