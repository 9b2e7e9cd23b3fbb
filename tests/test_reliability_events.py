"""Events are never lost: `central-otel run` as a real process with `state_dir`, the busy
simulator (alerts, WIDS and rogue detections, audit records, client joins and leaves of
two customers), and a real OTLP receiver that goes away and comes back on its port.

- the receiver down for `CENTRAL_OTEL_EVENTS_OUTAGE_SECONDS` (default 30; the long
  variant 300): every event delivered once, in order per customer;
- SIGTERM while the receiver is down, a start after it is back: every event delivered;
- SIGKILL while a request is in flight: every event written to disk delivered, the
  ones sent again counted (`resent_after_restart`) and equal to the duplicates;
- a truncated queue file at start: the readable events delivered, the rest counted;
- a `state_dir` that cannot be used, a disk that fills up while running: the events go
  on in memory, counted and logged once;
- a tiny `events.queue.max_bytes`: the oldest dropped, counted exactly.

Figures are printed (``pytest -s``) and appended to $CENTRAL_OTEL_FIGURES:

    CENTRAL_OTEL_FIGURES=/tmp/figures.jsonl python -m pytest -s tests/test_reliability_events.py
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from central_otel.delivery.database import FILE_NAME
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, LogView, OtlpReceiver
from tests.process_support import BridgeProcess, record_figures, until, write_config

OUTAGE = float(os.environ.get("CENTRAL_OTEL_EVENTS_OUTAGE_SECONDS", "30"))
pytestmark = pytest.mark.timeout(180 + OUTAGE)

CUSTOMERS = ("CustomerA", "CustomerB")
TOPICS = ["monitoring", "security", "audit"]  # the topics whose messages are events


async def _simulator(seed: int) -> tuple[CentralSimulator, dict[str, tuple[str, list[str]]]]:
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.2, seed=seed, profile=TrafficProfile.busy()
    )
    keys = {name: (sim.add_customer(name, topics=TOPICS).key, TOPICS) for name in CUSTOMERS}
    await sim.start("127.0.0.1", 0)
    return sim, keys


def _config(
    folder: Path,
    sim: CentralSimulator,
    keys: dict[str, tuple[str, list[str]]],
    receiver: OtlpReceiver,
    *,
    state_dir: Path | None,
    queue: str = "",
) -> Path:
    extra = f"state_dir: {state_dir}\n" if state_dir is not None else ""
    extra += "events:\n  queue:\n    max_retry_delay: 2s\n" + queue
    return write_config(
        folder / "config.yaml",
        base_url=sim.url,
        customers=keys,
        otlp_endpoint=receiver.endpoint,
        protocol="grpc" if isinstance(receiver, GrpcOtlpReceiver) else "http/protobuf",
        otlp_timeout="5s",  # a request given up at the timeout may arrive twice
        extra=extra,
    )


async def _scenario(
    folder: Path, receiver: OtlpReceiver, seed: int, *, queue: str = ""
) -> tuple[CentralSimulator, Path, Path]:
    """The busy simulator, and a configuration for it with `state_dir`: (simulator,
    configuration file, state_dir)."""
    sim, keys = await _simulator(seed)
    state_dir = folder / "state"
    return sim, _config(folder, sim, keys, receiver, state_dir=state_dir, queue=queue), state_dir


async def _streaming(bridge: BridgeProcess) -> BridgeProcess:
    """`bridge` started, its six subscriptions connected."""
    await bridge.start()
    await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
    return bridge


def _key(record: LogView) -> tuple[Any, ...]:
    """What tells two records apart: a record is accepted once, at its own instant."""
    return (
        record.observed_time_unix_nano,
        record.event_name,
        record.body,
        record.time_unix_nano,
        tuple(sorted(record.attributes.items())),
    )


def _records(receiver: OtlpReceiver) -> list[LogView]:
    return [r for r in receiver.log_records() if r.event_name]


def _duplicates(records: list[LogView]) -> int:
    return sum(n - 1 for n in Counter(_key(r) for r in records).values() if n > 1)


def _in_order_per_customer(records: list[LogView]) -> bool:
    """Each customer's records arrived in the order they were accepted."""
    last: dict[str, int] = {}
    for record in records:
        customer = str(record.attributes.get("aruba.customer.name"))
        if record.observed_time_unix_nano < last.get(customer, 0):
            return False
        last[customer] = record.observed_time_unix_nano
    return True


async def _events(bridge: BridgeProcess) -> dict[str, Any]:
    events: dict[str, Any] = (await bridge.status())["events"]
    return events


def _check(predicate: Callable[[], object]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool(predicate())

    return check


async def _drained(bridge: BridgeProcess, timeout: float = 60) -> dict[str, Any]:
    """/status `events` once everything accepted is delivered and nothing is queued."""

    async def empty() -> Any:
        events = await _events(bridge)
        dropped = sum(events["dropped"].values()) - events["dropped"]["unreadable"]
        settled = events["queue"]["records"] == 0 and (
            events["carried_over"] + events["accepted"] == events["delivered"] + dropped
        )
        return events if settled else None

    settled: dict[str, Any] = await until(empty, timeout, "the event queue drained")
    return settled


def _disk_bytes(state_dir: Path) -> int:
    folder = state_dir / "events"
    return sum(p.stat().st_size for p in folder.glob(f"{FILE_NAME}*") if p.is_file())


def _lines(bridge: BridgeProcess, text: str) -> list[str]:
    return [line.rstrip("\n") for line in bridge.stderr_lines if text in line]


# -- an outage ---------------------------------------------------------------------------


async def test_every_event_is_delivered_once_in_order_after_an_outage(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, config, state_dir = await _scenario(tmp_path, receiver, 61)
    bridge = BridgeProcess(config)
    rss: dict[str, int] = {}
    try:
        await _streaming(bridge)
        await until(_check(lambda: _records(receiver)), 30, "a first event delivered")
        rss["before"] = bridge.sample_rss()
        await asyncio.to_thread(receiver.stop)
        down_at = time.monotonic()
        disk, queued = 0, 0
        while time.monotonic() - down_at < OUTAGE:
            await asyncio.sleep(1.0)
            rss["during_max"] = max(rss.get("during_max", 0), bridge.sample_rss())
            disk = max(disk, _disk_bytes(state_dir))
            queued = max(queued, (await _events(bridge))["queue"]["bytes"])
        during = await _events(bridge)
        await asyncio.to_thread(receiver.start)
        back_at = time.monotonic()
        await _drained(bridge, 120)
        drain_seconds = time.monotonic() - back_at
        await sim.stop()  # no more events: what was accepted is all there is
        final = await _drained(bridge)
        rss["after"] = bridge.sample_rss()
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    records = _records(receiver)
    record_figures(
        "events_outage",
        outage_seconds=OUTAGE,
        events_accepted=final["accepted"],
        events_queued_at_end_of_outage=during["queue"]["records"],
        oldest_queued_age_seconds=during["queue"]["oldest_age_seconds"],
        events_delivered=len(records),
        duplicates=_duplicates(records),
        retried=final["retried"],
        seconds_to_drain_after_back=round(drain_seconds, 2),
        queue_bytes_max=queued,
        disk_bytes_max=disk,
        rss_mib={k: round(v / 1024, 1) for k, v in rss.items()},
    )
    assert code == 0
    assert during["queue"]["records"] > 0
    assert during["last_error"] == "grpc UNAVAILABLE"
    assert final["delivered"] == final["accepted"] == len(records)
    assert set(final["dropped"].values()) == {0}
    assert _duplicates(records) == 0
    assert _in_order_per_customer(records)
    assert {r.attributes["aruba.customer.name"] for r in records} == set(CUSTOMERS)
    assert drain_seconds < 10
    assert rss["during_max"] - rss["before"] < 60 * 1024
    assert "Traceback" not in bridge.stderr


# -- stops while the backend is down ----------------------------------------------------------


async def test_sigterm_while_the_backend_is_down_loses_nothing(
    otlp_http_receiver: HttpOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_http_receiver
    sim, config, _ = await _scenario(tmp_path, receiver, 62)
    first = BridgeProcess(config)
    second = BridgeProcess(config)
    try:
        await _streaming(first)
        await asyncio.to_thread(receiver.stop)
        await asyncio.sleep(4)  # events pile up in the queue
        await sim.stop()  # what the first run accepts is all there is
        await asyncio.sleep(0.5)
        before = await _events(first)
        code, stop_seconds = await first.stop(signal.SIGTERM)
        await asyncio.to_thread(receiver.start)
        await second.start()
        after = await _drained(second)
        code2, _ = await second.stop()
    finally:
        await first.close()
        await second.close()
        await sim.stop()
    records = _records(receiver)
    record_figures(
        "events_sigterm_while_backend_down",
        events_accepted=before["accepted"],
        queued_at_sigterm=before["queue"]["records"],
        stop_seconds=round(stop_seconds, 2),
        delivered_after_restart=after["delivered"],
        duplicates=_duplicates(records),
    )
    assert (code, code2) == (0, 0)
    assert stop_seconds < 10
    assert before["queue"]["records"] > 0
    # Everything the first run accepted arrived (delivered before the outage, or from
    # the queue after the restart), once.
    assert len(records) == before["accepted"]
    assert _duplicates(records) == 0
    assert _in_order_per_customer(records)
    queued_at_stop = _lines(first, "events not delivered at the stop")
    assert queued_at_stop == [
        f"{queued_at_stop[0][:23]} INFO central_otel.delivery.service: events queue: "
        f"{before['queue']['records']} events not delivered at the stop; they are sent after "
        "the next start"
    ]


async def test_sigkill_with_a_request_in_flight_delivers_everything_and_counts_the_resent(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, config, _ = await _scenario(tmp_path, receiver, 63)
    first = BridgeProcess(config)
    second = BridgeProcess(config)
    try:
        await _streaming(first)
        await until(_check(lambda: _records(receiver)), 30, "a first event delivered")
        receiver.set_delay(4.0)  # every request held: one is in flight at the kill
        await asyncio.sleep(1.5)
        written = (await _events(first))["accepted"]
        first.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        await first.proc.wait()  # type: ignore[union-attr]
        await sim.stop()
        await asyncio.sleep(3.0)  # the receiver takes what it held
        receiver.set_delay(0.0)
        await second.start()
        after = await _drained(second)
        code, _ = await second.stop()
    finally:
        await first.close()
        await second.close()
        await sim.stop()
    records = _records(receiver)
    unique = len({_key(r) for r in records})
    record_figures(
        "events_sigkill_in_flight",
        events_written_before_kill_at_least=written,
        events_delivered=unique,
        resent_after_restart=after["resent_after_restart"],
        duplicates=_duplicates(records),
    )
    assert code == 0
    assert unique >= written  # every event written to disk before the kill
    assert after["resent_after_restart"] > 0
    assert _duplicates(records) == after["resent_after_restart"]
    assert "events queue" in second.stderr
    assert "sent before and not acknowledged (they may arrive twice)" in second.stderr


# -- a damaged queue file at start ------------------------------------------------------------


async def test_a_truncated_queue_file_at_start_gives_up_what_is_readable(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, config, state_dir = await _scenario(tmp_path, receiver, 64)
    first = BridgeProcess(config)
    second = BridgeProcess(config)
    try:
        await asyncio.to_thread(receiver.stop)
        await _streaming(first)
        await until(_check(lambda: _disk_bytes(state_dir) > 256 * 1024), 60, "a queue of some size")
        await sim.stop()
        await asyncio.sleep(0.5)
        queued = (await _events(first))["queue"]["records"]
        code, _ = await first.stop()
        path = state_dir / "events" / FILE_NAME
        os.truncate(path, path.stat().st_size * 2 // 3)
        await asyncio.to_thread(receiver.start)
        await second.start()
        after = await _drained(second)
        code2, _ = await second.stop()
    finally:
        await first.close()
        await second.close()
        await sim.stop()
    records = _records(receiver)
    unreadable = after["dropped"]["unreadable"]
    record_figures(
        "events_truncated_queue_file",
        queued=queued,
        delivered=len(records),
        unreadable_counted=unreadable,
    )
    assert (code, code2) == (0, 0)
    assert unreadable > 0
    assert len(records) + unreadable == queued
    assert _duplicates(records) == 0
    assert _in_order_per_customer(records)
    (warning,) = _lines(second, "was damaged")
    assert (
        f"{len(records)} events recovered from it and queued, {unreadable} could not be read"
        in (warning)
    )
    assert "Traceback" not in second.stderr


# -- storage that cannot be used -------------------------------------------------------------


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """`folder` read-only for this process's children: by mode when not root, by a
    read-only mount when root (root ignores modes)."""
    folder.mkdir(parents=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only file system here: {mounted.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


async def test_a_read_only_state_dir_keeps_events_in_memory_and_says_so_once(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, config, state_dir = await _scenario(tmp_path, receiver, 65)
    with _read_only(state_dir):
        bridge = BridgeProcess(config)
        try:
            await _streaming(bridge)
            await asyncio.sleep(2)
            await sim.stop()
            events = await _drained(bridge)
            code, _ = await bridge.stop()
        finally:
            await bridge.close()
            await sim.stop()
    records = _records(receiver)
    assert code == 0
    assert (events["storage"], events["storage_failures"]) == ("memory", 1)
    assert events["storage_error"].startswith(f"cannot use {state_dir / 'events'}: ")
    assert len(records) == events["accepted"] > 0
    (line,) = _lines(bridge, "events queue in memory")
    assert "lost if the process stops before the backend accepted them" in line


async def test_a_disk_that_fills_up_while_running_falls_back_to_memory(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    """A real write failure mid-run: the files may not grow past a limit (as a full disk
    refuses a write); events keep flowing, through memory."""
    receiver = otlp_grpc_receiver
    sim, config, _ = await _scenario(tmp_path, receiver, 66)

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, hard))

    await asyncio.to_thread(receiver.stop)  # the queue grows until the disk is "full"
    bridge = BridgeProcess(config, preexec=limited)
    try:
        await _streaming(bridge)

        async def in_memory() -> bool:
            return bool((await _events(bridge))["storage"] == "memory")

        await until(in_memory, 60, "the fallback to memory")
        await asyncio.to_thread(receiver.start)
        await sim.stop()
        events = await _drained(bridge)
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    records = _records(receiver)
    assert code == 0
    assert events["storage_failures"] == 1
    assert events["storage_error"] == "disk I/O error"
    assert len(records) == events["accepted"]
    assert _duplicates(records) == 0
    assert len(_lines(bridge, "events queue: cannot write to")) == 1


# -- the budget -----------------------------------------------------------------------------


async def test_beyond_max_bytes_the_oldest_events_are_dropped_and_counted_exactly(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, config, _ = await _scenario(tmp_path, receiver, 67, queue="    max_bytes: 8KiB\n")
    bridge = BridgeProcess(config)
    try:
        await asyncio.to_thread(receiver.stop)
        await _streaming(bridge)

        async def overflowed() -> bool:
            return bool((await _events(bridge))["dropped"]["queue_full"] > 100)

        await until(overflowed, 60, "the queue over its budget")
        await sim.stop()
        await asyncio.sleep(0.5)
        during = await _events(bridge)
        await asyncio.to_thread(receiver.start)
        after = await _drained(bridge)
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    records = _records(receiver)
    dropped = after["dropped"]["queue_full"]
    record_figures(
        "events_tiny_max_bytes",
        max_bytes=8192,
        accepted=after["accepted"],
        delivered=len(records),
        dropped_queue_full=dropped,
        queue_bytes_at_most=during["queue"]["bytes"],
    )
    assert code == 0
    assert during["queue"]["bytes"] <= 8192
    assert len(records) + dropped == after["accepted"]
    assert set(after["dropped"]) == {"queue_full", "too_old", "rejected", "unreadable",
                                     "not_persisted"}  # fmt: skip
    assert sum(after["dropped"].values()) == dropped
    # The oldest went: what was delivered after the outage is the newest of it.
    newest = sorted(r.observed_time_unix_nano for r in records)[-1]
    assert records[-1].observed_time_unix_nano == newest
    (line, *repeats) = _lines(bridge, "events queue: dropped the")
    assert not [r for r in repeats if " WARNING " in r]  # once, then at DEBUG
    assert "beyond the queue's budget" in line
