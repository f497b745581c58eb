"""Phase 2: the courses as temporary tables, the enrolments and the plan of each learner's lessons and final
tests (who finishes, at what pace, which attempt passes)."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
from __future__ import annotations

from .bulk import quote
from .clock import ACTIVE_DAY, STRETCH, active_at, active_sql, final_timed_out, final_wins, lesson_active, wall_sql
from .content import Course, snapshots
from .province import ASSIGNMENTS, COURSE_BEHAVIOUR, EXTRA_COURSE_BEHAVIOUR, FINAL_TAKE_SHARE


class EnrolmentsPhase:
    """The courses, enrolments and the plan of lessons and final tests (a part of the ``Generator``)."""

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
        self.c.executemany("INSERT INTO syn_snapshot VALUES (%s, %s, %s, %s::jsonb)", snapshots(courses, self.seed))
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
        params = {"now": self.now, "active_now": active_at(self.now)}
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
                       {active_sql("joined", off)} + 120 + {ACTIVE_DAY}
                           * CASE WHEN mandated THEN LEAST(delay_days, 4) ELSE delay_days END
                           * -ln(1 - pg_temp.syn_u(ek, 10)) AS a_enrol
                FROM cand
                WHERE pg_temp.syn_u(ek, 11) < CASE WHEN mandated THEN 0.985 ELSE p_enrol END
            ), e2 AS MATERIALIZED (
                SELECT e1.*, {wall_sql("a_enrol", off)} AS enrolled_at,
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
                SELECT e.*, CASE WHEN e.f < e.planned AND {wall_sql("e.a_next", off)} <= %(now)s
                                 THEN e.f + 1 ELSE e.f END AS m
                FROM e3 e
            ), e5 AS MATERIALIZED (
                SELECT e.*, CASE WHEN e.m > 0 THEN {lesson_active("e.m")} END AS a_last
                FROM e4 e
            )
            SELECT e.*, {wall_sql("e.a_last", off)} AS t_last
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
                       {wall_sql("t.a_first + (j - 1) * t.gap", self.offset)} AS started_at,
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
            INSERT INTO {quote(table)} (id, user_id, course_id, commune_id, enrolled_at, last_activity_at, completed_at)
            SELECT id, user_id, course_id, commune, enrolled_at, GREATEST(enrolled_at, t_last, completed_at),
                   completed_at
            FROM syn_enrol ORDER BY id
            """
        )
        self.step(table, rows)
        self.run(f"ANALYZE {quote(table)}")
