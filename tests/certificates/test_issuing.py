"""A certificate is issued once, when a course is completed, and never otherwise; it keeps what it printed."""

import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.models import Competence
from learning.certificates import models as certificate_models
from learning.certificates.models import Certificate
from learning.certificates.services import certificate_issue
from learning.core.events import publish, subscribers
from learning.progress import quiz_services
from learning.progress.events import CourseCompleted
from learning.progress.models import Enrolment
from learning.progress.services import enrolment_ensure, lesson_complete
from tests.certificates.conftest import HOLDER, complete_lessons
from tests.progress.test_quiz_attempts import answer_all_right
from tests.quiz_fixtures import make_quiz

pytestmark = pytest.mark.django_db


def test_the_subscription_is_connected():
    from learning.certificates import subscriptions

    assert subscriptions._course_completed in subscribers(CourseCompleted)


def test_completing_the_last_lesson_issues_one_certificate_with_what_it_prints(
    holder, course_with_competences, lessons, settings
):
    settings.CERTIFICATE_ISSUER = "Ban Chỉ đạo xã Thử"
    settings.CERTIFICATE_SIGNER = "Trưởng ban|Trần Văn Ký"
    for lesson in lessons[:-1]:
        lesson_complete(user=holder, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)
    assert not Certificate.objects.exists()
    lesson_complete(user=holder, lesson=lessons[-1], client_id=uuid.uuid4(), time_spent_seconds=60)
    certificate = Certificate.objects.get()
    enrolment = Enrolment.objects.get(user=holder)
    assert certificate.enrolment == enrolment and certificate.holder == holder
    assert certificate.course_id == course_with_competences.pk
    assert certificate.holder_name == HOLDER
    assert certificate.course_title == course_with_competences.title
    assert [code for code, _name in certificate.competences] == ["1.1", "4.2", "6.1"]
    assert certificate.competences[1][1] == Competence.objects.get(code="4.2").name
    assert certificate.completed_on == timezone.localdate(enrolment.completed_at)
    assert certificate.issuer == "Ban Chỉ đạo xã Thử"
    assert certificate.signer_lines == ["Trưởng ban", "Trần Văn Ký"]
    assert certificate.score_percent is None  # no final test
    assert len(certificate.code) == 10 and set(certificate.code) <= set(certificate_models.CODE_ALPHABET)
    assert not certificate.is_revoked


def test_passing_the_final_test_completes_the_course_and_issues_it_with_the_score(holder, course, lessons):
    final = make_quiz(course, kind="final_test", pass_mark_percent=80)
    complete_lessons(holder, lessons)
    assert not Certificate.objects.exists()  # lessons done, the test not passed yet
    failed = quiz_services.attempt_start(user=holder, quiz=final).attempt
    assert not quiz_services.attempt_submit(attempt=failed).passed
    assert not Certificate.objects.exists()
    passing = quiz_services.attempt_start(user=holder, quiz=final).attempt
    answer_all_right(passing)
    assert quiz_services.attempt_submit(attempt=passing).passed
    certificate = Certificate.objects.get()
    assert certificate.score_percent == Decimal("100.00")
    # submitting the passed attempt again changes nothing
    quiz_services.attempt_submit(attempt=passing)
    assert Certificate.objects.count() == 1


def test_no_certificate_without_completion(holder, course, lessons):
    final = make_quiz(course, kind="final_test", pass_mark_percent=80)
    lesson_complete(user=holder, lesson=lessons[0], client_id=uuid.uuid4(), time_spent_seconds=60)
    enrolment = Enrolment.objects.get(user=holder)
    with pytest.raises(ValidationError):
        certificate_issue(enrolment=enrolment)
    # An announcement of a completion that the database does not hold issues nothing either.
    enrolment.completed_at = timezone.now()  # not saved
    with pytest.raises(ValidationError):
        publish(CourseCompleted(enrolment=enrolment))
    # Every lesson done, the final test failed: still not complete.
    complete_lessons(holder, lessons[1:])
    quiz_services.attempt_submit(attempt=quiz_services.attempt_start(user=holder, quiz=final).attempt)
    call_command("issue_certificates", stdout=io.StringIO())
    assert not Certificate.objects.exists()


def test_replays_and_repeated_announcements_make_one_certificate(holder, lessons):
    ids = [uuid.uuid4() for _lesson in lessons]
    for lesson, client_id in zip(lessons, ids, strict=True):
        lesson_complete(user=holder, lesson=lesson, client_id=client_id, time_spent_seconds=60)
    first = Certificate.objects.get()
    for lesson, client_id in zip(lessons, ids, strict=True):  # the same requests again
        lesson_complete(user=holder, lesson=lesson, client_id=client_id, time_spent_seconds=60)
    enrolment = Enrolment.objects.get(user=holder)
    publish(CourseCompleted(enrolment=enrolment))
    again, created = certificate_issue(enrolment=enrolment)
    assert not created and again == first
    assert Certificate.objects.count() == 1 and Certificate.objects.get().code == first.code


def test_a_taken_code_is_drawn_again(holder, make_user, lessons, monkeypatch):
    taken = complete_lessons(make_user(), lessons).certificate.code
    codes = iter([taken, "ABCDE23456"])
    monkeypatch.setattr("learning.certificates.services.new_code", lambda: next(codes))
    assert complete_lessons(holder, lessons).certificate.code == "ABCDE23456"


def test_the_frozen_copy_outlives_changes_to_the_course_the_person_and_the_settings(
    certificate, course_with_competences, holder, settings
):
    course = course_with_competences
    course.title = "Tên khóa học đã đổi"
    course.competences.set(Competence.objects.filter(code="3.4"))
    course.save_revision().publish()
    holder.full_name = "Người Khác Hẳn"
    holder.save()
    settings.CERTIFICATE_ISSUER = "Đơn vị khác"
    certificate.refresh_from_db()
    assert certificate.course_title != course.title and certificate.holder_name == HOLDER
    assert [code for code, _name in certificate.competences] == ["1.1", "4.2", "6.1"]
    assert certificate.issuer == "Ban Chỉ đạo Bình dân học vụ số tỉnh Quảng Ninh"


def test_the_backfill_issues_what_is_missing_once(holder, make_user, course, lessons):
    other = make_user(full_name="Lê Thị Bù")
    complete_lessons(holder, lessons)
    complete_lessons(other, lessons)
    Certificate.objects.filter(holder=other).delete()  # completed before certificates existed
    enrolment_ensure(user=make_user(), course=course)  # started, not completed
    out = io.StringIO()
    call_command("issue_certificates", stdout=out)
    assert out.getvalue().splitlines() == ["1 certificate(s) issued; 1 completed course(s) already had one."]
    assert Certificate.objects.get(holder=other).holder_name == "Lê Thị Bù"
    out = io.StringIO()
    call_command("issue_certificates", stdout=out)
    assert out.getvalue().splitlines() == ["0 certificate(s) issued; 2 completed course(s) already had one."]
    assert Certificate.objects.count() == 2


def test_the_database_keeps_one_certificate_per_enrolment(certificate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            holder=certificate.holder,
            course=certificate.course,
            enrolment=certificate.enrolment,
            holder_name="X",
            course_title="Y",
            completed_on=certificate.completed_on,
            issuer="Z",
        )


@pytest.mark.parametrize(
    "change",
    [
        {"code": "abc"},  # not a code
        {"revoked_at": timezone.now()},  # revoked without a reason
        {"revoke_reason": "issued_in_error"},  # a reason without a revocation
        {"revoked_at": timezone.now(), "revoke_reason": "other"},  # "other" without a note
        {"score_percent": Decimal("101")},
    ],
    ids=str,
)
def test_the_database_refuses_inconsistent_rows(certificate, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(**change)


def at_once(job, n=4) -> list:
    """``job()`` run by ``n`` threads released together, each on its own connection; their results."""
    barrier = threading.Barrier(n)

    def run():
        barrier.wait()
        try:
            return job()
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(run) for _i in range(n)]
    return [future.result() for future in futures]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_make_one_certificate(make_user):
    from courses.models import CoursePage
    from courses.services import site_ensure
    from tests.conftest import migrated_rows_ensure

    migrated_rows_ensure()
    course = site_ensure()[1].add_child(instance=CoursePage(title="Đồng thời", slug="dong-thoi", intro=".", topic="ai"))
    enrolment = Enrolment.objects.create(user=make_user(), course=course, completed_at=timezone.now())

    def issue():
        with transaction.atomic():
            return certificate_issue(enrolment=enrolment)

    results = at_once(issue)
    assert sum(created for _certificate, created in results) == 1
    assert len({certificate.pk for certificate, _created in results}) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
