import os

import pytest

from learning.xapi.models import Lrs

from .lrs_server import PASSWORD, RALPH, USER, RalphLrs


@pytest.fixture(scope="session")
def ralph():
    """The LRS for the whole session (started once; tests clear what it stored)."""
    if not RALPH.exists():
        message = f"ralph is not installed at {RALPH} (make lrs)"
        if os.environ.get("LRS_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = RalphLrs()
    server.start()
    yield server
    server.close()


@pytest.fixture
def lrs_server(ralph):
    if ralph.process is None:  # a test stopped it and failed before starting it again
        ralph.start()
    ralph.clear()
    yield ralph
    if ralph.process is None:
        ralph.start()


@pytest.fixture
def lrs(db, lrs_server):
    """The LRS configured in the admin, secret from the environment."""
    os.environ["XAPI_TEST_LRS_SECRET"] = PASSWORD
    return Lrs.objects.create(name="Kho dữ liệu tỉnh", endpoint=lrs_server.endpoint, key=USER,
                              secret_env="XAPI_TEST_LRS_SECRET")  # fmt: skip
