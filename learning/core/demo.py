"""Demo data for a newcomer's first run: accounts and learners' progress. Deterministic and
idempotent: the same seed gives the same people and progress, and re-running adds nothing."""

import random
import uuid

from django.db import transaction

from courses.models import CoursePage
from learning.accounts.models import User
from learning.accounts.services import user_register
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
