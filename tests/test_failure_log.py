"""Log damping: first report loud, repeats quiet, periodic reminder, recovery line."""

from __future__ import annotations

import asyncio
import logging

import pytest

from central_otel.streaming.failure_log import FailureLog, LogBursts


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


def test_a_burst_of_one_kind_logs_the_first_few_then_says_how_many_more(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    bursts = LogBursts(logging.getLogger("t3"), limit=3, window=10.0, clock=clock)
    caplog.set_level(logging.DEBUG, logger="t3")
    flogs = [FailureLog(logging.getLogger("t3"), clock=clock, bursts=bursts) for _ in range(7)]
    for i, flog in enumerate(flogs):
        flog.failure(logging.WARNING, "closed:1011", f"stream {i}: closed (1011)", what="closed")
    flogs[0].failure(logging.ERROR, "refused:401", "stream 0: refused (401)", what="refused")
    flogs[1].failure(logging.WARNING, "closed:1011", "stream 1: closed again", what="closed")
    clock.now += 10.0  # the window is over: the next line of the burst's kind closes it
    late = FailureLog(logging.getLogger("t3"), clock=clock, bursts=bursts)
    late.failure(logging.WARNING, "closed:1011", "stream 7: closed (1011)", what="closed")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "stream 0: closed (1011)"),
        (logging.WARNING, "stream 1: closed (1011)"),
        (logging.WARNING, "stream 2: closed (1011)"),
        (logging.DEBUG, "stream 3: closed (1011)"),
        (logging.DEBUG, "stream 4: closed (1011)"),
        (logging.DEBUG, "stream 5: closed (1011)"),
        (logging.DEBUG, "stream 6: closed (1011)"),
        (logging.ERROR, "stream 0: refused (401)"),  # another kind: its own count
        (logging.DEBUG, "stream 1: closed again"),  # a repeat for stream 1: damped
        (logging.WARNING, "4 more subscription(s) within 10s: closed (each logged at DEBUG)"),
        (logging.WARNING, "stream 7: closed (1011)"),  # a new window
    ]


async def test_a_burst_is_summed_up_when_its_window_ends(caplog: pytest.LogCaptureFixture) -> None:
    bursts = LogBursts(logging.getLogger("t4"), limit=1, window=0.05)
    caplog.set_level(logging.INFO, logger="t4")
    flogs = [FailureLog(logging.getLogger("t4"), bursts=bursts) for _ in range(3)]
    for i, flog in enumerate(flogs):
        assert not flog.success(f"stream {i}: connected", what="connected")
        flog.log(logging.INFO, "connected", "connected", f"stream {i}: connected")
    await asyncio.sleep(0.1)  # no further line needed: the loop ends the window
    assert [r.getMessage() for r in caplog.records] == [
        "stream 0: connected",
        "2 more subscription(s) within 0.05s: connected (each logged at DEBUG)",
    ]
    bursts.flush()  # nothing left open
    assert len(caplog.records) == 2
