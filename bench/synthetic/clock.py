"""SQL building blocks: reproducible random numbers, and the learners' "active clock" (nobody studies at 3 a.m.)."""

import datetime as dt

from django.utils import timezone

from .province import FINAL_PASS


def random_functions_create(cursor, seed: int) -> None:
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


# Learners are active from 6:00 to 23:00, most in the evening. Their progress runs on an "active clock" that
# only moves in those hours (ACTIVE_DAY seconds a day, spread over the hours by these weights), so a lesson
# never ends at 3 a.m.; ``active_sql`` and ``wall_sql`` convert (both increasing, inverse of each other).
ACTIVE_HOURS = (6, 23)
HOUR_WEIGHTS = (1.5, 3, 4, 4.5, 4.5, 4, 3, 3.5, 4.5, 4.5, 4.5, 4, 5, 7, 8.5, 8, 5)  # 6:00 … 22:00
ACTIVE_DAY = 61200.0
_SHARES = [w / sum(HOUR_WEIGHTS) for w in HOUR_WEIGHTS]
_STARTS = [sum(_SHARES[:i]) for i in range(len(_SHARES))]
_W = "(ARRAY[" + ", ".join(repr(w) for w in _SHARES) + "]::float8[])"
_CUM = "(ARRAY[" + ", ".join(repr(c) for c in _STARTS) + "]::float8[])"
# The wall clock runs at least this much faster than the active clock: waits are stretched by it.
STRETCH = max(_SHARES) * ACTIVE_DAY / 3600


def active_at(moment: dt.datetime) -> float:
    """The active clock at ``moment`` (Python twin of ``active_sql``)."""
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


def active_sql(ts: str, offset: int) -> str:
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


def wall_sql(a: str, offset: int) -> str:
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
