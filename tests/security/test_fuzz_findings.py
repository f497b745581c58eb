"""What fuzzing the API (``make fuzz``) found, kept closed."""

import json
import uuid

import pytest

from learning.progress.models import AnswerSubmission, AttemptAnswer, QuizAttempt
from learning.progress.quiz_ids import public_id
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(learner_api, course):
    quiz = make_quiz(course)
    return QuizAttempt.objects.get(pk=learner_api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"])


def short_answer(attempt):
    return next(i for i in attempt.snapshot["questions"] if i["type"] == "short_answer")


# A NUL byte made PostgreSQL refuse the answer (500); a lone surrogate cannot be written as UTF-8 (500).
@pytest.mark.parametrize("text", ["Hạ\u0000Long", "Hạ Long\ud800"])
def test_an_answer_no_database_can_hold_is_a_400_over_the_api(learner_api, attempt, text):
    url = f"/api/v1/attempts/{attempt.pk}/answers/{public_id(attempt.pk, short_answer(attempt)['key'])}/"
    body = json.dumps({"response": {"text": text}, "client_id": str(uuid.uuid4())})
    response = learner_api.put(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "response" in response.json()
    assert not AttemptAnswer.objects.exists() and not AnswerSubmission.objects.exists()


def test_an_answer_with_a_nul_byte_is_refused_by_the_plain_form(client, learner, attempt):
    client.force_login(learner)
    name = f"q-{public_id(attempt.pk, short_answer(attempt)['key'])}"
    page = client.post(
        f"/learning/attempts/{attempt.pk}/", {"form_id": str(uuid.uuid4()), "action": "save", name: "a\x00b"}
    )
    assert page.status_code == 302
    assert not AttemptAnswer.objects.exists()
