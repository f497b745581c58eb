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

It writes only to a benchmark database in a development configuration (:mod:`bench.guard`). The modules, in
the order the generator runs them: ``province`` (what the province looks like), ``content`` (the courses taken;
what synthetic data exists), ``bulk`` (indexes and foreign keys off and on; removing), ``clock`` (random numbers
and the active clock in SQL), then the phases ``people``, ``enrolments``, ``progress`` (completions and
attempts) and ``campaign``, run in one transaction by ``generate``.
"""

from .content import (
    Course,
    SyntheticError,
    content_ensure,
    is_postgresql,
    synthetic_campaigns,
    synthetic_exists,
    synthetic_learner_count,
)
from .generate import Result, digest, province_generate
from .province import CAMPAIGN_SUFFIX, DEFAULT_START, FAMILY_NAMES, MARKER_PASSWORD, MAX_LEARNERS, PROVINCE

__all__ = [
    "CAMPAIGN_SUFFIX",
    "DEFAULT_START",
    "FAMILY_NAMES",
    "MARKER_PASSWORD",
    "MAX_LEARNERS",
    "PROVINCE",
    "Course",
    "Result",
    "SyntheticError",
    "content_ensure",
    "digest",
    "is_postgresql",
    "province_generate",
    "synthetic_campaigns",
    "synthetic_exists",
    "synthetic_learner_count",
]
