"""Shared set-up of the statistics tests: a small province with a campaign, and its organisers."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from learning.accounts.services import role_grant
from learning.campaigns.models import Assignment, Campaign, CampaignTarget
from learning.campaigns.services import assignment_populate
from learning.progress.services import enrolment_ensure, lesson_complete

HA_TU, CAO_XANH, BA_DINH = "06652", "06658", "00004"  # two Quảng Ninh wards, one in Hà Nội


@pytest.fixture
def world(make_user, course, lessons, django_capture_on_commit_callbacks):
    """Three learners in Hà Tu (one overdue official), one in Cao Xanh; a campaign with targets."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = Campaign.objects.create(
            name="Chiến dịch 2026", province_id="22", starts_on=today - dt.timedelta(days=60), ends_on=today
        )
        for commune, expected in ((HA_TU, 10), (CAO_XANH, 4)):
            for group in ("citizen", "official"):
                CampaignTarget.objects.create(
                    campaign=campaign,
                    commune_id=commune,
                    target_group_id=group,
                    expected_participants=expected,
                    expected_completions=expected // 2,
                )
        an = make_user(commune=HA_TU, groups=("citizen",), full_name="Trần Văn An")
        binh = make_user(commune=HA_TU, groups=("official", "party_member"), full_name="Lê Thị Bình")
        make_user(commune=HA_TU, groups=("student",), full_name="Phạm Học Sinh")
        chi = make_user(commune=CAO_XANH, groups=("citizen",), full_name="Đỗ Minh Chi")
        for person in (an, chi):
            enrolment_ensure(user=person, course=course)
        for lesson in lessons:
            lesson_complete(user=an, lesson=lesson, client_id=uuid.uuid4(), time_spent_seconds=120)
        assignment = Assignment.objects.create(
            title="Bắt buộc", target_group_id="official", province_id="22", deadline=today - dt.timedelta(days=1)
        )
        assignment.courses.set([course])
        assignment_populate(assignment=assignment)
    return {"an": an, "binh": binh, "chi": chi, "campaign": campaign}


@pytest.fixture
def province_organiser(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_user(commune=HA_TU, groups=("official",), full_name="Tổ chức Tỉnh")
    role_grant(user=user, role="province_organiser", scope_codes=["22"])
    return user


@pytest.fixture
def commune_organiser(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_user(commune=CAO_XANH, groups=("official",), full_name="Tổ chức Xã")
    role_grant(user=user, role="commune_organiser", scope_codes=[CAO_XANH])
    return user
