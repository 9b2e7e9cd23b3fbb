"""Suite-wide guards."""

from __future__ import annotations

import pytest

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
