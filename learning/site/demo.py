"""Demo data for a newcomer's first run: accounts and learners' progress. Deterministic and
idempotent: the same seed gives the same people and progress, and re-running adds nothing."""

import random
import uuid

from django.db import transaction

from courses.models import CoursePage
from learning.accounts.models import User
from learning.accounts.services import role_grant, user_register
from learning.campaigns.models import Assignment, Campaign, CampaignTarget
from learning.campaigns.services import assignment_populate
from learning.localities.models import Commune
from learning.progress.selectors import course_state
from learning.progress.services import enrolment_ensure, lesson_complete

ADMIN = {"phone": "0900000000", "password": "QuanTri@2025", "full_name": "Quản trị viên"}  # noqa: S105 - demo only
LEARNER_PASSWORD = "HocVien@2025"  # noqa: S105 - published demo password, refused when DEBUG is off
# (phone, full name, commune code, target groups) — communes of Quảng Ninh.
LEARNERS = [
    ("0912000001", "Nguyễn Văn An", "06673", ["citizen"]),
    ("0912000002", "Trần Thị Bình", "06652", ["official", "party_member"]),
    ("0912000003", "Lê Minh Châu", "06658", ["student"]),
    ("0912000004", "Phạm Thị Dung", "06661", ["enterprise_worker"]),
    ("0912000005", "Hoàng Văn Em", "06799", ["citizen"]),
    ("0912000006", "Vũ Thị Giang", "07147", ["official"]),
    ("0912000007", "Đặng Quốc Huy", "07180", ["party_member", "official"]),
    ("0912000008", "Bùi Thị Lan", "06978", ["citizen", "other"]),
]
NAMESPACE = uuid.UUID("6f1c9a52-5d0e-4c55-9a53-2f0b8f6f2a10")


def admin_ensure() -> tuple[User, bool]:
    user = User.objects.filter(phone="+84" + ADMIN["phone"][1:]).first()
    if user:
        return user, False
    return (
        User.objects.create_superuser(ADMIN["phone"], ADMIN["password"], full_name=ADMIN["full_name"]),
        True,
    )


@transaction.atomic
def learners_ensure(*, seed: int = 1) -> int:
    """Demo learners spread over several communes, with some progress; returns how many were created."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    courses = list(CoursePage.objects.live().order_by("path"))
    created = 0
    for phone, name, commune_code, groups in LEARNERS:
        user = User.objects.filter(phone="+84" + phone[1:]).first()
        if user is None:
            commune = Commune.objects.get(code=commune_code)
            user = user_register(
                phone=phone, full_name=name, password=LEARNER_PASSWORD, commune=commune, target_groups=groups
            )
            created += 1
        for course in rng.sample(courses, k=min(len(courses), rng.randint(1, 2))):
            enrolment_ensure(user=user, course=course)
            lessons = [info.lesson for info in course_state(user=user, course=course).lessons]
            for lesson in lessons[: rng.randint(0, len(lessons))]:
                lesson_complete(
                    user=user,
                    lesson=lesson,
                    client_id=uuid.uuid5(NAMESPACE, f"{user.phone}:{lesson.slug}"),
                    time_spent_seconds=rng.randint(300, 1500),
                )
    return created


# (phone, full name, commune code, role, scope codes) — demo organisers; same password as the learners.
ORGANISERS = [
    ("0900000001", "Ngô Thị Tỉnh", "06673", "province_organiser", ["22"]),
    ("0900000002", "Đinh Văn Xã", "06652", "commune_organiser", ["06652", "06658"]),
]


def organisers_ensure() -> int:
    """A provincial and a commune organiser of Quảng Ninh; returns how many were created."""

    created = 0
    for phone, name, commune_code, role, scopes in ORGANISERS:
        user = User.objects.filter(phone="+84" + phone[1:]).first()
        if user is None:
            user = user_register(
                phone=phone,
                full_name=name,
                password=LEARNER_PASSWORD,
                commune=Commune.objects.get(code=commune_code),
                target_groups=["official"],
            )
            created += 1
        role_grant(user=user, role=role, scope_codes=scopes)
    return created


@transaction.atomic
def campaign_ensure() -> bool:
    """The province's campaign with a target per Quảng Ninh commune and group, and a mandatory module for
    officials; the first demo course is the basic programme. Returns whether the campaign was created."""
    import datetime as dt

    from django.utils import timezone

    courses = list(CoursePage.objects.live().order_by("path"))
    if courses and not CoursePage.objects.filter(basic_programme=True).exists():
        CoursePage.objects.filter(pk=courses[0].pk).update(basic_programme=True)
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        name="Bình dân học vụ số — Quảng Ninh",
        province_id="22",
        defaults={"starts_on": today.replace(month=1, day=1), "ends_on": today.replace(month=12, day=31)},
    )
    if not created:
        return False
    campaign.courses.set(courses)
    rng = random.Random(22)  # noqa: S311 - demo data
    CampaignTarget.objects.bulk_create(
        CampaignTarget(
            campaign=campaign,
            commune=commune,
            target_group_id=group,
            expected_participants=(expected := rng.randint(200, 2000)),
            expected_completions=expected * 7 // 10,
        )
        for commune in Commune.objects.filter(province_id="22")
        for group in ("citizen", "student", "official", "party_member", "enterprise_worker")
    )
    if courses:
        assignment = Assignment.objects.create(
            title="Kỹ năng số cơ bản cho cán bộ, công chức",
            campaign=campaign,
            target_group_id="official",
            province_id="22",
            deadline=today + dt.timedelta(days=30),
        )
        assignment.courses.set(courses[:1])
        assignment_populate(assignment=assignment)
    return True
