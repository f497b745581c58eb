"""Phase 4: the campaign, its courses and targets, its mandatory assignments and their members."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .bulk import quote
from .content import Course
from .province import ASSIGNMENTS, CAMPAIGN_SUFFIX, COMPLETION_RATE, PROVINCE


class CampaignPhase:
    """The campaign and its mandatory assignments (a part of the ``Generator``)."""

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
        groups = quote(User.target_groups.through._meta.db_table)
        scopes = quote(Assignment.communes.through._meta.db_table)
        self.run("ANALYZE syn_assignment")
        # Who is in each assignment's group and scope (a temporary table: the planner then knows how many).
        self.run("DROP TABLE IF EXISTS syn_member")
        self.run(
            f"""
            CREATE TEMPORARY TABLE syn_member AS
            SELECT a.id AS assignment_id, u.id AS user_id, u.commune_id,
                   GREATEST(a.created_at, u.date_joined) AS assigned_at
            FROM {quote(Assignment._meta.db_table)} a
            JOIN {groups} g ON g.targetgroup_id = a.target_group_id
            JOIN {quote(User._meta.db_table)} u ON u.id = g.user_id AND u.is_active
            JOIN {quote(Commune._meta.db_table)} c ON c.code = u.commune_id AND c.province_id = a.province_id
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
            INSERT INTO {quote(AssignmentMember._meta.db_table)} (assignment_id, user_id, commune_id, assigned_at,
                                                               started_at, completed_at, left_at)
            WITH progress AS (
                SELECT m.assignment_id, m.user_id, min(e.enrolled_at) AS started_at,
                       max(e.completed_at) AS last_completed, count(e.completed_at) AS done, min(a.n) AS required
                FROM syn_member m
                JOIN syn_assignment a ON a.id = m.assignment_id
                JOIN {quote(Enrolment._meta.db_table)} e ON e.user_id = m.user_id AND e.course_id = a.course_id
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
            INSERT INTO {quote(CampaignTarget._meta.db_table)} (campaign_id, commune_id, target_group_id,
                                                             expected_participants, expected_completions)
            WITH people AS (
                SELECT u.commune_id, g.targetgroup_id, count(*) AS n
                FROM {quote(User._meta.db_table)} u JOIN {groups} g ON g.user_id = u.id
                GROUP BY 1, 2
            ), expected AS (
                SELECT c.code, tg.code AS grp, tg.position, rate.value AS rate,
                       COALESCE(p.n, 0) * (0.9 + 0.4 * pg_temp.syn_u(
                           (row_number() OVER (ORDER BY c.code, tg.code))::bigint, 60)) AS raw
                FROM {quote(Commune._meta.db_table)} c
                CROSS JOIN {quote(TargetGroup._meta.db_table)} tg
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
