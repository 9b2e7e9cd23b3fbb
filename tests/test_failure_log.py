"""Log damping: first report loud, repeats quiet, periodic reminder, recovery line."""

from __future__ import annotations

import logging

import pytest

from central_otel.streaming.failure_log import FailureLog


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_repeats_are_damped_and_reminded(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    flog = FailureLog(logging.getLogger("t"), remind_every=600, clock=clock)
    caplog.set_level(logging.DEBUG, logger="t")
    for _ in range(5):
        flog.failure(logging.WARNING, "refused", "cannot connect: refused")
        clock.now += 100
    clock.now += 200  # 700 s after the first report
    flog.failure(logging.WARNING, "refused", "cannot connect: refused")
    levels = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert levels == [
        (logging.WARNING, "cannot connect: refused"),
        (logging.DEBUG, "cannot connect: refused"),
        (logging.DEBUG, "cannot connect: refused"),
        (logging.DEBUG, "cannot connect: refused"),
        (logging.DEBUG, "cannot connect: refused"),
        (logging.WARNING, "cannot connect: refused (repeated 5 times since the first report)"),
    ]


def test_new_failure_and_recovery_are_loud(caplog: pytest.LogCaptureFixture) -> None:
    flog = FailureLog(logging.getLogger("t2"), clock=Clock())
    caplog.set_level(logging.DEBUG, logger="t2")
    assert not flog.success("connected")  # nothing to recover from: caller logs
    flog.failure(logging.WARNING, "a", "A failed")
    flog.failure(logging.ERROR, "b", "B failed")
    assert flog.failing_since == 1000.0
    assert flog.success("connected again")
    assert [flog.failing_since] == [None]
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "A failed"),
        (logging.ERROR, "B failed"),
        (logging.INFO, "connected again"),
    ]
