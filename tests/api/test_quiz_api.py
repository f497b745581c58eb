import json
import re
import uuid

import pytest

from learning.progress.models import AttemptAnswer, QuizAttempt
from learning.progress.quiz_ids import public_id
from tests.quiz_fixtures import GIFT, make_quiz

pytestmark = pytest.mark.django_db

# Everything that would tell a cheater which answer is right.
FORBIDDEN_KEYS = {"fraction", "weight", "correct", "is_correct", "accepted", "feedback", "answer", "numeric", "credit"}
FEEDBACK_TEXTS = [
    "Sai: ngân hàng không cấp VNeID",
    "VNeID do Bộ Công an cấp",
    "Sai rồi: không bao giờ đọc OTP",
    "không ai được hỏi OTP",
]


def keys_of(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def assert_no_leak(text: str, snapshot: dict):
    for phrase in FEEDBACK_TEXTS:
        assert phrase not in text
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if body is not None:
        assert not FORBIDDEN_KEYS & set(keys_of(body)), set(keys_of(body)) & FORBIDDEN_KEYS
    for item in snapshot["questions"]:
        if item["type"] == "matching":  # which option belongs to which item
            for pair in item["items"]:
                assert f'"{pair["id"]}": "{pair["answer"]}"' not in text
        if item["type"] == "short_answer":
            assert "Phường Hạ Long" not in text


def respond(item, *, right=True):
    if item["type"] == "single_choice":
        return {"choice": next(c["id"] for c in item["choices"] if (float(c["fraction"]) == 1) == right)}
    if item["type"] == "multiple_choice":
        return {"choices": [c["id"] for c in item["choices"] if float(c["fraction"]) > 0]}
    if item["type"] == "true_false":
        return {"value": False}
    if item["type"] == "short_answer":
        return {"text": "Hạ Long"}
    if item["type"] == "numerical":
        return {"value": "12"}
    return {"pairs": {i["id"]: i["answer"] for i in item["items"]}}


@pytest.fixture
def quiz(course):
    return make_quiz(course, time_limit_minutes=15, review_policy="full")


def test_full_attempt_leaks_nothing_before_submission(client, learner, quiz):
    """Every HTML page and API response served before submitting is scanned."""
    client.force_login(learner)
    seen = [client.get(quiz.url).content.decode()]
    seen.append(client.get(quiz.get_parent().url).content.decode())
    start = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", content_type="application/json")
    assert start.status_code == 201
    seen.append(start.content.decode())
    attempt = QuizAttempt.objects.get()
    seen.append(client.get(f"/learning/attempts/{attempt.pk}/").content.decode())
    seen.append(client.get(f"/api/v1/attempts/{attempt.pk}/").content.decode())
    for item in attempt.snapshot["questions"]:
        put = client.put(
            f"/api/v1/attempts/{attempt.pk}/answers/{public_id(attempt.pk, item['key'])}/",
            {"response": respond(item), "client_id": str(uuid.uuid4())},
            content_type="application/json",
        )
        assert put.status_code == 200, put.json()
        seen.append(put.content.decode())
    seen.append(client.get(f"/learning/attempts/{attempt.pk}/").content.decode())
    seen.append(client.get(f"/api/v1/attempts/{attempt.pk}/").content.decode())
    seen.append(client.get("/api/v1/me/attempts/").content.decode())
    seen.append(client.get(f"/api/v1/courses/{quiz.get_parent().pk}/").content.decode())
    for text in seen:
        assert_no_leak(text, attempt.snapshot)
    # After submitting, the review policy "full" shows the feedback.
    result = client.post(f"/api/v1/attempts/{attempt.pk}/submit/").json()
    assert result["score_percent"] == "100.00" and result["passed"] is True
    assert "VNeID do Bộ Công an cấp." in json.dumps(result, ensure_ascii=False)


def test_choice_ids_are_opaque_and_differ_per_attempt(api, make_user, quiz):
    bodies = []
    for _i in range(2):
        api.force_authenticate(make_user())
        bodies.append(api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json())
    ids = [
        {c["id"] for q in body["questions"] for c in q.get("choices", []) + q.get("items", []) + q.get("options", [])}
        for body in bodies
    ]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{8}", i) for i in ids[0])


def test_question_ids_are_opaque_and_differ_per_attempt(client, make_user, quiz, settings):
    """Two learners (or two attempts) never see the same id for a question, and no page shows a bank id."""
    bodies, pages, attempts = [], [], []
    for _i in range(2):
        client.force_login(make_user())
        bodies.append(client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json())
        attempts.append(QuizAttempt.objects.get(pk=bodies[-1]["id"]))
        pages.append(client.get(f"/learning/attempts/{bodies[-1]['id']}/").content.decode())
    ids = [{q["id"] for q in body["questions"]} for body in bodies]
    assert len(ids[0]) == len(bodies[0]["questions"]) and not ids[0] & ids[1]
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids[0] | ids[1])
    keys = {item["key"] for item in attempts[0].snapshot["questions"]}
    assert not keys & (ids[0] | ids[1])
    for key in keys:  # the plain form and the autosave script use the attempt's ids too
        assert f'data-question="{key}"' not in pages[1] and f'name="q-{key}"' not in pages[1]
    assert all(f'data-question="{i}"' in pages[1] for i in ids[1])
    # The review after submission speaks of the same ids.
    result = client.post(f"/api/v1/attempts/{bodies[1]['id']}/submit/").json()
    assert {row["question_id"] for row in result["questions"]} <= ids[1]
    # An id made before the site's secret was rotated still names its question.
    question_id = bodies[1]["questions"][0]["id"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    from learning.progress.quiz_ids import key_for

    assert key_for(attempts[1], question_id) == attempts[1].snapshot["questions"][0]["key"]
    assert key_for(attempts[1], "0" * 16) is None


def test_api_attempt_lifecycle(learner_api, quiz, course):
    start = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    body = start.json()
    assert start.status_code == 201 and body["deadline"] and 890 <= body["seconds_left"] <= 900
    again = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    attempt = QuizAttempt.objects.get()
    item = attempt.snapshot["questions"][0]
    request = {"response": respond(item), "client_id": str(uuid.uuid4())}
    qid = public_id(attempt.pk, item["key"])
    assert body["questions"][0]["id"] == qid
    url = f"/api/v1/attempts/{attempt.pk}/answers/{qid}/"
    assert learner_api.put(url, request, format="json").status_code == 200
    assert learner_api.put(url, request, format="json").status_code == 200  # a retry
    assert AttemptAnswer.objects.count() == 1
    saved = respond(item)
    if "choices" in saved:  # a multiple choice is stored as a set of ids, in a fixed order
        saved["choices"] = sorted(saved["choices"])
    assert learner_api.get(f"/api/v1/attempts/{attempt.pk}/").json()["answers"] == {qid: saved}
    first = learner_api.post(f"/api/v1/attempts/{attempt.pk}/submit/").json()
    second = learner_api.post(f"/api/v1/attempts/{attempt.pk}/submit/").json()
    assert first == second
    assert [q["outcome"] for q in first["questions"]].count("correct") == 1
    mine = learner_api.get("/api/v1/me/attempts/").json()
    assert [(a["id"], a["status"]) for a in mine] == [(attempt.pk, "submitted")]
    detail = learner_api.get(f"/api/v1/courses/{course.pk}/").json()
    assert detail["quizzes"] == [
        {
            "id": quiz.pk,
            "title": quiz.title,
            "kind": "lesson_check",
            "url": quiz.url,
            "best_score": first["score_percent"],
            "passed": False,
            "locked": False,
            "locked_reason": "",
            "pass_mark_percent": 70,
        }
    ]


def test_bad_answers_are_4xx_and_record_nothing(learner_api, make_user, quiz):
    from rest_framework.test import APIClient

    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    attempt_id = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    attempt = QuizAttempt.objects.get(pk=attempt_id)
    single = next(i for i in attempt.snapshot["questions"] if i["type"] == "single_choice")
    single_id = public_id(attempt.pk, single["key"])
    other_user = make_user()
    api.force_authenticate(other_user)
    other = QuizAttempt.objects.get(pk=api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])
    other_single = next(i for i in other.snapshot["questions"] if i["type"] == "single_choice")

    def put(question, response, attempt_pk=attempt_id, client=learner_api):
        return client.put(
            f"/api/v1/attempts/{attempt_pk}/answers/{question}/",
            {"response": response, "client_id": str(uuid.uuid4())},
            format="json",
        )

    cases = [
        (put("999999", {"choice": "x"}), 400, "not part of this attempt"),
        # The question's bank id, and its id in another learner's attempt, name nothing here.
        (put(single["key"], {"choice": single["choices"][0]["id"]}), 400, "not part of this attempt"),
        (put(public_id(other.pk, single["key"]), {"choice": "x"}), 400, "not part of this attempt"),
        (put(single_id, {"choice": other_single["choices"][0]["id"]}), 400, "not part of this question"),
        (put(single_id, {"choices": ["a"]}), 400, "wrong shape"),
        (put(single_id, "A"), 400, "wrong shape"),
        (put(single_id, {"choice": single["choices"][0]["id"]}, attempt_pk=other.pk), 404, "no attempt"),
    ]
    for response, code, words in cases:
        assert response.status_code == code, response.json()
        assert words in json.dumps(response.json())
    missing = learner_api.put(f"/api/v1/attempts/{attempt_id}/answers/{single_id}/", {"response": {}}, format="json")
    assert missing.status_code == 400 and "client_id" in missing.json()
    assert learner_api.get(f"/api/v1/attempts/{other.pk}/").status_code == 404
    assert learner_api.post(f"/api/v1/attempts/{other.pk}/submit/").status_code == 404
    assert not AttemptAnswer.objects.exists()
    learner_api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    late = put(single_id, {"choice": single["choices"][0]["id"]})
    assert late.status_code == 409 and late.json()["code"] == "submitted"
    assert not AttemptAnswer.objects.exists()


def test_attempt_limit_and_unknown_quiz(learner_api, course):
    quiz = make_quiz(course, max_attempts=1)
    attempt_id = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    learner_api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    refused = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert refused.status_code == 409 and refused.json()["code"] == "attempt_limit"
    assert learner_api.post("/api/v1/quizzes/987654/attempts/").status_code == 404
    assert QuizAttempt.objects.count() == 1


def test_quiz_api_needs_sign_in(api, quiz):
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 401
    assert api.get("/api/v1/me/attempts/").status_code == 401


def test_plain_html_quiz_without_javascript(client, learner, quiz):
    client.force_login(learner)
    page = client.get(quiz.url).content.decode()
    assert f'action="/learning/quizzes/{quiz.pk}/start/"' in page
    response = client.post(f"/learning/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    assert response["Location"] == f"/learning/attempts/{attempt.pk}/"
    form = {"form_id": str(uuid.uuid4()), "action": "submit"}
    for item in attempt.snapshot["questions"]:
        response_value = respond(item)
        name = f"q-{public_id(attempt.pk, item['key'])}"
        if item["type"] == "single_choice":
            form[name] = response_value["choice"]
        elif item["type"] == "multiple_choice":
            form[name] = response_value["choices"]
        elif item["type"] == "true_false":
            form[name] = "false"
        elif item["type"] in ("short_answer", "numerical"):
            form[name] = "Hạ Long" if item["type"] == "short_answer" else "12"
        else:
            for pair in item["items"]:
                form[f"{name}-{pair['id']}"] = pair["answer"]
    done = client.post(f"/learning/attempts/{attempt.pk}/", form)
    assert done["Location"] == f"/learning/attempts/{attempt.pk}/result/"
    result = client.get(done["Location"]).content.decode()
    assert "100.0%" in result and "Passed" in result  # one decimal, as on the quiz page
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.passed


def test_plain_html_bad_number_is_reported_and_nothing_submitted(client, learner, quiz):
    client.force_login(learner)
    client.post(f"/learning/quizzes/{quiz.pk}/start/")
    attempt = QuizAttempt.objects.get()
    numerical = next(i for i in attempt.snapshot["questions"] if i["type"] == "numerical")
    response = client.post(
        f"/learning/attempts/{attempt.pk}/",
        {"form_id": str(uuid.uuid4()), "action": "submit", f"q-{public_id(attempt.pk, numerical['key'])}": "mười hai"},
        follow=True,
    )
    assert "is not a number" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_gift_fixture_has_every_type():
    from courses.quizformats import parse_gift

    assert {q.type for q in parse_gift(GIFT).questions} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "description",
    }


def test_reading_an_attempt_whose_time_ran_out_closes_and_grades_it(learner_api, quiz):
    from datetime import timedelta

    from django.utils import timezone

    attempt_id = learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    QuizAttempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(minutes=1))
    body = learner_api.get(f"/api/v1/attempts/{attempt_id}/").json()
    assert body["status"] == "submitted" and body["result"]["score_percent"] == "0.00"
    assert QuizAttempt.objects.get(pk=attempt_id).closed_by == "timeout"
