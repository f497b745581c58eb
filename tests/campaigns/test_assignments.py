import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from learning.accounts.services import role_grant, user_update_profile
from learning.campaigns.models import Assignment, AssignmentMember
from learning.campaigns.services import assignment_populate
from learning.localities.models import Commune
from learning.progress.services import enrolment_ensure, lesson_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(course):
    a = Assignment.objects.create(
        title="Kỹ năng số cho cán bộ",
        target_group_id="official",
        province_id="22",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    a.courses.set([course])
    return a


def finish(user, course):
    for lesson in course.lessons():
        lesson_complete(user=user, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=60)


def status_of(user, assignment):
    return AssignmentMember.objects.get(user=user, assignment=assignment).status()


def test_people_in_the_group_and_scope_get_the_assignment(make_user, assignment):
    official = make_user(groups=["official", "party_member"])
    citizen = make_user(groups=["citizen"])
    elsewhere = make_user(groups=["official"], commune="00004")  # Hà Nội
    AssignmentMember.objects.all().delete()  # as if the assignment were created after they registered
    assert assignment_populate(assignment=assignment) == 1
    assert assignment_populate(assignment=assignment) == 0
    assert list(AssignmentMember.objects.values_list("user", flat=True)) == [official.pk]
    assert not AssignmentMember.objects.filter(user__in=[citizen, elsewhere]).exists()


def test_status_moves_from_not_started_to_completed(make_user, assignment, course):
    official = make_user(groups=["official"])
    assignment_populate(assignment=assignment)
    assert status_of(official, assignment) == "not_started"
    enrolment_ensure(user=official, course=course)
    assert status_of(official, assignment) == "in_progress"
    finish(official, course)
    assert status_of(official, assignment) == "completed"


def test_overdue_and_completed_late(make_user, assignment, course):
    official = make_user(groups=["official"])
    assignment_populate(assignment=assignment)
    Assignment.objects.filter(pk=assignment.pk).update(deadline=date(2025, 1, 1))
    assert status_of(official, assignment) == "overdue"
    finish(official, course)
    assert status_of(official, assignment) == "completed_late"


def test_joining_the_group_or_moving_in_later_brings_the_assignment(make_user, assignment):
    person = make_user(groups=["citizen"], commune="00004")
    assignment_populate(assignment=assignment)
    assert not AssignmentMember.objects.exists()
    user_update_profile(
        user=person, full_name=person.full_name, commune=Commune.objects.get(code="06688"), target_groups=["official"]
    )
    assert status_of(person, assignment) == "not_started"
    newcomer = make_user(groups=["official"])  # registering puts them in straight away
    assert AssignmentMember.objects.filter(user=newcomer, assignment=assignment).exists()


def test_leaving_keeps_what_was_completed(make_user, assignment, course, make_course):
    done, not_done = make_user(groups=["official"]), make_user(groups=["official"])
    assignment_populate(assignment=assignment)
    finish(done, course)
    for person in (done, not_done):
        user_update_profile(
            user=person,
            full_name=person.full_name,
            commune=Commune.objects.get(code="06688"),
            target_groups=["citizen"],
        )
    kept = AssignmentMember.objects.get(user=done)
    assert kept.completed_at is not None and kept.left_at is None and kept.status() == "completed"
    assert AssignmentMember.objects.get(user=not_done).left_at is not None


def test_me_assignments_api(learner_api, learner, assignment):
    user_update_profile(user=learner, full_name=learner.full_name, commune=learner.commune, target_groups=["official"])
    body = learner_api.get("/api/v1/me/assignments/").json()
    assert [(a["id"], a["status"], a["deadline"]) for a in body] == [
        (assignment.pk, "not_started", assignment.deadline.isoformat())
    ]


def test_home_page_shows_mandatory_modules(client, learner, assignment):
    user_update_profile(user=learner, full_name=learner.full_name, commune=learner.commune, target_groups=["official"])
    client.force_login(learner)
    page = client.get("/").content.decode()
    assert "Mandatory" in page and "Kỹ năng số cho cán bộ" in page and "Not started" in page


class TestOrganiserScope:
    """Each organiser role × the organiser endpoint × inside / outside its scope."""

    @pytest.fixture
    def people(self, make_user, assignment):
        inside = make_user(groups=["official"], commune="06688", full_name="Người Hạ Long")
        outside = make_user(groups=["official"], commune="06652", full_name="Người Hà Tu")
        assignment_populate(assignment=assignment)
        return inside, outside

    def call(self, api, user, **params):
        api.force_authenticate(user)
        return api.get("/api/v1/organiser/assignments/", params)

    def test_provincial_organiser_sees_every_commune_of_the_province(self, api, make_user, people):
        organiser = make_user()
        role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
        names = {row["full_name"] for row in self.call(api, organiser).json()["results"]}
        assert names == {"Người Hạ Long", "Người Hà Tu"}
        assert self.call(api, organiser, commune="06652").status_code == 200

    def test_commune_organiser_sees_only_their_commune(self, api, make_user, people):
        organiser = make_user()
        role_grant(user=organiser, role="commune_organiser", scope_codes=["06688"])
        rows = self.call(api, organiser).json()["results"]
        assert [r["full_name"] for r in rows] == ["Người Hạ Long"]
        assert self.call(api, organiser, commune="06688").status_code == 200
        assert self.call(api, organiser, commune="06652").status_code == 403
        assert self.call(api, organiser, commune="99999").status_code == 404

    def test_other_province_organiser_sees_nobody_here(self, api, make_user, people):
        organiser = make_user(commune="00004")
        role_grant(user=organiser, role="province_organiser", scope_codes=["01"])
        assert self.call(api, organiser).json()["results"] == []
        assert self.call(api, organiser, commune="06688").status_code == 403

    @pytest.mark.parametrize("role", [None, "editor", "admin"])
    def test_learners_editors_and_admins_without_scope_are_refused(self, api, make_user, people, role):
        user = make_user()
        if role:
            role_grant(user=user, role=role)
        assert self.call(api, user).status_code == 403

    def test_status_filter(self, api, make_user, people, assignment):
        organiser = make_user()
        role_grant(user=organiser, role="province_organiser", scope_codes=["22"])
        assert len(self.call(api, organiser, status="overdue").json()["results"]) == 0
        Assignment.objects.filter(pk=assignment.pk).update(deadline=date(2025, 1, 1))
        assert len(self.call(api, organiser, status="overdue").json()["results"]) == 2
        assert self.call(api, organiser, status="late-ish").status_code == 400


def test_a_course_required_after_the_set_was_kept_still_moves_the_status(make_user, course, make_course):
    from learning.campaigns.selectors import assigned_course_ids

    other = make_course()
    official = make_user(groups=["official"])
    enrolment_ensure(user=official, course=other)  # no assignment requires it: nothing to update
    assert course.pk not in assigned_course_ids()
    a = Assignment.objects.create(
        title="Mô-đun bắt buộc", target_group_id="official", province_id="22", deadline=timezone.localdate()
    )
    a.courses.set([course])  # the kept set is forgotten
    assignment_populate(assignment=a)
    assert course.pk in assigned_course_ids()
    enrolment_ensure(user=official, course=course)
    assert status_of(official, a) == "in_progress"
    a.courses.set([other])  # changed again: starting a course the set no longer holds changes nothing
    assert course.pk not in assigned_course_ids() and other.pk in assigned_course_ids()
