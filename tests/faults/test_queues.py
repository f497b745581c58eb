"""Queues that cannot starve each other, with the deploy's own start script and real worker processes.

Two workers as deploy/compose.yaml runs them — ``CELERY_QUEUES=interactive`` and
``CELERY_QUEUES=stats,reports,imports,xapi`` — one process each. While the heavy worker is held by long
report steps, a task a person waits for (the health check's ping, routed to ``interactive``) is answered at
once; and ``/healthz?worker=1``'s checks name a queue that has lost its worker.
"""

import os
import sys
import time
from pathlib import Path

from tests.faults.conftest import ROOT, Proc, django_run, process_env, wait_for

HEAVY = "stats,reports,imports,xapi"


def start_worker(env: dict, queues: str, log: Path) -> Proc:
    worker_env = {
        **env,
        "CELERY_QUEUES": queues,
        "CELERY_CONCURRENCY": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    }
    proc = Proc([str(ROOT / "deploy" / "start-worker.sh"), "--include=tests.faults._tasks"], worker_env, log)
    wait_for(lambda: "ready." in proc.log() or not proc.alive(), 90, f"the {queues} worker", interval=0.3)
    assert proc.alive(), proc.log()[-3000:]
    return proc


def test_a_slow_report_does_not_delay_an_interactive_task(fault_redis, tmp_path):
    env = process_env(f"sqlite:///{tmp_path / 'unused.sqlite3'}", fault_redis)
    heavy = start_worker(env, HEAVY, tmp_path / "heavy.log")
    interactive = start_worker(env, "interactive", tmp_path / "interactive.log")
    try:
        result = django_run(
            env,
            """
            import time
            from learning.site import health
            from learning.site.tasks import ping
            from tests.faults._tasks import sleep

            queues = {name: state["workers"] for name, state in health.queue_states().items()}
            slow = [sleep.delay(8) for _ in range(3)]  # 24 s of report work for a worker of one process
            time.sleep(1.5)  # the first has started, the others wait behind it
            waits = []
            for _ in range(5):
                started = time.monotonic()
                assert ping.delay().get(timeout=20) == "pong"
                waits.append(time.monotonic() - started)
            reports_busy = not slow[0].ready()
            waiting = health.queue_states()["reports"]["waiting"]
            state = health.workers_state()
            result = {"queues": queues, "waits": waits, "reports_busy": reports_busy, "reports_waiting": waiting,
                      "problems": state["problems"], "worker": state["worker"]}
            """,
            timeout=120,
        )
        print(
            f"\nworkers per queue: {result['queues']}; ping answered in "
            f"{', '.join(f'{w * 1000:.0f} ms' for w in result['waits'])} while the reports worker was busy "
            f"({result['reports_waiting']} report steps waiting)"
        )
        assert result["queues"] == {"interactive": 1, "stats": 1, "reports": 1, "imports": 1, "xapi": 1}
        assert result["reports_busy"] and result["reports_waiting"] >= 1
        assert max(result["waits"]) < 2.0
        assert result["worker"] == "ok" and result["problems"] == []

        heavy.stop()
        started = time.monotonic()
        state = django_run(env, "from learning.site import health\nresult = health.workers_state()")
        print(f"heavy worker stopped: problems {state['problems']} ({time.monotonic() - started:.1f} s)")
        assert "no worker consumes the reports queue" in state["problems"]
        assert state["worker"] == "ok"  # the interactive one still answers

        interactive.stop()
        state = django_run(env, "from learning.site import health\nresult = health.workers_state()")
        assert state["worker"] == "error: no worker consumes the interactive queue"
    finally:
        heavy.stop()
        interactive.stop()
