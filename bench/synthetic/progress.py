"""Phase 3: lesson completions and quiz attempts (final tests and lesson checks), a batch of learners at a time."""

# SQL is assembled from table names, fixed fragments and numbers computed here; values are query parameters.
# ruff: noqa: S608
import time

from .bulk import quote
from .clock import lesson_active, wall_sql
from .province import LESSON_CHECK_SHARE, SNAPSHOT_VARIANTS


class ProgressPhase:
    """Lesson completions and quiz attempts (a part of the ``Generator``)."""

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
                INSERT INTO {quote(completions)} (user_id, lesson_id, enrolment_id, commune_id, client_id,
                                               time_spent_seconds, completed_at)
                WITH done AS MATERIALIZED (
                    SELECT e.user_id, l.lesson_id, e.id, e.commune, e.ek * 16 + l.lesson_no AS ck,
                           GREATEST(30, LEAST(28800, 0.6 * e.pace, l.minutes * 60
                                    * (0.45 + 1.3 * pg_temp.syn_u(e.ek * 16 + l.lesson_no, 21))))::int AS spent,
                           {lesson_active("l.lesson_no")} AS a
                    FROM syn_enrol e JOIN syn_lesson l ON l.pos = e.pos AND l.lesson_no <= e.m
                    WHERE e.k >= %(lo)s AND e.k < %(hi)s
                )
                SELECT user_id, lesson_id, id, commune, pg_temp.syn_uuid(ck), spent, {wall_sql("a", self.offset)}
                FROM done
                """,
                params,
            )
            self.add(completions, done)
            finals = self.run(
                f"""
                INSERT INTO {quote(attempts)} ({attempt_columns})
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
                INSERT INTO {quote(attempts)} ({attempt_columns})
                WITH done AS MATERIALIZED (
                    SELECT e.user_id, e.course_id, e.commune, l.check_quiz, e.ek * 16 + l.lesson_no AS ck,
                           {lesson_active("l.lesson_no")} AS a
                    FROM syn_enrol e JOIN syn_lesson l ON l.pos = e.pos AND l.lesson_no <= e.m
                    WHERE e.k >= %(lo)s AND e.k < %(hi)s AND l.check_quiz IS NOT NULL
                      AND pg_temp.syn_u(e.ek * 16 + l.lesson_no, 40) < %(share)s
                ), planned AS MATERIALIZED (
                    SELECT done.*, pg_temp.syn_u(ck, 43) < 0.8 AS first_wins,
                           {wall_sql("done.a", self.offset)}
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
                f"Learners {hi:,}/{self.n:,}: {self.counts[completions]:,} lesson completions, "
                f"{self.counts[attempts]:,} quiz attempts ({time.monotonic() - self.t0:.1f} s)"
            )
