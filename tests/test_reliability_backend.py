"""Backend-side faults at process level: `central-otel run` (the default metrics path, the
direct OTLP writer; self-metrics and events through the SDK exporters) against a real
OTLP receiver on 127.0.0.1 that is slow, or answers errors and partial success.

- a receiver slower than `otlp.timeout`, then slow but within it: exports fail and are
  counted, then succeed slowly; streaming goes on, memory stays bounded, export resumes
  by itself;
- gRPC and HTTP side by side: a retryable error (UNAVAILABLE / 503) is retried and
  nothing is lost; permanent errors (INVALID_ARGUMENT / 400) and partial success
  (`rejected_data_points`) are counted exactly, in `/status` and in the
  `central_otel.export.*` self-metrics.

Figures are printed (``pytest -s``) and appended to $CENTRAL_OTEL_FIGURES.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2

from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.topics import TOPIC_NAMES
from tests.export_support import catalogue_metrics, from_export_loop
from tests.otlp_receiver import (
    GrpcOtlpReceiver,
    HttpOtlpReceiver,
    OtlpReceiver,
    ReceivedRequest,
    item_count,
    log_views,
)
from tests.process_support import BridgeProcess, record_figures, until, write_config

pytestmark = pytest.mark.timeout(150)

T = TypeVar("T")
_LINE = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) (?P<logger>\S+): (?P<message>.*)$")


def _direct(headers: Mapping[str, str]) -> bool:
    return from_export_loop(headers)


def _condition(predicate: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    """`predicate` as the async callable `until` polls (its value is returned)."""

    async def check() -> T:
        return predicate()

    return check


def _exported(receiver: OtlpReceiver, name: str, signal: str) -> float | None:
    """The latest exported value of self-metric `name` for `signal`, if any yet."""
    points = [p for p in receiver.latest(name) if p.attributes.get("signal") == signal]
    return float(points[0].value or 0) if points else None


async def _exports(bridge: BridgeProcess) -> dict[str, dict[str, Any]]:
    exports: dict[str, dict[str, Any]] = (await bridge.status())["exports"]
    return exports


async def _busy_simulator(seed: int) -> tuple[CentralSimulator, str]:
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.1, seed=seed, profile=TrafficProfile.busy()
    )
    info = sim.add_customer("CustomerA")
    await sim.start("127.0.0.1", 0)
    return sim, info.key


# -- a slow receiver ----------------------------------------------------------------


@dataclass
class _SlowRun:
    rss: dict[str, int] = field(default_factory=dict)
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)
    frames: list[int] = field(default_factory=list)
    connected_during: list[int] = field(default_factory=list)
    seconds_to_fast_export: float = 0.0
    final: dict[str, dict[str, Any]] = field(default_factory=dict)
    exported_failures: float | None = None


async def _slow_phase(
    run: _SlowRun,
    name: str,
    bridge: BridgeProcess,
    receiver: GrpcOtlpReceiver,
    *,
    delay: float,
    succeed: bool,
) -> None:
    """Answer each request after `delay` s until, for both signals, an export failed
    (`succeed` False) or the last export succeeded after waiting `delay` (True); RSS is
    sampled meanwhile."""
    receiver.set_delay(delay)
    before = await _exports(bridge)
    started = time.monotonic()
    samples: list[int] = []

    def reached(now: dict[str, Any], was: dict[str, Any]) -> bool:
        if not succeed:
            return bool(now["exports_failed"] > was["exports_failed"])
        return (
            now["exports_succeeded"] > was["exports_succeeded"]
            and now["last_error"] is None
            and now["last_export_duration_seconds"] >= delay
        )

    async def done() -> bool:
        samples.append(bridge.sample_rss())
        after = await _exports(bridge)
        return all(reached(after[s], before[s]) for s in ("metrics", "logs"))

    await until(done, 60, f"{name}: every signal's exports {succeed=}", interval=0.5)
    status = await bridge.status()
    after = status["exports"]
    run.frames.append(sum(s["frames"] for s in status["subscriptions"]))
    run.connected_during.append(
        sum(1 for s in status["subscriptions"] if s["state"] == "connected")
    )
    run.rss[f"{name}_max"] = max(samples)
    run.phases[name] = {
        "seconds": round(time.monotonic() - started, 1),
        **{
            signal: {
                "failed": after[signal]["exports_failed"] - before[signal]["exports_failed"],
                "succeeded": after[signal]["exports_succeeded"]
                - before[signal]["exports_succeeded"],
                "last_duration_s": round(after[signal]["last_export_duration_seconds"] or 0, 2),
                "last_error": after[signal]["last_error"],
            }
            for signal in ("metrics", "logs")
        },
    }


async def test_slow_otlp_receiver_failures_counted_memory_bounded_export_resumes(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, key = await _busy_simulator(41)
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (key, list(TOPIC_NAMES))},
        otlp_endpoint=receiver.endpoint,
        otlp_timeout="2s",
    )
    bridge = BridgeProcess(config)
    run = _SlowRun()
    try:
        await bridge.start()
        await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
        await until(_condition(lambda: receiver.requests("logs")), 60, "a first export")
        run.rss["before"] = bridge.sample_rss()
        frames_before = await bridge.frames()
        # 3 s per request against a 2 s timeout, then 1 s per request.
        await _slow_phase(run, "slower_than_timeout", bridge, receiver, delay=3.0, succeed=False)
        await _slow_phase(run, "slow_within_timeout", bridge, receiver, delay=1.0, succeed=True)
        receiver.set_delay(0.0)
        back = time.monotonic()
        receiver.clear()
        await until(
            _condition(lambda: _fast_direct_export(receiver)), 30, "a fast export after the slow"
        )
        run.seconds_to_fast_export = time.monotonic() - back

        async def settled() -> bool:
            run.final = await _exports(bridge)
            run.exported_failures = _exported(receiver, "central_otel.export.failures", "metrics")
            return bool(run.exported_failures == run.final["metrics"]["exports_failed"])

        await until(settled, 30, "the failures exported equal /status")
        run.rss["after"] = bridge.sample_rss()
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    record_figures(
        "otlp_receiver_slow",
        otlp_timeout_seconds=2.0,
        delays_seconds={"slower_than_timeout": 3.0, "slow_within_timeout": 1.0},
        phases=run.phases,
        frames_received_during_slow_phases=run.frames[-1] - frames_before,
        seconds_to_a_fast_export_after=round(run.seconds_to_fast_export, 2),
        export_failures_counted={s: run.final[s]["exports_failed"] for s in ("metrics", "logs")},
        items_lost_counted={
            s: run.final[s]["items_failed"] + run.final[s]["items_dropped"]
            for s in ("metrics", "logs")
        },
        rss_mib={k: round(v / 1024, 1) for k, v in run.rss.items()},
        peak_rss_mib=round(bridge.peak_rss_kib / 1024, 1),
    )
    assert code == 0
    slower, within = run.phases["slower_than_timeout"], run.phases["slow_within_timeout"]
    # Slower than the timeout: exports fail at the timeout, counted, with the reason.
    # Slower than the timeout: exports fail at the timeout, and are counted (the phase
    # ended on that condition); the direct writer says so once, then at DEBUG, and says
    # when it works again.
    assert slower["metrics"]["failed"] >= 1
    assert slower["logs"]["failed"] >= 1
    direct = [m for m in _messages(bridge) if "central_otel.export.exporter" in m]
    # Each loop (the catalogue's metrics, the self-metrics) says it once, and when it
    # works again.
    for what in ("metrics", "self-metrics"):
        said = [m for m in direct if f"exporter: {what} export" in m]
        assert len(said) == 2, direct
        assert re.fullmatch(
            rf"WARNING central_otel\.export\.exporter: {what} export of \d+ data "
            r"points failed after 1 attempt\(s\): grpc DEADLINE_EXCEEDED; the points are "
            r"dropped",
            said[0],
        ), direct
        assert said[1] == f"INFO central_otel.export.exporter: {what} export works again"
    assert len(direct) == 4, direct
    # Slow within the timeout: exports succeed after waiting (the phase ended on that).
    assert within["metrics"]["last_error"] is None
    assert within["metrics"]["last_duration_s"] >= 1.0
    # Streaming never waited for the backend.
    assert run.frames[0] > frames_before
    assert run.frames[1] > run.frames[0]
    assert run.connected_during == [6, 6]
    # Failed exports are dropped and counted, never queued: memory stays bounded.
    assert run.final["metrics"]["items_failed"] > 0
    for name, kib in run.rss.items():
        assert kib - run.rss["before"] < 60 * 1024, name
    assert key not in bridge.stderr
    assert "Traceback" not in bridge.stderr


def _messages(bridge: BridgeProcess) -> list[str]:
    """`LEVEL logger: message` of every line of `run`'s log."""
    return [
        f"{m['level']} {m['logger']}: {m['message']}"
        for line in bridge.stderr_lines
        if (m := _LINE.match(line.rstrip("\n")))
    ]


def _fast_direct_export(receiver: GrpcOtlpReceiver) -> bool:
    return any(_direct(r.headers) and r.outcome == "ok" for r in receiver.requests("metrics"))


# -- errors and partial success -----------------------------------------------------


@dataclass
class _FaultRun:
    transport: str
    retried: tuple[ReceivedRequest, ReceivedRequest] | None = None
    failed: list[ReceivedRequest] = field(default_factory=list)
    partial: list[ReceivedRequest] = field(default_factory=list)
    failed_logs: list[ReceivedRequest] = field(default_factory=list)
    partial_logs: list[ReceivedRequest] = field(default_factory=list)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    exported: dict[str, float | None] = field(default_factory=dict)
    resumed: bool = False
    refused_events_resent: bool = False
    refused_alone: bool = False
    stderr: str = ""
    code: int | None = None


def _answered(
    receiver: OtlpReceiver, signal: str, outcome: str, match: Callable[[ReceivedRequest], bool]
) -> list[ReceivedRequest]:
    return [
        r
        for r in receiver.requests(signal)  # type: ignore[arg-type]
        if r.outcome == outcome and match(r)
    ]


def _event_keys(requests: Iterable[ReceivedRequest]) -> Iterator[tuple[str, object, int]]:
    """Each log record of `requests` as (event name, body, time): what tells events apart."""
    for request in requests:
        assert isinstance(request.request, logs_service_pb2.ExportLogsServiceRequest)
        for view in log_views(request.request):
            yield view.event_name, view.body, view.time_unix_nano


def _is_direct(request: ReceivedRequest) -> bool:
    return _direct(request.headers) and catalogue_metrics(request.request)


async def _inject_faults(run: _FaultRun, receiver: OtlpReceiver) -> None:
    """Faults aimed at the direct writer, then used up one after the other (a receiver
    takes its faults in order); logs (the SDK's exporter) alongside."""
    # Logs: one permanent error, then one partial success.
    receiver.fail(retryable=False, count=1, signal="logs")
    receiver.partial_success(1, count=1, signal="logs")
    # A retryable error, once: retried with the same bytes, accepted.
    receiver.fail(
        retryable=True, count=1, signal="metrics", match=_direct, match_request=catalogue_metrics
    )
    (errored,) = await until(
        _condition(lambda: _answered(receiver, "metrics", "error", _is_direct)), 30, "503"
    )

    def retry() -> list[ReceivedRequest]:
        return [
            r
            for r in _answered(receiver, "metrics", "ok", _is_direct)
            if r.received_ns > errored.received_ns
        ]

    run.retried = (errored, (await until(_condition(retry), 30, "the retry"))[0])
    # Two permanent errors, then two partial successes (5 points refused each).
    receiver.fail(
        retryable=False, count=2, signal="metrics", match=_direct, match_request=catalogue_metrics
    )
    receiver.partial_success(
        5, count=2, signal="metrics", match=_direct, match_request=catalogue_metrics
    )
    await until(
        _condition(lambda: len(_answered(receiver, "metrics", "partial", _is_direct)) == 2),
        30,
        "2 permanent errors, 2 partial successes",
    )
    run.failed = _answered(receiver, "metrics", "error", _is_direct)[1:]
    run.partial = _answered(receiver, "metrics", "partial", _is_direct)
    await until(
        _condition(lambda: _answered(receiver, "logs", "partial", bool)), 30, "logs faults used"
    )
    run.failed_logs = _answered(receiver, "logs", "error", bool)
    run.partial_logs = _answered(receiver, "logs", "partial", bool)


async def _faults_scenario(
    receiver: OtlpReceiver, protocol: str, folder: Path, seed: int
) -> _FaultRun:
    run = _FaultRun(receiver.transport)
    sim, key = await _busy_simulator(seed)
    config = write_config(
        folder / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (key, list(TOPIC_NAMES))},
        otlp_endpoint=receiver.endpoint,
        protocol=protocol,
        otlp_timeout="5s",
    )
    bridge = BridgeProcess(config)
    try:
        await bridge.start()
        await until(lambda: bridge.connected(6), 60, "6 subscriptions connected")
        await _inject_faults(run, receiver)
        failed_points = sum(item_count("metrics", r.request) for r in run.failed)
        # A refused request of one record is that record refused: dropped, counted.
        refused_alone = int(sum(item_count("logs", r.request) for r in run.failed_logs) == 1)

        async def settled() -> bool:
            run.exports = await _exports(bridge)
            run.exported = {
                f"{name}/{signal}": _exported(receiver, f"central_otel.export.{name}", signal)
                for name in ("failures", "items.dropped")
                for signal in ("metrics", "logs")
            }
            return run.exported == {
                "failures/metrics": 2,
                "failures/logs": 1,
                "items.dropped/metrics": failed_points + 10,
                "items.dropped/logs": 1 + refused_alone,
            }

        await until(settled, 30, "the self-metrics count every failure")
        # The refused request's events were sent again (in halves) and accepted.
        refused = Counter(_event_keys(r for r in run.failed_logs))
        accepted = Counter(_event_keys(receiver.requests("logs", accepted=True)))
        run.refused_alone = bool(refused_alone)
        run.refused_events_resent = run.refused_alone or refused <= accepted
        last = max(r.received_ns for r in run.partial)
        run.resumed = await until(
            _condition(
                lambda: any(
                    r.received_ns > last for r in _answered(receiver, "metrics", "ok", _is_direct)
                )
            ),
            30,
            "an accepted direct export after the faults",
        )
        run.code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
        run.stderr = bridge.stderr
    return run


async def test_otlp_errors_and_partial_success_are_counted_grpc_and_http(
    otlp_grpc_receiver: GrpcOtlpReceiver, otlp_http_receiver: HttpOtlpReceiver, tmp_path: Path
) -> None:
    (tmp_path / "grpc").mkdir()
    (tmp_path / "http").mkdir()
    runs = await asyncio.gather(
        _faults_scenario(otlp_grpc_receiver, "grpc", tmp_path / "grpc", 42),
        _faults_scenario(otlp_http_receiver, "http/protobuf", tmp_path / "http", 43),
    )
    for run in runs:
        metrics, logs = run.exports["metrics"], run.exports["logs"]
        record_figures(
            f"otlp_receiver_errors_{run.transport}",
            retryable_error_retried_after_seconds=round(
                (run.retried[1].received_ns - run.retried[0].received_ns) / 1e9, 2
            )
            if run.retried
            else None,
            metrics={k: metrics[k] for k in ("exports_failed", "items_failed", "items_dropped")},
            logs={k: logs[k] for k in ("exports_failed", "items_failed", "items_dropped")},
            log_records_refused_by_partial_success=sum(r.rejected for r in run.partial_logs),
            exported_self_metrics=run.exported,
        )
        assert run.code == 0, run.transport
        # UNAVAILABLE / 503 once: the same request again, accepted; nothing counted lost.
        assert run.retried is not None
        assert run.retried[0].raw == run.retried[1].raw
        # INVALID_ARGUMENT / 400 twice: two failed exports, their points lost and counted;
        # partial success twice: 5 refused points each, counted as dropped.
        failed_points = sum(item_count("metrics", r.request) for r in run.failed)
        assert metrics["exports_failed"] == 2
        assert metrics["items_failed"] == failed_points
        assert metrics["items_dropped"] == 10
        assert [r.rejected for r in run.partial] == [5, 5]
        # Events (logs): the refused request was halved and sent again, so none of its
        # records is lost (one record alone is dropped); the one record refused by the
        # partial success is counted.
        assert logs["exports_failed"] == 1
        assert (logs["items_failed"], logs["items_dropped"]) == (0, 1 + run.refused_alone)
        assert [r.rejected for r in run.partial_logs] == [1]
        assert run.refused_events_resent
        assert run.resumed, "no accepted direct export after the faults"
        assert "Traceback" not in run.stderr
