"""The bench app writes only with DEBUG on (``bench.guard``), and the test runner turns DEBUG off: these tests
turn it on. The test database itself passes the guard through its narrow allowance for the test runner's
database (``test_`` + the configured name, in a process where the test environment is set up)."""

import pytest


@pytest.fixture(autouse=True)
def bench_debug(settings):
    settings.DEBUG = True
