"""A synthetic Quảng Ninh for benchmarks: N learners and a campaign's worth of their records.

Everything is generated on the PostgreSQL server, set-based (``INSERT … SELECT`` over ``generate_series`` and
temporary tables), in one transaction: either the whole province is there or nothing is.

- **Reproducible.** Every random choice is ``pg_temp.syn_u(key, purpose)``: a hash of the seed, a stable key
  (learner number, enrolment key, lesson …) and a purpose number, mapped to [0, 1). The same ``--seed`` and
  the same "now" give the same province whatever the batch size or the query plans.
- **Realistic.** The 54 communes have Zipf-like sizes (the big urban wards of Hạ Long, Cẩm Phả, Uông Bí and
  Móng Cái first, the island communes last); every learner has a valid, unique mobile number (+849…), a
  Vietnamese name, a commune and one or more target groups (most officials are also party members);
  sign-ups grow over the campaign's months (officials come early, from rosters); lessons are completed in
  order at each learner's pace; quiz attempts are numbered, graded against the quiz's pass mark, and a few
  are still open; a course is complete only when every lesson is done and its final test passed; the
  mandatory assignments' members get their started / completed times from the enrolments, exactly as
  ``learning.campaigns.services.member_refresh_progress`` computes them.
- **Every record stores its commune**, like the services do.
- **Fast.** The big tables' secondary indexes and the foreign keys touching them are dropped for the load
  and created again at the end (inside the transaction: PostgreSQL checks every row then, and a failure
  rolls everything back); users and enrolments get explicit ids (their sequences are moved past them).
- **Findable.** Synthetic learners have the unusable password :data:`MARKER_PASSWORD` (nobody can sign in
  as them, and real accounts never have it); the campaign's name ends with :data:`CAMPAIGN_SUFFIX`.
  ``--reset`` deletes exactly these, with what depends on them (following each relation's ``on_delete``
  like Django's collector would), so real accounts and their records are never touched.

Quiz answers (``AttemptAnswer``) are not generated: attempts carry their score and a real snapshot.
"""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

PROVINCE = "22"  # Quảng Ninh
MARKER_PASSWORD = "!synthetic-province"  # noqa: S105 - a marker, not a password: "!" makes it unusable
CAMPAIGN_SUFFIX = " (dữ liệu mô phỏng)"
DEFAULT_START = dt.date(2026, 5, 1)
MAX_LEARNERS = 10_000_000
SNAPSHOT_VARIANTS = 6  # real snapshots drawn per quiz; attempts share them
MAX_LESSONS = 15  # per course (keys are enrolment * 16 + lesson)

TEMPORARY_TABLES = (
    "syn_commune", "syn_phone", "syn_learner", "syn_enrol", "syn_final", "syn_course", "syn_lesson", "syn_quiz",
    "syn_snapshot", "syn_assignment", "syn_member",
)  # fmt: skip
GROUPS = ("citizen", "student", "enterprise_worker", "official", "party_member", "other")

# Communes from the biggest down: the urban wards of Hạ Long, Cẩm Phả, Uông Bí, Móng Cái, Đông Triều and
# Quảng Yên, the Vân Đồn special zone, the district towns; the remaining wards and communes follow (by
# code), and the island communes come last.
COMMUNE_RANK = [
    "06688",  # Hạ Long
    "06673",  # Bãi Cháy
    "06793",  # Cẩm Phả
    "06811",  # Uông Bí
    "06685",  # Hồng Gai
    "06712",  # Móng Cái 1
    "06778",  # Quang Hanh
    "07093",  # Đông Triều
    "07069",  # Mạo Khê
    "07132",  # Quảng Yên
    "06658",  # Cao Xanh
    "06676",  # Hà Lầm
    "06661",  # Việt Hưng
    "06652",  # Hà Tu
    "06781",  # Cửa Ông
    "06709",  # Móng Cái 2
    "06820",  # Vàng Danh
    "07030",  # Hoành Bồ
    "06706",  # Tuần Châu
    "06760",  # Mông Dương
    "06994",  # Đặc khu Vân Đồn
    "06832",  # Yên Tử
    "07135",  # Đông Mai
    "07168",  # Hà An
    "06736",  # Móng Cái 3
    "06862",  # Tiên Yên
    "06922",  # Quảng Hà
    "06895",  # Đầm Hà
]
COMMUNE_LAST = ["06757", "06967", "07192"]  # Vĩnh Thực, Cái Chiên (islands), Đặc khu Cô Tô
HA_LONG_WARDS = ["06688", "06673", "06685", "06658", "06676", "06652", "06661", "06706", "07030"]
ZIPF_EXPONENT = 1.05

# Share of each primary group (in GROUPS order) among learners, by commune type.
GROUP_MIX = {
    "phuong": (0.40, 0.22, 0.18, 0.09, 0.04, 0.07),
    "xa": (0.52, 0.22, 0.08, 0.08, 0.05, 0.05),
    "dac_khu": (0.48, 0.20, 0.12, 0.09, 0.05, 0.06),
}
# Expected completions per expected participant, by group (campaign targets).
COMPLETION_RATE = {
    "citizen": 0.6,
    "student": 0.8,
    "enterprise_worker": 0.7,
    "official": 0.95,
    "party_member": 0.95,
    "other": 0.5,
}

# Per demo course (in display order): share of learners who enrol, mean days from sign-up to enrolling,
# share who mean to finish every lesson (scaled by the learner's engagement).
COURSE_BEHAVIOUR = [(0.97, 0.3, 0.88), (0.88, 12.0, 0.87), (0.81, 20.0, 0.84)]
EXTRA_COURSE_BEHAVIOUR = (0.5, 30.0, 0.7)
LESSON_CHECK_SHARE = 0.125  # lesson completions followed by the lesson's check
FINAL_TAKE_SHARE = 0.62  # learners who finished every lesson and take the final test (mandated: 0.95)
FINAL_PASS = (0.72, 0.62, 0.55)  # by attempt number

# Mandatory assignments of the campaign: (group, course positions, deadline and creation as days after the
# start, communes or None for the whole province, title template).
ASSIGNMENTS = [
    ("official", (1,), 75, 3, None, "Cán bộ, công chức, viên chức hoàn thành khóa «{c1}»"),
    ("party_member", (2,), 152, 10, None, "Đảng viên hoàn thành khóa «{c2}»"),
    (
        "party_member",
        (1, 3),
        183,
        45,
        HA_LONG_WARDS,
        "Đảng viên các phường khu vực Hạ Long hoàn thành khóa «{c1}» và «{c3}»",
    ),
    ("official", (3,), 228, 75, None, "Cán bộ, công chức, viên chức hoàn thành khóa «{c3}»"),
]

# Names (weights), Northern usage: Vũ before Võ, Hoàng before Huỳnh; some Tày, Dao and Sán Chỉ family
# names of Bình Liêu and Ba Chẽ.
FAMILY_NAMES = {
    "Nguyễn": 310, "Trần": 100, "Lê": 80, "Phạm": 70, "Hoàng": 50, "Vũ": 50, "Đặng": 30, "Bùi": 30, "Đỗ": 30,
    "Ngô": 20, "Dương": 20, "Đào": 20, "Đinh": 20, "Hà": 15, "Phan": 15, "Lương": 10, "Mai": 10, "Trịnh": 10,
    "Lý": 10, "Cao": 10, "Đoàn": 10, "Tạ": 5, "Lưu": 5, "Chu": 5, "Tô": 5, "Lâm": 5, "Phùng": 5, "Triệu": 5,
    "Nông": 5, "Lục": 3, "Chíu": 2, "Võ": 5, "Hồ": 8, "Vương": 4, "Quách": 3, "Kiều": 3,
}  # fmt: skip
MALE_MIDDLE = {
    "Văn": 40, "Đức": 8, "Minh": 8, "Quang": 6, "Hữu": 5, "Công": 5, "Xuân": 4, "Thành": 4, "Đình": 4,
    "Mạnh": 3, "Ngọc": 3, "Tiến": 3, "Duy": 3, "Quốc": 3, "Trung": 2, "Hoàng": 2, "Anh": 2, "Thanh": 2,
    "Việt": 2, "Bá": 1,
}  # fmt: skip
FEMALE_MIDDLE = {
    "Thị": 45, "Thu": 6, "Thanh": 5, "Ngọc": 5, "Minh": 4, "Hồng": 4, "Thúy": 3, "Phương": 3, "Kim": 3,
    "Mai": 2, "Bích": 2, "Hải": 2, "Khánh": 2, "Bảo": 2, "Lan": 2, "Hoài": 2, "Quỳnh": 2, "Mỹ": 2, "Diệu": 1,
    "Vân": 1,
}  # fmt: skip
YOUNG_MALE_MIDDLE = {
    "Minh": 10, "Đức": 8, "Quang": 6, "Gia": 6, "Bảo": 6, "Anh": 5, "Hoàng": 5, "Tuấn": 4, "Việt": 4,
    "Nhật": 4, "Đăng": 3, "Duy": 4, "Văn": 8, "Trung": 3, "Hải": 3,
}  # fmt: skip
YOUNG_FEMALE_MIDDLE = {
    "Ngọc": 8, "Thu": 6, "Khánh": 6, "Bảo": 5, "Minh": 5, "Phương": 5, "Thảo": 4, "Hà": 4, "Gia": 4,
    "Thị": 8, "Quỳnh": 4, "Mai": 4, "Diệu": 3, "Hải": 3, "Tuệ": 2, "An": 3,
}  # fmt: skip
FEMALE_SECOND_MIDDLE = ["Thu", "Thanh", "Ngọc", "Hồng", "Kim", "Minh", "Phương", "Bích", "Thúy", "Mai"]
MALE_GIVEN = {
    "Anh": 6, "Hùng": 5, "Dũng": 5, "Tuấn": 5, "Minh": 5, "Hải": 4, "Long": 4, "Nam": 4, "Sơn": 4,
    "Thắng": 3, "Trung": 3, "Hiếu": 3, "Đức": 3, "Cường": 3, "Quân": 3, "Huy": 4, "Phong": 2, "Tùng": 3,
    "Bình": 3, "Khoa": 2, "Thành": 3, "Hưng": 3, "Việt": 2, "Tú": 2, "Kiên": 2, "Lâm": 2, "Toàn": 2,
    "Quang": 2, "Hòa": 2, "Tiến": 2, "Đạt": 3, "Vinh": 2, "Phúc": 2, "Khánh": 2, "Thịnh": 2, "Trọng": 2,
    "Bảo": 2, "Duy": 2, "Lộc": 2, "Hoàng": 2, "Nghĩa": 2, "Tâm": 1, "Chiến": 2, "Hậu": 1, "Thái": 1,
    "Lực": 1, "Khải": 1, "Quyết": 1, "Hoàn": 1, "Thuận": 1,
}  # fmt: skip
FEMALE_GIVEN = {
    "Hương": 5, "Lan": 4, "Linh": 5, "Trang": 5, "Hà": 4, "Hoa": 3, "Mai": 3, "Thảo": 4, "Huyền": 4,
    "Ngọc": 3, "Phương": 3, "Thủy": 3, "Yến": 3, "Nhung": 3, "Hằng": 3, "Hạnh": 3, "Dung": 2, "Loan": 2,
    "Nga": 2, "Oanh": 2, "Quyên": 1, "Vân": 2, "Thu": 2, "Hiền": 3, "Nhàn": 1, "Tâm": 1, "Uyên": 2,
    "Giang": 2, "Chi": 2, "Anh": 3, "Hồng": 2, "Liên": 2, "Ly": 2, "Nhi": 2, "Vy": 2, "Quỳnh": 2,
    "Diệp": 1, "Trâm": 1, "Hoài": 1, "Thư": 2, "Ánh": 2, "Duyên": 2, "Lụa": 1, "Tuyết": 1, "Xuân": 1,
    "Bích": 1, "Nguyệt": 1, "Thanh": 2,
}  # fmt: skip

PHONE_PREFIXES = "0134678"  # +8490, 91, 93, 94, 96, 97, 98 (MobiFone, VinaPhone, Viettel)
PHONE_SPACE = len(PHONE_PREFIXES) * 10**7
PHONE_STEP = 27_644_437  # a prime: coprime with the space, so k -> (k * step + offset) mod space is one-to-one


class SyntheticError(Exception):
    """Why the synthetic province cannot be generated or removed (already translated)."""


@dataclass
class Course:
    position: int
    page: object
    lessons: list = field(default_factory=list)  # [(lesson id, estimated minutes, check quiz or None)]
    final: object = None  # the final test QuizPage, if any


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    removed_learners: int = 0
    seconds: float = 0.0


def _weighted(names: dict[str, int]) -> list[str]:
    return [name for name, weight in names.items() for _i in range(weight)]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- what exists ------------------------------------------------------------------------------------


def synthetic_learner_count() -> int:
    from learning.accounts.models import User

    return User.objects.filter(password=MARKER_PASSWORD).count()


def synthetic_campaigns():
    from learning.campaigns.models import Campaign

    return Campaign.objects.filter(province_id=PROVINCE, name__endswith=CAMPAIGN_SUFFIX)


def synthetic_exists() -> bool:
    from learning.accounts.models import User

    return User.objects.filter(password=MARKER_PASSWORD).exists() or synthetic_campaigns().exists()


# --- content ----------------------------------------------------------------------------------------


def content_ensure() -> list[Course]:
    """The localities, the target groups and the demo courses with their quizzes (created when missing, as
    ``load_localities`` and ``seed_demo`` do, without seed_demo's accounts); the first demo course is
    marked as the basic programme. Returns the demo courses in display order with their lessons and quizzes."""
    from courses.demo_content import COURSES, QUESTIONS_DIR
    from courses.models import CoursePage, LessonPage, QuizPage
    from courses.services import demo_course_ensure, demo_quizzes_ensure, site_ensure
    from learning.accounts.models import TargetGroup, TargetGroupCode
    from learning.localities.models import Commune
    from learning.localities.services import localities_load

    if not Commune.objects.filter(province_id=PROVINCE).exists():
        localities_load()
    for position, code in enumerate(TargetGroupCode.values):
        TargetGroup.objects.get_or_create(code=code, defaults={"position": position})
    _home, catalogue = site_ensure()
    pages = []
    for data in COURSES:
        course, _created = demo_course_ensure(catalogue=catalogue, data=data)
        demo_quizzes_ensure(course=course, gift=(QUESTIONS_DIR / f"{data['module']}.gift").read_bytes())
        pages.append(CoursePage.objects.get(pk=course.pk))
    first = pages[0]
    if not first.basic_programme:
        first.basic_programme = True
        first.save_revision().publish()
        pages[0] = CoursePage.objects.get(pk=first.pk)
    courses = []
    for position, page in enumerate(pages, start=1):
        course = Course(position=position, page=page)
        last_lesson = None
        for child in page.get_children().live().order_by("path").specific():
            if isinstance(child, LessonPage):
                course.lessons.append([child.pk, child.estimated_minutes or 10, None])
                last_lesson = course.lessons[-1]
            elif isinstance(child, QuizPage):
                if child.kind == "final_test" and course.final is None:
                    course.final = child
                elif child.kind == "lesson_check" and last_lesson is not None and last_lesson[2] is None:
                    last_lesson[2] = child
        course.lessons = course.lessons[:MAX_LESSONS]
        if course.lessons:
            courses.append(course)
    return courses


# --- removing ---------------------------------------------------------------------------------------

_temp_names = itertools.count(1)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _delete_cascade(cursor, model, where: str, params=(), depth: int = 0, truncatable=frozenset()) -> int:
    """Delete the rows of ``model`` matching ``where`` (SQL on alias ``t``) and, first, what depends on them,
    following each relation's ``on_delete`` as Django's collector does (CASCADE, SET_NULL; PROTECT and the
    like refuse). Set-based: one statement per relation, whatever the number of rows. A table of
    ``truncatable`` (no foreign key points at it for now) whose rows all go is truncated instead."""
    if depth > 10:
        raise RuntimeError("relations nested too deep")
    meta = model._meta
    table, pk = _q(meta.db_table), _q(meta.pk.column)
    doomed = f"syn_del_{next(_temp_names)}"
    cursor.execute(f"CREATE TEMPORARY TABLE {doomed} AS SELECT t.{pk} AS pk FROM {table} t WHERE {where}", params)
    count = cursor.rowcount
    if count:
        cursor.execute(f"ANALYZE {doomed}")
        seen = set()
        for rel in meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            fk = rel.field
            related = fk.model
            key = (related._meta.db_table, fk.column)
            if key in seen or related._meta.proxy or not related._meta.managed:
                continue
            seen.add(key)
            target = fk.target_field.column
            if target == meta.pk.column:
                match = f"t.{_q(fk.column)} IN (SELECT pk FROM {doomed})"
            else:
                match = (
                    f"t.{_q(fk.column)} IN (SELECT s.{_q(target)} FROM {table} s "
                    f"WHERE s.{pk} IN (SELECT pk FROM {doomed}))"
                )
            on_delete = rel.on_delete
            if on_delete is models.CASCADE:
                _delete_cascade(cursor, related, match, (), depth + 1, truncatable)
            elif on_delete is models.SET_NULL:
                cursor.execute(f"UPDATE {_q(related._meta.db_table)} t SET {_q(fk.column)} = NULL WHERE {match}")
            elif on_delete is models.DO_NOTHING:
                continue
            else:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_q(related._meta.db_table)} t WHERE {match})")
                if cursor.fetchone()[0]:
                    raise SyntheticError(
                        _("Cannot remove the synthetic data: rows of %(table)s still refer to it.")
                        % {"table": related._meta.db_table}
                    )
        everything = False
        if meta.db_table in truncatable:
            cursor.execute(f"SELECT count(*) FROM {table}")
            everything = cursor.fetchone()[0] == count
        if everything:
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table} t WHERE t.{pk} IN (SELECT pk FROM {doomed})")
    cursor.execute(f"DROP TABLE {doomed}")
    return count


def _remove(cursor, truncatable=frozenset()) -> int:
    """Delete the synthetic campaigns (with their targets and assignments) and learners; returns how many
    learners were removed."""
    from learning.accounts.models import User
    from learning.campaigns.models import Assignment, Campaign

    cursor.execute(
        f"SELECT id FROM {_q(Campaign._meta.db_table)} t WHERE t.province_id = %s AND t.name LIKE %s",
        [PROVINCE, "%" + CAMPAIGN_SUFFIX],
    )
    ids = [row[0] for row in cursor.fetchall()]
    if ids:
        _delete_cascade(cursor, Assignment, "t.campaign_id = ANY(%s)", [ids], truncatable=truncatable)
        _delete_cascade(cursor, Campaign, "t.id = ANY(%s)", [ids], truncatable=truncatable)
    return _delete_cascade(cursor, User, "t.password = %s", [MARKER_PASSWORD], truncatable=truncatable)


# --- bulk load: indexes and foreign keys off, then back on --------------------------------------------


def _flush_deferred_checks(cursor) -> None:
    """Run the foreign key checks waiting for the end of the transaction now, then defer again (Django's
    constraints are all ``DEFERRABLE INITIALLY DEFERRED``)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _bulk_tables():
    from learning.accounts.models import User
    from learning.campaigns.models import AssignmentMember
    from learning.progress.models import Enrolment, LessonCompletion, QuizAttempt

    return [
        m._meta.db_table
        for m in (User, User.target_groups.through, Enrolment, LessonCompletion, QuizAttempt, AssignmentMember)
    ]


def _bulk_off(cursor, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of ``tables`` and every foreign key from or to them; returns the statements
    that create them again (indexes first)."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
               format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass, c.conname,
                      pg_get_constraintdef(c.oid))
        FROM pg_constraint c
        WHERE c.contype = 'f' AND (c.conrelid = ANY(%s::regclass[]) OR c.confrelid = ANY(%s::regclass[]))
        ORDER BY c.conrelid::regclass::text, c.conname
        """,
        [tables, tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT CASE WHEN c.oid IS NULL THEN format('DROP INDEX %%s', i.indexrelid::regclass)
                    ELSE format('ALTER TABLE %%s DROP CONSTRAINT %%I', i.indrelid::regclass, c.conname) END,
               CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                    ELSE format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', i.indrelid::regclass, c.conname,
                                pg_get_constraintdef(c.oid)) END
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('u', 'x')
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
        ORDER BY i.indrelid::regclass::text, i.indexrelid::regclass::text
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for drop, _create in foreign_keys + indexes:
        cursor.execute(drop)
    return [create for _drop, create in indexes + foreign_keys]


# --- generation -------------------------------------------------------------------------------------


def _sizes(n: int, codes: list[str]) -> list[int]:
    """Learners per commune (in rank order): Zipf-like shares, exact total, at least one each when possible."""
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(1, len(codes) + 1)]
    floor_each = 1 if n >= len(codes) else 0
    rest = n - floor_each * len(codes)
    total = sum(weights)
    raw = [rest * w / total for w in weights]
    sizes = [floor_each + int(r) for r in raw]
    order = sorted(range(len(codes)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: n - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _ranked_communes() -> list[tuple[str, str]]:
    from learning.localities.models import Commune

    communes = dict(Commune.objects.filter(province_id=PROVINCE).values_list("code", "type"))
    type_order = {"phuong": 0, "xa": 1, "dac_khu": 2}
    first = [c for c in COMMUNE_RANK if c in communes]
    last = [c for c in COMMUNE_LAST if c in communes and c not in first]
    middle = sorted(
        (c for c in communes if c not in first and c not in last), key=lambda c: (type_order.get(communes[c], 3), c)
    )
    return [(code, communes[code]) for code in first + middle + last]


def _uniform_function(cursor, seed: int) -> None:
    """``pg_temp.syn_u(key, purpose)``: a reproducible uniform number in [0, 1) (inlined by the planner)."""
    salt = int(seed) * 1000
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION pg_temp.syn_u(k bigint, purpose integer) RETURNS double precision
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
        $$ SELECT (hashint8extended(k, {salt}::bigint + purpose) & 9007199254740991)::float8
                  / 9007199254740992.0 $$
        """
    )
    # ``pg_temp.syn_uuid(key)``: a version 4 UUID made of two such hashes (distinct keys, distinct UUIDs).
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION pg_temp.syn_uuid(k bigint) RETURNS uuid
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
        $$ SELECT encode(int8send((hashint8extended(k, {salt}::bigint + 998) & -61441) | 16384)
                         || int8send((hashint8extended(k, {salt}::bigint + 999) & 4611686018427387903)
                                     | (-9223372036854775807 - 1)), 'hex')::uuid $$
        """
    )


def _snapshots(courses: list[Course], seed: int) -> list[tuple]:
    """A few real snapshots per quiz (drawn as an attempt would), which the attempts share:
    (quiz id, variant, graded question count, snapshot JSON)."""
    from courses import quiz_engine

    rows = []
    for course in courses:
        quizzes = [lesson[2] for lesson in course.lessons if lesson[2]] + ([course.final] if course.final else [])
        for quiz in quizzes:
            try:
                drawn = [
                    quiz_engine.snapshot_build(quiz, rng=random.Random(f"{seed}:{quiz.pk}:{variant}"))
                    for variant in range(SNAPSHOT_VARIANTS)
                ]
            except ValidationError:  # a quiz without questions: nobody attempts it
                continue
            for variant, snapshot in enumerate(drawn):
                graded = sum(1 for q in snapshot["questions"] if q["type"] in quiz_engine.GRADED_TYPES)
                rows.append((quiz.pk, variant, graded, json.dumps(snapshot, ensure_ascii=False)))
    return rows


# Learners are active from 6:00 to 23:00, most in the evening. Their progress runs on an "active clock" that
# only moves in those hours (ACTIVE_DAY seconds a day, spread over the hours by these weights), so a lesson
# never ends at 3 a.m.; ``_active`` and ``_wall`` convert (both increasing, inverse of each other).
ACTIVE_HOURS = (6, 23)
HOUR_WEIGHTS = (1.5, 3, 4, 4.5, 4.5, 4, 3, 3.5, 4.5, 4.5, 4.5, 4, 5, 7, 8.5, 8, 5)  # 6:00 … 22:00
ACTIVE_DAY = 61200.0
_SHARES = [w / sum(HOUR_WEIGHTS) for w in HOUR_WEIGHTS]
_STARTS = [sum(_SHARES[:i]) for i in range(len(_SHARES))]
_W = "(ARRAY[" + ", ".join(repr(w) for w in _SHARES) + "]::float8[])"
_CUM = "(ARRAY[" + ", ".join(repr(c) for c in _STARTS) + "]::float8[])"
# The wall clock runs at least this much faster than the active clock: waits are stretched by it.
STRETCH = max(_SHARES) * ACTIVE_DAY / 3600


def _active_py(moment: dt.datetime) -> float:
    """The active clock at ``moment`` (Python twin of ``_active``)."""
    local = moment.timestamp() + moment.astimezone(timezone.get_current_timezone()).utcoffset().total_seconds()
    day, hour = divmod(local / 3600, 24)
    first, last = ACTIVE_HOURS
    if hour < first:
        share = 0.0
    elif hour >= last:
        share = 1.0
    else:
        h = int(hour) - first
        share = _STARTS[h] + (hour - int(hour)) * _SHARES[h]
    return (day + share) * ACTIVE_DAY


def _active(ts: str, offset: int) -> str:
    """SQL: the active clock at timestamp ``ts`` (a column: it is repeated)."""
    local = f"(extract(epoch FROM {ts})::float8 + {offset})"
    day = f"floor({local} / 86400)"
    hour = f"(({local} - {day} * 86400) / 3600)"
    h = f"(floor({hour})::int - {ACTIVE_HOURS[0] - 1})"
    share = (
        f"(CASE WHEN {hour} < {ACTIVE_HOURS[0]} THEN 0 WHEN {hour} >= {ACTIVE_HOURS[1]} THEN 1"
        f" ELSE {_CUM}[{h}] + ({hour} - floor({hour})) * {_W}[{h}] END)"
    )
    return f"(({day} + {share}) * {ACTIVE_DAY})"


def _wall(a: str, offset: int) -> str:
    """SQL: the timestamp at active time ``a`` (a column or cheap arithmetic: it is repeated)."""
    days = f"(({a}) / {ACTIVE_DAY})"
    share = f"({days} - floor({days}))"
    b = f"width_bucket({share}, {_CUM})"
    hour = f"({ACTIVE_HOURS[0] - 1} + {b} + ({share} - {_CUM}[{b}]) / {_W}[{b}])"
    return f"to_timestamp(floor({days}) * 86400 + {hour} * 3600 - {offset})"


def lesson_active(i: str) -> str:
    """SQL (on an enrolment ``e``): the active time lesson number ``i`` is completed at: in order, one pace
    apart on average. The same expression says which lessons are done by now and when they were done."""
    return f"(e.a_enrol + e.pace * (({i}) - 0.85 + 0.85 * pg_temp.syn_u(e.ek * 16 + ({i}), 20)))"


def final_timed_out(j: str) -> str:
    """SQL (on a final-test taker ``t``): did attempt ``j`` run out of time?"""
    return f"(t.time_limit IS NOT NULL AND pg_temp.syn_u(t.ek * 4 + ({j}), 25) < 0.04)"


def final_wins(j: str) -> str:
    """SQL (on a final-test taker ``t``): is attempt ``j`` passed?"""
    chances = ", ".join(str(p) for p in FINAL_PASS)
    return f"(NOT {final_timed_out(j)} AND pg_temp.syn_u(t.ek * 4 + ({j}), 26) < (ARRAY[{chances}]::float8[])[({j})])"


class _Generator:
    def __init__(self, cursor, *, learners, seed, batch, start, now, log):
        self.c = cursor
        self.n = learners
        self.seed = seed
        self.batch = batch
        self.start = start
        self.now = now
        self.log = log
        self.t0 = time.monotonic()
        self.counts: dict[str, int] = {}
        # Seconds east of UTC of the site's time zone (Vietnam keeps one offset all year).
        self.offset = int(timezone.localtime(now).utcoffset().total_seconds())

    # helpers
    def run(self, sql, params=None) -> int:
        self.c.execute(sql, params)
        return self.c.rowcount

    def scalar(self, sql, params=None):
        self.c.execute(sql, params)
        return self.c.fetchone()[0]

    def add(self, table, rows):
        self.counts[table] = self.counts.get(table, 0) + max(rows, 0)

    def step(self, table, rows):
        self.add(table, rows)
        self.log(
            _("%(table)s: %(rows)s rows (%(seconds).1f s)")
            % {"table": table, "rows": f"{rows:,}", "seconds": time.monotonic() - self.t0}
        )

    def next_id(self, table) -> int:
        """The first free id of ``table`` (after both its rows and its sequence)."""
        t = _q(table)
        return self.scalar(
            f"SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}),"
            f" COALESCE(pg_sequence_last_value({pg_sequence(table)}), 0)) + 1"
        )

    # --- the province -------------------------------------------------------------------------------
    def communes(self):
        ranked = _ranked_communes()
        sizes = _sizes(self.n, [code for code, _type in ranked])
        bounds, lower = [], 0
        self.run("DROP TABLE IF EXISTS syn_commune")
        self.run("CREATE TEMPORARY TABLE syn_commune (ci int PRIMARY KEY, code text, ctype text, mix float8[])")
        rows = []
        for ci, ((code, ctype), size) in enumerate(zip(ranked, sizes, strict=True), start=1):
            mix = GROUP_MIX.get(ctype, GROUP_MIX["xa"])
            lower_bounds = [float(sum(mix[:i])) for i in range(len(mix))]
            rows.append((ci, code, ctype, lower_bounds))
            bounds.append(lower)
            lower += size
        self.c.executemany("INSERT INTO syn_commune VALUES (%s, %s, %s, %s)", rows)
        self.bounds = bounds
        self.commune_codes = [code for code, _type in ranked]

    def learners(self, user_base: int):
        from learning.accounts.models import User

        users = _q(User._meta.db_table)
        # Numbers already taken (by real accounts) are skipped: the candidates are numbered 0, 1, 2 … and the
        # first N free ones become learners 0 … N-1.
        taken = self.scalar(f"SELECT count(*) FROM {users}")
        shift = zlib.crc32(f"phones:{self.seed}".encode()) % PHONE_SPACE
        self.run("DROP TABLE IF EXISTS syn_phone")
        self.run(
            f"""
            CREATE TEMPORARY TABLE syn_phone AS
            SELECT (row_number() OVER (ORDER BY kp) - 1)::int AS k, phone FROM (
                SELECT kp, '+849' || substr(%(prefixes)s, (p / 10000000)::int + 1, 1)
                       || lpad(mod(p, 10000000)::text, 7, '0') AS phone
                FROM (SELECT kp, mod(kp * %(step)s + %(shift)s, %(space)s) AS p
                      FROM generate_series(0::bigint, %(candidates)s - 1) kp) s
            ) s
            WHERE NOT EXISTS (SELECT 1 FROM {users} u WHERE u.phone = s.phone)
            ORDER BY kp LIMIT %(n)s
            """,
            {
                "prefixes": PHONE_PREFIXES,
                "step": PHONE_STEP,
                "shift": shift,
                "space": PHONE_SPACE,
                "candidates": self.n + taken,
                "n": self.n,
            },
        )
        days = (timezone.localdate(self.now) - self.start).days + 1
        start_ts = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        self.run("DROP TABLE IF EXISTS syn_user")
        self.run(
            """
            CREATE TEMPORARY TABLE syn_user AS
            WITH a AS MATERIALIZED (
                SELECT p.k, p.phone, c.code AS commune, c.ctype,
                       (%(groups)s::text[])[width_bucket(pg_temp.syn_u(p.k, 1), c.mix)] AS grp,
                       pg_temp.syn_u(p.k, 2) AS u_sec
                FROM syn_phone p JOIN syn_commune c ON c.ci = width_bucket(p.k, %(bounds)s::int[])
            ), b AS (
                SELECT a.*,
                       grp = 'official' AS official,
                       grp = 'party_member' OR (grp = 'official' AND u_sec < 0.7)
                           OR (grp = 'enterprise_worker' AND u_sec < 0.06) AS party,
                       grp = 'citizen' OR (grp = 'party_member' AND u_sec < 0.5) AS citizen,
                       grp = 'student' AS student,
                       grp = 'enterprise_worker' AS enterprise,
                       grp = 'other' OR (grp = 'citizen' AND u_sec < 0.03) AS other,
                       pg_temp.syn_u(k, 3) < 0.48 AS male
                FROM a
            ), c AS MATERIALIZED (
                SELECT b.*,
                       CASE WHEN student AND male THEN %(ym)s::text[] WHEN student THEN %(yf)s::text[]
                            WHEN male THEN %(mm)s::text[] ELSE %(fm)s::text[] END AS middles,
                       CASE WHEN official OR party THEN
                                CASE WHEN pg_temp.syn_u(k, 8) < 0.35 THEN pg_temp.syn_u(k, 9) * %(spike_early)s
                                     ELSE power(pg_temp.syn_u(k, 9), 1 / 0.7) END
                            ELSE CASE WHEN pg_temp.syn_u(k, 8) < 0.06 THEN pg_temp.syn_u(k, 9) * %(spike)s
                                      ELSE power(pg_temp.syn_u(k, 9), 1 / 1.7) END
                       END AS x
                FROM b
            ), d AS MATERIALIZED (
                SELECT c.*,
                       middles[1 + floor(pg_temp.syn_u(k, 5) * cardinality(middles))::int] AS middle,
                       CASE WHEN pg_temp.syn_u(k, 10) < 0.5 THEN 18 + 4.5 * pg_temp.syn_u(k, 11)
                            WHEN pg_temp.syn_u(k, 10) < 0.9 THEN 7 + 11 * pg_temp.syn_u(k, 11)
                            ELSE 5 + 19 * pg_temp.syn_u(k, 11) END AS hour
                FROM c
            )
            SELECT k, phone, commune, ctype, official, party, citizen, student, enterprise, other,
                   concat_ws(' ',
                       (%(family)s::text[])[1 + floor(pg_temp.syn_u(k, 4) * %(family_n)s)::int],
                       middle,
                       CASE WHEN middle = 'Thị' AND NOT student AND pg_temp.syn_u(k, 6) < 0.25
                            THEN (%(f2)s::text[])[1 + floor(pg_temp.syn_u(k, 6) * 4 * %(f2_n)s)::int] END,
                       CASE WHEN male THEN (%(mg)s::text[])[1 + floor(pg_temp.syn_u(k, 7) * %(mg_n)s)::int]
                            ELSE (%(fg)s::text[])[1 + floor(pg_temp.syn_u(k, 7) * %(fg_n)s)::int] END
                   ) AS full_name,
                   LEAST(%(start)s::timestamptz + floor(x * %(days)s) * interval '1 day' + hour * interval '1 hour',
                         %(now)s::timestamptz - (60 + 3600 * pg_temp.syn_u(k, 12)) * interval '1 second') AS joined,
                   pg_temp.syn_u(k, 13) AS eng
            FROM d
            """,
            {
                "groups": list(GROUPS),
                "bounds": self.bounds,
                "family": _weighted(FAMILY_NAMES),
                "family_n": len(_weighted(FAMILY_NAMES)),
                "mm": _weighted(MALE_MIDDLE),
                "fm": _weighted(FEMALE_MIDDLE),
                "ym": _weighted(YOUNG_MALE_MIDDLE),
                "yf": _weighted(YOUNG_FEMALE_MIDDLE),
                "f2": FEMALE_SECOND_MIDDLE,
                "f2_n": len(FEMALE_SECOND_MIDDLE),
                "mg": _weighted(MALE_GIVEN),
                "mg_n": len(_weighted(MALE_GIVEN)),
                "fg": _weighted(FEMALE_GIVEN),
                "fg_n": len(_weighted(FEMALE_GIVEN)),
                "spike_early": min(1.0, 21 / days),
                "spike": min(1.0, 14 / days),
                "days": days,
                "start": start_ts,
                "now": self.now,
            },
        )
        # Ids in order of sign-up, as a live site hands them out.
        self.run("DROP TABLE IF EXISTS syn_learner")
        self.run(
            """
            CREATE TEMPORARY TABLE syn_learner AS
            SELECT %s::bigint - 1 + row_number() OVER (ORDER BY joined, k) AS id, * FROM syn_user
            """,
            [user_base],
        )
        self.run("DROP TABLE syn_user")
        self.run("CREATE INDEX ON syn_learner (k)")
        self.run("ANALYZE syn_learner")
        rows = self.run(
            f"""
            INSERT INTO {users} (id, password, last_login, is_superuser, phone, full_name, email, is_staff,
                                 is_active, date_joined, commune_id)
            SELECT id, %s, NULL, false, phone, full_name, '', false, true, joined, commune
            FROM syn_learner ORDER BY id
            """,
            [MARKER_PASSWORD],
        )
        self.step(User._meta.db_table, rows)
        through = User.target_groups.through._meta.db_table
        rows = self.run(
            f"""
            INSERT INTO {_q(through)} (user_id, targetgroup_id)
            SELECT l.id, g.code FROM syn_learner l
            CROSS JOIN LATERAL (VALUES ('citizen', l.citizen), ('student', l.student),
                                       ('enterprise_worker', l.enterprise), ('official', l.official),
                                       ('party_member', l.party), ('other', l.other)) AS g(code, member)
            WHERE g.member ORDER BY l.id
            """
        )
        self.step(through, rows)
        # The campaign's queries below read these tables: the planner must know their new size.
        self.run(f"ANALYZE {users}")
        self.run(f"ANALYZE {_q(through)}")

    def content_tables(self, courses: list[Course]):
        self.run("DROP TABLE IF EXISTS syn_course")
        self.run("DROP TABLE IF EXISTS syn_lesson")
        self.run("DROP TABLE IF EXISTS syn_quiz")
        self.run("DROP TABLE IF EXISTS syn_snapshot")
        self.run(
            """CREATE TEMPORARY TABLE syn_course (pos int PRIMARY KEY, course_id int, n_lessons int,
                 final_quiz int, p_enrol float8, delay_days float8, p_finish float8)"""
        )
        self.run(
            "CREATE TEMPORARY TABLE syn_lesson (pos int, lesson_no int, lesson_id int, minutes int, check_quiz int)"
        )
        self.run(
            """CREATE TEMPORARY TABLE syn_quiz (quiz_id int PRIMARY KEY, course_id int, pass_mark int,
                 time_limit int, min_wait int, max_attempts int, review_policy text)"""
        )
        self.run("CREATE TEMPORARY TABLE syn_snapshot (quiz_id int, variant int, graded int, snapshot jsonb)")
        for course in courses:
            p_enrol, delay, p_finish = (
                COURSE_BEHAVIOUR[course.position - 1]
                if course.position <= len(COURSE_BEHAVIOUR)
                else EXTRA_COURSE_BEHAVIOUR
            )
            self.run(
                "INSERT INTO syn_course VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    course.position,
                    course.page.pk,
                    len(course.lessons),
                    course.final.pk if course.final else None,
                    p_enrol,
                    delay,
                    p_finish,
                ],
            )
            quizzes = [course.final] if course.final else []
            for i, (lesson_id, minutes, check) in enumerate(course.lessons, start=1):
                self.run(
                    "INSERT INTO syn_lesson VALUES (%s, %s, %s, %s, %s)",
                    [course.position, i, lesson_id, minutes, check.pk if check else None],
                )
                if check:
                    quizzes.append(check)
            for quiz in quizzes:
                self.run(
                    "INSERT INTO syn_quiz VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [
                        quiz.pk,
                        course.page.pk,
                        quiz.pass_mark_percent,
                        quiz.time_limit_minutes * 60 if quiz.time_limit_minutes else None,
                        (quiz.min_wait_minutes or 0) * 60,
                        quiz.max_attempts,
                        quiz.review_policy,
                    ],
                )
        self.c.executemany("INSERT INTO syn_snapshot VALUES (%s, %s, %s, %s::jsonb)", _snapshots(courses, self.seed))
        # A quiz that could not be drawn (no questions) is attempted by nobody.
        self.run("DELETE FROM syn_quiz q WHERE NOT EXISTS (SELECT 1 FROM syn_snapshot s WHERE s.quiz_id = q.quiz_id)")
        self.run("UPDATE syn_lesson l SET check_quiz = NULL WHERE check_quiz NOT IN (SELECT quiz_id FROM syn_quiz)")
        self.run("ANALYZE syn_course; ANALYZE syn_lesson; ANALYZE syn_quiz; ANALYZE syn_snapshot")

    def mandated_sql(self, courses: list[Course]) -> str:
        """SQL (on syn_learner l, syn_course c): is the learner required to complete this course?"""
        parts = []
        for group, positions, _deadline, _created, communes, _title in ASSIGNMENTS:
            flag = {"official": "l.official", "party_member": "l.party"}[group]
            scope = f" AND l.commune = ANY(ARRAY[{','.join(repr(c) for c in communes)}])" if communes else ""
            pos = ",".join(str(p) for p in positions if p <= len(courses))
            if pos:
                parts.append(f"({flag} AND c.pos IN ({pos}){scope})")
        return " OR ".join(parts) or "false"

    def enrolments(self, courses: list[Course], enrol_base: int):
        from learning.progress.models import Enrolment

        off = self.offset
        params = {"now": self.now, "active_now": _active_py(self.now)}
        self.run("DROP TABLE IF EXISTS syn_plan")
        self.run(
            f"""
            CREATE TEMPORARY TABLE syn_plan AS
            WITH cand AS (
                SELECT l.k, l.id AS user_id, l.commune, l.eng, l.joined, c.pos, c.course_id, c.n_lessons,
                       c.final_quiz, c.p_enrol, c.delay_days, c.p_finish,
                       l.k::bigint * 4 + c.pos AS ek, ({self.mandated_sql(courses)}) AS mandated
                FROM syn_learner l CROSS JOIN syn_course c
            ), e1 AS MATERIALIZED (
                SELECT cand.*,
                       {_active("joined", off)} + 120 + {ACTIVE_DAY}
                           * CASE WHEN mandated THEN LEAST(delay_days, 4) ELSE delay_days END
                           * -ln(1 - pg_temp.syn_u(ek, 10)) AS a_enrol
                FROM cand
                WHERE pg_temp.syn_u(ek, 11) < CASE WHEN mandated THEN 0.985 ELSE p_enrol END
            ), e2 AS MATERIALIZED (
                SELECT e1.*, {_wall("a_enrol", off)} AS enrolled_at,
                       CASE WHEN pg_temp.syn_u(ek, 12) < LEAST(0.97, CASE WHEN mandated THEN 0.92
                                                                 ELSE p_finish * (0.7 + 0.6 * eng) END)
                            THEN n_lessons ELSE floor(pg_temp.syn_u(ek, 13) * n_lessons)::int END AS planned,
                       CASE WHEN pg_temp.syn_u(ek, 14) < 0.4 THEN 900 + 1800 * pg_temp.syn_u(ek, 15)
                            ELSE 7200 * exp(pg_temp.syn_u(ek, 15) * ln(180)) END AS pace
                FROM e1
            ), e3 AS MATERIALIZED (
                -- Lessons 1 … f are surely done by now (lesson i by active time a_enrol + pace * i); f + 1 may be.
                SELECT e.*, {lesson_active("e.f + 1")} AS a_next
                FROM (SELECT e2.*, GREATEST(0, LEAST(planned, floor((%(active_now)s - a_enrol) / pace)))::int AS f
                      FROM e2 WHERE enrolled_at <= %(now)s) e
            ), e4 AS MATERIALIZED (
                SELECT e.*, CASE WHEN e.f < e.planned AND {_wall("e.a_next", off)} <= %(now)s
                                 THEN e.f + 1 ELSE e.f END AS m
                FROM e3 e
            ), e5 AS MATERIALIZED (
                SELECT e.*, CASE WHEN e.m > 0 THEN {lesson_active("e.m")} END AS a_last
                FROM e4 e
            )
            SELECT e.*, {_wall("e.a_last", off)} AS t_last
            FROM e5 e
            """,
            params,
        )
        self.run("ANALYZE syn_plan")
        # Final tests: learners who finished every lesson may take it, up to the quiz's attempt limit, with
        # its minimum wait between attempts; the first passed attempt completes the course.
        self.run("DROP TABLE IF EXISTS syn_final")
        self.run(
            f"""
            CREATE TEMPORARY TABLE syn_final AS
            WITH takers AS MATERIALIZED (
                SELECT e.ek, e.t_last, q.quiz_id, q.time_limit, q.min_wait, q.max_attempts, q.pass_mark,
                       e.a_last + CASE WHEN pg_temp.syn_u(e.ek, 21) < 0.3 THEN 300 + 1500 * pg_temp.syn_u(e.ek, 22)
                                       ELSE 3600 * exp(pg_temp.syn_u(e.ek, 22) * ln(240)) END AS a_first,
                       (COALESCE(q.time_limit, 900) + q.min_wait + 60) * {STRETCH}
                           + CASE WHEN pg_temp.syn_u(e.ek, 23) < 0.5 THEN 900 * pg_temp.syn_u(e.ek, 24)
                                  ELSE 3600 * exp(pg_temp.syn_u(e.ek, 24) * ln(72)) END AS gap,
                       LEAST(3, COALESCE(q.max_attempts, 3)) AS most
                FROM syn_plan e JOIN syn_quiz q ON q.quiz_id = e.final_quiz
                WHERE e.m = e.n_lessons
                  AND pg_temp.syn_u(e.ek, 20) < CASE WHEN e.mandated THEN 0.95 ELSE %(take)s END
            ), planned AS MATERIALIZED (
                -- Attempts until the first pass, as long as the learner tries again and the limit allows.
                SELECT t.*,
                       CASE WHEN {final_wins("1")} OR t.most < 2 OR pg_temp.syn_u(t.ek * 4 + 2, 27) >= 0.75 THEN 1
                            WHEN {final_wins("2")} OR t.most < 3 OR pg_temp.syn_u(t.ek * 4 + 3, 27) >= 0.75 THEN 2
                            ELSE 3 END AS tries
                FROM takers t
            )
            SELECT a.*,
                   a.started_at + CASE WHEN a.timed_out THEN a.time_limit + 5
                                       WHEN a.time_limit IS NOT NULL
                                           THEN LEAST(a.time_limit - 10, 180 + 660 * pg_temp.syn_u(a.ak, 28))
                                       ELSE 180 + 660 * pg_temp.syn_u(a.ak, 28) END * interval '1 second' AS ends_at
            FROM (
                SELECT t.ek, j, t.ek * 4 + j AS ak, t.quiz_id, t.pass_mark, t.time_limit,
                       {_wall("t.a_first + (j - 1) * t.gap", self.offset)} AS started_at,
                       {final_timed_out("j")} AS timed_out,
                       {final_wins("j")} AS wins
                FROM planned t CROSS JOIN generate_series(1, t.tries) j
            ) a
            WHERE a.started_at <= %(now)s
            """,
            {"take": FINAL_TAKE_SHARE, "now": self.now},
        )
        self.run("CREATE INDEX ON syn_final (ek)")
        self.run("ANALYZE syn_final")
        self.run("DROP TABLE IF EXISTS syn_enrol")
        self.run(
            """
            CREATE TEMPORARY TABLE syn_enrol AS
            SELECT %(base)s::bigint - 1 + row_number() OVER (ORDER BY p.enrolled_at, p.ek) AS id, p.*,
                   CASE WHEN p.final_quiz IS NULL THEN CASE WHEN p.m = p.n_lessons THEN p.t_last END
                        ELSE f.passed_at END AS completed_at
            FROM syn_plan p
            LEFT JOIN (SELECT ek, min(ends_at) FILTER (WHERE wins AND ends_at <= %(now)s) AS passed_at
                       FROM syn_final GROUP BY ek) f ON f.ek = p.ek
            """,
            {"base": enrol_base, "now": self.now},
        )
        self.run("DROP TABLE syn_plan")
        self.run("CREATE INDEX ON syn_enrol (k)")
        self.run("CREATE INDEX ON syn_enrol (ek)")
        self.run("ANALYZE syn_enrol")
        table = Enrolment._meta.db_table
        rows = self.run(
            f"""
            INSERT INTO {_q(table)} (id, user_id, course_id, commune_id, enrolled_at, last_activity_at, completed_at)
            SELECT id, user_id, course_id, commune, enrolled_at, GREATEST(enrolled_at, t_last, completed_at),
                   completed_at
            FROM syn_enrol ORDER BY id
            """
        )
        self.step(table, rows)
        self.run(f"ANALYZE {_q(table)}")

    def progress(self):
        """Lesson completions and quiz attempts, ``batch`` learners at a time."""
        from learning.progress.models import LessonCompletion, QuizAttempt

        completions, attempts = LessonCompletion._meta.db_table, QuizAttempt._meta.db_table
        attempt_columns = (
            "user_id, quiz_id, course_id, commune_id, number, status, closed_by, started_at, deadline, "
            "submitted_at, pass_mark_percent, time_limit_seconds, review_policy, snapshot, score_percent, passed"
        )
        # The score is a whole number of graded questions out of the snapshot's, above the pass mark or below.
        score = """round(100 * (CASE WHEN {wins}
                        THEN need + floor(pg_temp.syn_u({key}, {p}) * (s.graded - need + 1))
                        ELSE GREATEST(0, LEAST(need - 1, floor((1 - pg_temp.syn_u({key}, {p}) ^ 2) * need))) END
                   )::numeric / GREATEST(s.graded, 1), 2)"""
        for lo in range(0, self.n, self.batch):
            hi = min(self.n, lo + self.batch)
            params = {"lo": lo, "hi": hi, "now": self.now}
            done = self.run(
                f"""
                INSERT INTO {_q(completions)} (user_id, lesson_id, enrolment_id, commune_id, client_id,
                                               time_spent_seconds, completed_at)
                WITH done AS MATERIALIZED (
                    SELECT e.user_id, l.lesson_id, e.id, e.commune, e.ek * 16 + l.lesson_no AS ck,
                           GREATEST(30, LEAST(28800, 0.6 * e.pace, l.minutes * 60
                                    * (0.45 + 1.3 * pg_temp.syn_u(e.ek * 16 + l.lesson_no, 21))))::int AS spent,
                           {lesson_active("l.lesson_no")} AS a
                    FROM syn_enrol e JOIN syn_lesson l ON l.pos = e.pos AND l.lesson_no <= e.m
                    WHERE e.k >= %(lo)s AND e.k < %(hi)s
                )
                SELECT user_id, lesson_id, id, commune, pg_temp.syn_uuid(ck), spent, {_wall("a", self.offset)}
                FROM done
                """,
                params,
            )
            self.add(completions, done)
            finals = self.run(
                f"""
                INSERT INTO {_q(attempts)} ({attempt_columns})
                SELECT e.user_id, f.quiz_id, e.course_id, e.commune, f.j, x.status,
                       CASE WHEN x.status = 'in_progress' THEN '' WHEN f.timed_out THEN 'timeout' ELSE 'learner' END,
                       f.started_at, f.started_at + q.time_limit * interval '1 second',
                       CASE WHEN x.status = 'submitted' THEN f.ends_at END,
                       q.pass_mark, q.time_limit, q.review_policy, s.snapshot,
                       CASE WHEN x.status = 'submitted' THEN x.score END,
                       CASE WHEN x.status = 'submitted' THEN x.score >= q.pass_mark END
                FROM syn_final f
                JOIN syn_enrol e ON e.ek = f.ek
                JOIN syn_quiz q ON q.quiz_id = f.quiz_id
                JOIN syn_snapshot s ON s.quiz_id = f.quiz_id
                     AND s.variant = floor(pg_temp.syn_u(f.ak, 29) * {SNAPSHOT_VARIANTS})::int
                CROSS JOIN LATERAL (SELECT ceil(q.pass_mark * s.graded / 100.0) AS need) n
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN f.ends_at > %(now)s THEN 'in_progress' ELSE 'submitted' END AS status,
                           {score.format(wins="f.wins", key="f.ak", p=30)} AS score
                ) x
                WHERE e.k >= %(lo)s AND e.k < %(hi)s
                """,
                params,
            )
            # Lesson checks: a share of the completed lessons are followed by their check; a failed check
            # is often tried again, and a few untimed checks are left open.
            checks = self.run(
                f"""
                INSERT INTO {_q(attempts)} ({attempt_columns})
                WITH done AS MATERIALIZED (
                    SELECT e.user_id, e.course_id, e.commune, l.check_quiz, e.ek * 16 + l.lesson_no AS ck,
                           {lesson_active("l.lesson_no")} AS a
                    FROM syn_enrol e JOIN syn_lesson l ON l.pos = e.pos AND l.lesson_no <= e.m
                    WHERE e.k >= %(lo)s AND e.k < %(hi)s AND l.check_quiz IS NOT NULL
                      AND pg_temp.syn_u(e.ek * 16 + l.lesson_no, 40) < %(share)s
                ), planned AS MATERIALIZED (
                    SELECT done.*, pg_temp.syn_u(ck, 43) < 0.8 AS first_wins,
                           {_wall("done.a", self.offset)}
                               + (60 + 600 * pg_temp.syn_u(ck, 41)) * interval '1 second' AS start1,
                           60 + 360 * pg_temp.syn_u(ck, 42) AS length1
                    FROM done
                ), tries AS MATERIALIZED (
                    SELECT p.*, j,
                           CASE WHEN p.first_wins OR pg_temp.syn_u(ck, 44) >= 0.6 THEN 1 ELSE 2 END AS tries,
                           CASE WHEN j = 1 THEN start1
                                ELSE start1 + (length1 + 30 + 600 * pg_temp.syn_u(ck, 45)) * interval '1 second'
                           END AS started_at,
                           CASE WHEN j = 1 THEN length1 ELSE 60 + 300 * pg_temp.syn_u(ck, 46) END AS length,
                           CASE WHEN j = 1 THEN first_wins ELSE pg_temp.syn_u(ck, 47) < 0.85 END AS wins
                    FROM planned p CROSS JOIN generate_series(1, 2) j
                )
                SELECT t.user_id, t.check_quiz, t.course_id, t.commune, t.j, x.status,
                       CASE WHEN x.status = 'in_progress' THEN '' ELSE 'learner' END,
                       t.started_at, t.started_at + q.time_limit * interval '1 second',
                       CASE WHEN x.status = 'submitted' THEN x.ends_at END,
                       q.pass_mark, q.time_limit, q.review_policy, s.snapshot,
                       CASE WHEN x.status = 'submitted' THEN x.score END,
                       CASE WHEN x.status = 'submitted' THEN x.score >= q.pass_mark END
                FROM tries t
                JOIN syn_quiz q ON q.quiz_id = t.check_quiz
                JOIN syn_snapshot s ON s.quiz_id = t.check_quiz
                     AND s.variant = floor(pg_temp.syn_u(t.ck * 2 + t.j, 49) * {SNAPSHOT_VARIANTS})::int
                CROSS JOIN LATERAL (SELECT ceil(q.pass_mark * s.graded / 100.0) AS need) n
                CROSS JOIN LATERAL (
                    SELECT t.started_at + t.length * interval '1 second' AS ends_at,
                           CASE WHEN t.started_at + t.length * interval '1 second' > %(now)s
                                  OR (t.j = t.tries AND q.time_limit IS NULL AND pg_temp.syn_u(t.ck, 48) < 0.05)
                                THEN 'in_progress' ELSE 'submitted' END AS status,
                           {score.format(wins="t.wins", key="t.ck * 2 + t.j", p=50)} AS score
                ) x
                WHERE t.j <= t.tries AND t.started_at <= %(now)s
                """,
                {**params, "share": LESSON_CHECK_SHARE},
            )
            self.add(attempts, finals + checks)
            self.log(
                _(
                    "Learners %(done)s/%(total)s: %(completions)s lesson completions, %(attempts)s quiz attempts "
                    "(%(seconds).1f s)"
                )
                % {
                    "done": f"{hi:,}",
                    "total": f"{self.n:,}",
                    "completions": f"{self.counts[completions]:,}",
                    "attempts": f"{self.counts[attempts]:,}",
                    "seconds": time.monotonic() - self.t0,
                }
            )

    def campaign(self, courses: list[Course]):
        """The campaign, its courses, its targets per commune and group, and its mandatory assignments with
        their members (every active account in scope, synthetic or not, like ``assignment_populate``)."""
        from learning.accounts.models import TargetGroup, User
        from learning.campaigns.models import Assignment, AssignmentMember, Campaign, CampaignTarget
        from learning.localities.models import Commune
        from learning.progress.models import Enrolment

        today = timezone.localdate(self.now)
        start_ts = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        last_deadline = max(days for _g, _c, days, _cr, _co, _t in ASSIGNMENTS)
        ends_on = max(self.start + dt.timedelta(days=last_deadline + 16), today)
        campaign = Campaign.objects.create(
            name=f"Bình dân học vụ số tỉnh Quảng Ninh {self.start.year}{CAMPAIGN_SUFFIX}",
            province_id=PROVINCE,
            starts_on=self.start,
            ends_on=ends_on,
        )
        campaign.courses.set([c.page for c in courses])
        self.step(Campaign._meta.db_table, 1)
        titles = {f"c{c.position}": c.page.title for c in courses}
        by_position = {c.position: c.page for c in courses}
        self.run("DROP TABLE IF EXISTS syn_assignment")
        self.run("CREATE TEMPORARY TABLE syn_assignment (id bigint, course_id int, n int)")
        made = 0
        for group, positions, deadline, created, communes, title in ASSIGNMENTS:
            required = [by_position[p] for p in positions if p in by_position]
            if not required:
                continue
            assignment = Assignment.objects.create(
                title=title.format(**{k: titles.get(k, "") for k in ("c1", "c2", "c3")}),
                campaign=campaign,
                target_group_id=group,
                province_id=PROVINCE,
                deadline=self.start + dt.timedelta(days=deadline),
                created_at=start_ts + dt.timedelta(days=created, hours=9),
            )
            assignment.courses.set(required)
            if communes:
                assignment.communes.set([c for c in communes if c in self.commune_codes])
            self.c.executemany(
                "INSERT INTO syn_assignment VALUES (%s, %s, %s)",
                [(assignment.pk, page.pk, len(required)) for page in required],
            )
            made += 1
        self.step(Assignment._meta.db_table, made)
        groups = _q(User.target_groups.through._meta.db_table)
        scopes = _q(Assignment.communes.through._meta.db_table)
        self.run("ANALYZE syn_assignment")
        # Who is in each assignment's group and scope (a temporary table: the planner then knows how many).
        self.run("DROP TABLE IF EXISTS syn_member")
        self.run(
            f"""
            CREATE TEMPORARY TABLE syn_member AS
            SELECT a.id AS assignment_id, u.id AS user_id, u.commune_id,
                   GREATEST(a.created_at, u.date_joined) AS assigned_at
            FROM {_q(Assignment._meta.db_table)} a
            JOIN {groups} g ON g.targetgroup_id = a.target_group_id
            JOIN {_q(User._meta.db_table)} u ON u.id = g.user_id AND u.is_active
            JOIN {_q(Commune._meta.db_table)} c ON c.code = u.commune_id AND c.province_id = a.province_id
            WHERE a.campaign_id = %(campaign)s
              AND (NOT EXISTS (SELECT 1 FROM {scopes} ac WHERE ac.assignment_id = a.id)
                   OR EXISTS (SELECT 1 FROM {scopes} ac
                              WHERE ac.assignment_id = a.id AND ac.commune_id = u.commune_id))
            """,
            {"campaign": campaign.pk},
        )
        self.run("ANALYZE syn_member")
        rows = self.run(
            f"""
            INSERT INTO {_q(AssignmentMember._meta.db_table)} (assignment_id, user_id, commune_id, assigned_at,
                                                               started_at, completed_at, left_at)
            WITH progress AS (
                SELECT m.assignment_id, m.user_id, min(e.enrolled_at) AS started_at,
                       max(e.completed_at) AS last_completed, count(e.completed_at) AS done, min(a.n) AS required
                FROM syn_member m
                JOIN syn_assignment a ON a.id = m.assignment_id
                JOIN {_q(Enrolment._meta.db_table)} e ON e.user_id = m.user_id AND e.course_id = a.course_id
                GROUP BY m.assignment_id, m.user_id
            )
            SELECT m.assignment_id, m.user_id, m.commune_id, m.assigned_at, p.started_at,
                   CASE WHEN p.done = p.required THEN p.last_completed END, NULL
            FROM syn_member m LEFT JOIN progress p ON p.assignment_id = m.assignment_id AND p.user_id = m.user_id
            ORDER BY m.assignment_id, m.user_id
            """
        )
        self.step(AssignmentMember._meta.db_table, rows)
        # Targets: roughly the people of each group in each commune (90–130 %), and the completions expected
        # of them; rounded like an organiser would (to 5 when there are more than 20).
        rows = self.run(
            f"""
            INSERT INTO {_q(CampaignTarget._meta.db_table)} (campaign_id, commune_id, target_group_id,
                                                             expected_participants, expected_completions)
            WITH people AS (
                SELECT u.commune_id, g.targetgroup_id, count(*) AS n
                FROM {_q(User._meta.db_table)} u JOIN {groups} g ON g.user_id = u.id
                GROUP BY 1, 2
            ), expected AS (
                SELECT c.code, tg.code AS grp, tg.position, rate.value AS rate,
                       COALESCE(p.n, 0) * (0.9 + 0.4 * pg_temp.syn_u(
                           (row_number() OVER (ORDER BY c.code, tg.code))::bigint, 60)) AS raw
                FROM {_q(Commune._meta.db_table)} c
                CROSS JOIN {_q(TargetGroup._meta.db_table)} tg
                JOIN (SELECT * FROM unnest(%(groups)s::text[], %(rates)s::float8[])) AS rate(grp, value)
                     ON rate.grp = tg.code
                LEFT JOIN people p ON p.commune_id = c.code AND p.targetgroup_id = tg.code
                WHERE c.province_id = %(province)s
            ), rounded AS (
                SELECT code, grp, rate, CASE WHEN raw > 20 THEN round(raw / 5) * 5 ELSE round(raw) END AS participants
                FROM expected
            )
            SELECT %(campaign)s, code, grp, participants, round(participants * rate)
            FROM rounded ORDER BY code, grp
            """,
            {
                "campaign": campaign.pk,
                "province": PROVINCE,
                "groups": list(COMPLETION_RATE),
                "rates": list(COMPLETION_RATE.values()),
            },
        )
        self.step(CampaignTarget._meta.db_table, rows)


def pg_sequence(table: str) -> str:
    return f"pg_get_serial_sequence('{table}', 'id')::regclass"


def province_generate(
    *,
    learners: int,
    seed: int = 1,
    batch: int = 100_000,
    start: dt.date = DEFAULT_START,
    reset: bool = False,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> Result:
    """Generate the synthetic province (after removing the previous one when ``reset``); PostgreSQL only.

    Runs in one transaction. Returns the rows inserted per table, the learners removed and the time taken."""
    from learning.accounts.models import User
    from learning.progress.models import Enrolment

    if not is_postgresql():
        raise SyntheticError(
            _("generate_province needs PostgreSQL (set DATABASE_URL); this database is %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    now = now or timezone.now()
    result = Result()
    t0 = time.monotonic()
    courses = content_ensure() if learners else []
    if learners:
        log(
            _("Content: %(courses)d demo courses, %(lessons)d lessons; basic programme: %(basic)s (%(seconds).1f s)")
            % {
                "courses": len(courses),
                "lessons": sum(len(c.lessons) for c in courses),
                "basic": courses[0].page.title if courses else "-",
                "seconds": time.monotonic() - t0,
            }
        )
    tables = _bulk_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        if learners < 100_000:  # compiling the expressions costs more than it saves on small runs
            cursor.execute("SET LOCAL jit = off")
        _flush_deferred_checks(cursor)  # DDL refuses tables with foreign key checks still pending
        recreate = _bulk_off(cursor, tables)
        if reset:
            result.removed_learners = _remove(cursor, frozenset(tables))
            log(
                _("Removed the previous synthetic data: %(learners)s learners (%(seconds).1f s)")
                % {"learners": f"{result.removed_learners:,}", "seconds": time.monotonic() - t0}
            )
        if learners:
            _uniform_function(cursor, seed)
            gen = _Generator(cursor, learners=learners, seed=seed, batch=batch, start=start, now=now, log=log)
            gen.t0 = t0
            gen.communes()
            gen.content_tables(courses)
            gen.learners(gen.next_id(User._meta.db_table))
            gen.enrolments(courses, gen.next_id(Enrolment._meta.db_table))
            gen.progress()
            gen.campaign(courses)
            result.counts = gen.counts
            for name in TEMPORARY_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
        _flush_deferred_checks(cursor)
        for statement in recreate:
            cursor.execute(statement)
        log(_("Indexes and constraints checked and rebuilt (%(seconds).1f s)") % {"seconds": time.monotonic() - t0})
        if learners:  # explicit ids were inserted: the sequences go past them
            for table in (User._meta.db_table, Enrolment._meta.db_table):
                cursor.execute(
                    f"SELECT setval({pg_sequence(table)}, GREATEST((SELECT MAX(id) FROM {_q(table)}),"
                    f" pg_sequence_last_value({pg_sequence(table)})))"
                )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {_q(table)}")
    result.seconds = time.monotonic() - t0
    return result


def digest() -> str:
    """A fingerprint of the synthetic data that does not depend on ids (for reproducibility checks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(line, E'\\n' ORDER BY line)) FROM (
                SELECT u.phone || u.full_name || u.commune_id || u.date_joined::text
                       || COALESCE((SELECT string_agg(g.targetgroup_id, ',' ORDER BY g.targetgroup_id)
                                    FROM accounts_user_target_groups g WHERE g.user_id = u.id), '') AS line
                FROM accounts_user u WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || e.course_id || e.enrolled_at::text || COALESCE(e.completed_at::text, '-')
                FROM progress_enrolment e JOIN accounts_user u ON u.id = e.user_id WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || c.lesson_id || c.client_id::text || c.completed_at::text || c.time_spent_seconds
                FROM progress_lessoncompletion c JOIN accounts_user u ON u.id = c.user_id
                WHERE u.password = %(marker)s
                UNION ALL
                SELECT u.phone || a.quiz_id || a.number || a.status || a.started_at::text
                       || COALESCE(a.score_percent::text, '-')
                FROM progress_quizattempt a JOIN accounts_user u ON u.id = a.user_id WHERE u.password = %(marker)s
            ) s
            """,
            {"marker": MARKER_PASSWORD},
        )
        return cursor.fetchone()[0] or ""
