"""The load benchmark's arithmetic and its bare reference endpoint (the run itself is ``make bench-load``)."""

import datetime as dt

from django.test import override_settings

from bench import load


def records():
    rows = [("HTTP", "reader: course (API)", float(ms), True) for ms in range(1, 101)]
    rows += [("HTTP", "organiser: dashboard (HTML)", 400.0, True), ("HTTP", "organiser: people (HTML)", 90.0, False)]
    rows += [("HTTP", "reference: bare endpoint", 10.0, True), ("JOB", "job: report (request → ready)", 900.0, True)]
    return rows


def test_summary_groups_endpoints_with_nearest_rank_percentiles():
    summary = load.summarise(records(), wall=10.0)
    reader = summary["endpoints"]["reader: course (API)"]
    assert (reader["count"], reader["p50"], reader["p95"], reader["p99"], reader["max"]) == (100, 50, 95, 99, 100)
    assert reader["per_s"] == 10.0
    learner, organiser = summary["groups"]["learner"], summary["groups"]["organiser"]
    assert learner["count"] == 100 and learner["errors"] == 0
    assert (organiser["count"], organiser["errors"], organiser["p95"]) == (2, 1, 400.0)
    # jobs are not requests; the reference is a request but in no group of people
    assert summary["groups"]["all requests"]["count"] == 103


def test_verdict_names_every_missed_goal():
    now = dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC)
    done = {"seconds": 3.0, "during_load": True}
    result = {
        "summary": load.summarise(records(), wall=10.0),
        "database": {
            "jobs": {"import": {**done, "status": "imported"}, "report": {**done, "status": "ready"}},
        },
    }
    lines = load.verdict(result)
    assert result["failed"] == ["MISSED: 1 errors"]  # learner p95 95 ms < 300, organiser p95 400 ms < 500
    assert lines[-1].startswith("learner p95 95 ms")
    result["database"]["jobs"]["report"] = load.job(now, None, now)
    load.verdict(result)
    assert any("did not both finish" in line for line in result["failed"])
    assert load.job(now - dt.timedelta(seconds=5), now, now) == {"seconds": 5.0, "during_load": True}


@override_settings(ROOT_URLCONF="bench.load_urls")
def test_the_bare_endpoint_needs_nothing(client):
    response = client.get("/bench/bare/")  # no django_db mark: a query would fail the test
    assert response.status_code == 200 and response.json() == {"ok": True}
