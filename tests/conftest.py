"""Suite-wide guards, and the fixtures many test modules share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from central_otel.simulator import CentralSimulator
from tests.simulator_support import running

pytest_plugins = ["tests.otlp_fixtures"]

# A full run (no paths or -k given) that collects fewer tests than this means tests
# went missing (an import error hidden by a skip, a renamed folder): fail loudly
# instead of reporting a green run of nothing.
MINIMUM_FULL_RUN = 300


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    full_run = not config.args or config.args == config.getini("testpaths")
    if full_run and not config.getoption("keyword") and exitstatus == 0:
        collected = session.testscollected
        if collected < MINIMUM_FULL_RUN:
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(
                    f"ERROR: only {collected} tests collected; a full run has at least "
                    f"{MINIMUM_FULL_RUN} (tests/conftest.py)",
                    red=True,
                )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
async def sim() -> AsyncIterator[CentralSimulator]:
    """A started simulator with one customer (`tests.simulator_support.CUSTOMER`)."""
    async with running() as simulator:
        yield simulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client
