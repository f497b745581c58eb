"""PostgreSQL stopped for 10 s and started again while learners work.

Requests in those seconds may fail — never one whose write was saved — and the learners' clients send their
writes again with the same client id: every client id is recorded once. Web processes and the worker
reconnect by themselves (nothing is restarted), and the statistics equal a full recompute.
"""

import os
import time

from tests.faults._load import check, learners_at_work

DOWN_SECONDS = float(os.environ.get("FAULTS_POSTGRES_DOWN_SECONDS", "10"))


def test_learners_keep_working_across_a_postgres_restart(fault_stack):
    started = time.monotonic()
    worker, web, learners = learners_at_work(fault_stack)
    stopped_at = time.monotonic()
    fault_stack.postgres.stop(mode="fast")
    time.sleep(DOWN_SECONDS)
    fault_stack.postgres.start()
    print(f"\nPostgreSQL was down for {time.monotonic() - stopped_at:.1f} s")
    time.sleep(8)
    learners.join()
    assert web.proc.alive(), web.proc.log()[-3000:]
    check(fault_stack, learners, worker, allow_unsaved_5xx=True)
    print(f"the whole test took {time.monotonic() - started:.0f} s")
