"""The fault fixtures themselves: private services that stop and start, a worker that runs tasks."""

import time

import pytest

pytestmark = pytest.mark.faults


def test_a_private_worker_runs_a_task_and_the_services_come_back(fault_stack):
    started = time.monotonic()
    fault_stack.worker()
    result = fault_stack.django(
        """
        from learning.site.tasks import ping
        result = ping.delay().get(timeout=60)
        """
    )
    assert result == "pong"
    fault_stack.redis.stop()
    assert not fault_stack.redis.ping()
    fault_stack.redis.start()
    fault_stack.postgres.restart()
    users = fault_stack.django("from learning.accounts.models import User\nresult = User.objects.count()")
    print(f"ping={result!r} users={users} in {time.monotonic() - started:.1f} s")
    assert users == 0
