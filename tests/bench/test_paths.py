"""bench.paths: a load phase that runs out of learners for the quiz start stops and says so (it had gone on
measuring nothing, and reported the reference as infinitely faster)."""

import pytest

from bench import paths as bp


def test_a_quiz_start_phase_without_learners_left_stops_with_a_clear_message():
    plan = {"others": ["only-one"], "quiz_id": 1, "token": "t"}
    taken = bp.Paths(plan)
    taken.next_token()
    with pytest.raises(SystemExit, match=r"POST quiz start, 3 clients: no learner left .* --learners"):
        bp.load_phase(1, taken, "POST quiz start", 3, 5.0)


def test_spread_over_processes_it_stops_before_starting_them():
    taken = bp.Paths({"others": [], "quiz_id": 1, "token": "t"})
    with pytest.raises(SystemExit, match="no learner left"):
        bp.load_phase(1, taken, "POST quiz start", 4, 1.0, processes=2)


def test_by_default_there_are_learners_for_every_load_phase():
    args = bp.parse_args([])
    assert args.learners is None  # worked out in main() from the phases
    args.in_process_learners = 0
    phases = args.load_rounds * len(args.concurrency)
    assert bp.learners_needed(args) >= phases * bp.STARTS_PER_SECOND * args.load_seconds
    args.no_gunicorn = True
    assert bp.learners_needed(args) == 100
