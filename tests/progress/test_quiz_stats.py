"""Editor statistics: answered counts, share fully correct, hardest questions per quiz."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Question
from learning.progress.models import AttemptAnswer, QuizAttempt
from learning.progress.quiz_services import answer_save, attempt_start, attempt_submit
from learning.progress.quiz_stats import question_answer_stats, quiz_hardest_questions, quizzes_with_attempt_counts
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    admin = django_user_model.objects.create_superuser("0900000009", "Mat-khau-2025!", full_name="Biên tập")
    client.force_login(admin)
    return admin


def attempt(user, quiz, answers: dict, *, status="submitted", number=1):
    """An attempt with the given {question: fraction or None} answers, made directly."""
    done = status == "submitted"
    row = QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        course=quiz.get_parent().specific,
        number=number,
        status=status,
        submitted_at=timezone.now() if done else None,
        passed=False if done else None,
        score_percent=Decimal(0) if done else None,
        pass_mark_percent=70,
        review_policy="score_only",
        snapshot={"questions": [{"key": str(q.pk), "type": q.type, "name": q.name} for q in answers]},
    )
    for question, fraction in answers.items():
        AttemptAnswer.objects.create(
            attempt=row,
            question_key=str(question.pk),
            response={},
            client_id=uuid.uuid4(),
            fraction=None if fraction is None else Decimal(str(fraction)),
        )
    return row


@pytest.fixture
def scene(make_course, make_user):
    course = make_course(lessons=1)
    quiz = make_quiz(course)
    other = make_quiz(course, category="Kiểm tra/An toàn", title="Bài kiểm tra khác", slug="kiem-tra-khac")
    by_name = {q.name: q for q in Question.objects.all()}
    q1, q2, q3 = by_name["Chọn một"], by_name["Chọn nhiều"], by_name["Trả lời ngắn"]
    a, b, c, d, e = (make_user() for _ in range(5))
    attempt(a, quiz, {q1: 1, q2: 0, q3: "0.5"})
    attempt(b, quiz, {q1: "1.0000000", q2: 1, q3: 0})
    attempt(c, quiz, {q1: 0, q2: None})  # q2 saved but never graded: not counted
    attempt(d, quiz, {q1: 0, q2: 0, q3: 0}, status="in_progress")  # not submitted: not counted
    attempt(e, other, {q2: 0})  # another quiz: counts for the question, not for this quiz
    return {"course": course, "quiz": quiz, "other": other, "q1": q1, "q2": q2, "q3": q3}


def test_question_answer_stats(scene):
    q1, q2, q3 = scene["q1"], scene["q2"], scene["q3"]
    stats = question_answer_stats([q1.pk, q2.pk, q3.pk, Question.objects.get(name="Số").pk])
    assert (stats[q1.pk].answered, stats[q1.pk].correct) == (3, 2)
    assert (stats[q2.pk].answered, stats[q2.pk].correct) == (3, 1)
    assert (stats[q3.pk].answered, stats[q3.pk].correct) == (2, 0)
    assert stats[q1.pk].share_correct == pytest.approx(2 / 3) and stats[q1.pk].percent_correct == 67
    assert len(stats) == 3  # never answered: absent
    assert question_answer_stats([]) == {}


def test_hardest_questions_of_a_quiz(scene):
    rows = quiz_hardest_questions(scene["quiz"])
    assert [(r.question, r.stats.answered, r.stats.correct) for r in rows] == [
        (scene["q3"], 2, 0),
        (scene["q2"], 2, 1),
        (scene["q1"], 3, 2),
    ]
    assert [r.question for r in quiz_hardest_questions(scene["quiz"], min_answers=3)] == [scene["q1"]]
    other = quiz_hardest_questions(scene["other"])
    assert [(r.question, r.stats.answered, r.stats.correct) for r in other] == [(scene["q2"], 1, 0)]


def test_hardest_questions_keep_deleted_questions(scene, make_user):
    ghost = AttemptAnswer.objects.filter(question_key=str(scene["q3"].pk)).first()
    AttemptAnswer.objects.create(
        attempt=ghost.attempt, question_key="999999", response={}, client_id=uuid.uuid4(), fraction=Decimal(0)
    )
    rows = quiz_hardest_questions(scene["quiz"])
    assert [r.question_key for r in rows][:2] == [str(scene["q3"].pk), "999999"]  # same share: most answered first
    assert rows[1].question is None and rows[1].name == "" and rows[1].stats.answered == 1


def test_quizzes_with_attempt_counts(scene):
    rows = {q.pk: q for q in quizzes_with_attempt_counts()}
    quiz = rows[scene["quiz"].pk]
    assert (quiz.submitted_attempts, quiz.open_attempts, quiz.passed_attempts) == (3, 1, 0)
    assert quiz.course_title == scene["course"].title
    assert rows[scene["other"].pk].submitted_attempts == 1


def test_stats_through_the_attempt_services(make_course, make_user):
    quiz = make_quiz(make_course(lessons=1))
    learner = make_user()
    started = attempt_start(user=learner, quiz=quiz).attempt
    true_false = Question.objects.get(name="Đúng sai")
    number = Question.objects.get(name="Số")
    answer_save(attempt=started, question_key=str(true_false.pk), response={"value": False}, client_id=uuid.uuid4())
    answer_save(attempt=started, question_key=str(number.pk), response={"value": "11"}, client_id=uuid.uuid4())
    assert question_answer_stats([true_false.pk]) == {}  # not submitted yet
    attempt_submit(attempt=started)
    stats = question_answer_stats([true_false.pk, number.pk])
    assert (stats[true_false.pk].answered, stats[true_false.pk].correct) == (1, 1)
    assert (stats[number.pk].answered, stats[number.pk].correct) == (1, 0)
    assert [r.question for r in quiz_hardest_questions(quiz)] == [number, true_false]


# --- admin pages --------------------------------------------------------------------------------


def test_quiz_listing_and_hardest_pages(client, editor, scene):
    page = client.get("/admin/question-bank/quizzes/").content.decode()
    assert scene["quiz"].title in page and scene["course"].title in page
    assert f"/admin/question-bank/quizzes/{scene['quiz'].pk}/hardest/" in page
    page = client.get(f"/admin/question-bank/quizzes/{scene['quiz'].pk}/hardest/").content.decode()
    positions = [page.index(scene[key].name) for key in ("q3", "q2", "q1")]
    assert positions == sorted(positions)
    assert "0%" in page and "50%" in page and "67%" in page
    assert f"/admin/snippets/courses/question/edit/{scene['q3'].pk}/" in page
    assert client.get("/admin/question-bank/quizzes/999999/hardest/").status_code == 404


def test_question_listing_shows_answer_stats(client, editor, scene):
    page = client.get("/admin/snippets/courses/question/").content.decode()
    assert "Answered" in page and "Fully correct" in page
    assert "67%" in page and "33%" in page and "0%" in page


def test_question_listing_does_not_query_per_question(client, editor, scene):
    client.get("/admin/snippets/courses/question/")  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/snippets/courses/question/").status_code == 200
    make_quiz(scene["course"], category="Kiểm tra/Thêm", title="Thêm", slug="them")  # 7 more questions
    assert Question.objects.count() == 14
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/snippets/courses/question/").status_code == 200
    assert len(many) == len(few)
    stats_queries = [q["sql"] for q in many.captured_queries if "progress_attemptanswer" in q["sql"]]
    assert len(stats_queries) == 1


def test_statistics_need_a_question_permission(client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/question-bank/quizzes/").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(user)
    assert client.get("/admin/question-bank/quizzes/").status_code == 200
