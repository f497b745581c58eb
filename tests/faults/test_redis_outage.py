"""Redis stopped for 30 s while learners work: Redis is the cache and the broker, PostgreSQL holds the records.

Nothing a learner saved is answered with an error (no 5xx at all: the cache degrades, tasks that cannot be
queued are logged), every client id is recorded once, the worker outlives the outage and runs tasks after it,
and the statistics it keeps equal a full recompute.
"""

import os
import time

from tests.faults._load import check, learners_at_work

OUTAGE_SECONDS = float(os.environ.get("FAULTS_REDIS_OUTAGE_SECONDS", "30"))


def test_learners_keep_working_while_redis_is_down(fault_stack):
    started = time.monotonic()
    worker, web, learners = learners_at_work(fault_stack)
    fault_stack.redis.stop()
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    assert worker.alive(), f"the worker exited during the outage:\n{worker.log()[-3000:]}"
    fault_stack.redis.start()
    print(f"\nRedis was down for {time.monotonic() - down_at:.1f} s")
    time.sleep(5)
    learners.join()
    check(fault_stack, learners, worker, allow_unsaved_5xx=False)
    assert "Unrecoverable error" not in worker.log()
    print(f"the whole test took {time.monotonic() - started:.0f} s")
