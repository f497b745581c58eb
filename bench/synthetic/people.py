"""Phase 1: the communes' sizes and the learners (phone, name, commune, target groups, sign-up time)."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
import datetime as dt
import zlib

from django.utils import timezone

from .bulk import quote
from .province import (
    COMMUNE_LAST,
    COMMUNE_RANK,
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    FEMALE_SECOND_MIDDLE,
    GROUP_MIX,
    GROUPS,
    MALE_GIVEN,
    MALE_MIDDLE,
    MARKER_PASSWORD,
    PHONE_PREFIXES,
    PHONE_SPACE,
    PHONE_STEP,
    PROVINCE,
    YOUNG_FEMALE_MIDDLE,
    YOUNG_MALE_MIDDLE,
    ZIPF_EXPONENT,
    weighted,
)


def commune_sizes(n: int, codes: list[str]) -> list[int]:
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


def ranked_communes() -> list[tuple[str, str]]:
    from learning.localities.models import Commune

    communes = dict(Commune.objects.filter(province_id=PROVINCE).values_list("code", "type"))
    type_order = {"phuong": 0, "xa": 1, "dac_khu": 2}
    first = [c for c in COMMUNE_RANK if c in communes]
    last = [c for c in COMMUNE_LAST if c in communes and c not in first]
    middle = sorted(
        (c for c in communes if c not in first and c not in last), key=lambda c: (type_order.get(communes[c], 3), c)
    )
    return [(code, communes[code]) for code in first + middle + last]


class PeoplePhase:
    """The communes and the learners (a part of :class:`bench.synthetic.generate.Generator`)."""

    def communes(self):
        ranked = ranked_communes()
        sizes = commune_sizes(self.n, [code for code, _type in ranked])
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

        users = quote(User._meta.db_table)
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
                "family": weighted(FAMILY_NAMES),
                "family_n": len(weighted(FAMILY_NAMES)),
                "mm": weighted(MALE_MIDDLE),
                "fm": weighted(FEMALE_MIDDLE),
                "ym": weighted(YOUNG_MALE_MIDDLE),
                "yf": weighted(YOUNG_FEMALE_MIDDLE),
                "f2": FEMALE_SECOND_MIDDLE,
                "f2_n": len(FEMALE_SECOND_MIDDLE),
                "mg": weighted(MALE_GIVEN),
                "mg_n": len(weighted(MALE_GIVEN)),
                "fg": weighted(FEMALE_GIVEN),
                "fg_n": len(weighted(FEMALE_GIVEN)),
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
            INSERT INTO {quote(through)} (user_id, targetgroup_id)
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
        self.run(f"ANALYZE {quote(through)}")
