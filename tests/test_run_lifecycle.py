"""Entity lifecycle end to end: simulator -> `central-otel run` (a subprocess) -> a real
OTLP receiver, on the default (direct) metrics path.

- Exact values: what reaches the receiver equals what the frames said (read back from
  the bridge's own capture file).
- Per-client series are opt-in; a client's DELETE removes its series at the next export
  (never a ghost series), and the per-AP client count drops with it.
- Caps: a class over `metrics.max_entities` holds that many, counts the rest in
  `central_otel.entities.dropped`.
- TTL: a device that stops sending stats stops being exported after `series_ttl`, while
  its state (status down) stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from central_otel.capture import iter_records
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.topics import Topic
from tests.otlp_receiver import GrpcOtlpReceiver, MetricPoint
from tests.process_support import BridgeProcess, until, write_config


async def _start(
    receiver: GrpcOtlpReceiver, tmp_path: Path, metrics: str, capture: Path | None = None
) -> tuple[CentralSimulator, str, BridgeProcess]:
    # Quiet: no random joins, leaves or outages; the tests make their own.
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.3, seed=21, profile=TrafficProfile.quiet()
    )
    info = sim.add_customer("CustomerA", topics=["monitoring"])
    await sim.start("127.0.0.1", 0)
    extra = f"metrics:\n{metrics}"
    if capture is not None:
        extra += f"capture:\n  file: {capture}\n"
    config = write_config(
        tmp_path / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (info.key, ["monitoring"])},
        otlp_endpoint=receiver.endpoint,
        extra=extra,
    )
    bridge = BridgeProcess(config)
    await bridge.start()
    return sim, info.key, bridge


def _semconv(mac: bytes) -> str:
    """AA-BB-CC-DD-EE-FF, as OpenTelemetry's conventions (and the exported data) write it."""
    return mac.hex("-").upper()


def _by(points: list[MetricPoint], attribute: str) -> dict[Any, MetricPoint]:
    return {p.attributes.get(attribute): p for p in points}


def _clients_on(receiver: GrpcOtlpReceiver, serial: str) -> float:
    """`aruba.client.count` of one AP, summed over its SSIDs and bands."""
    points = receiver.latest("aruba.client.count")
    return sum(p.value or 0 for p in points if p.attributes.get("host.id") == serial)


def _client_series(receiver: GrpcOtlpReceiver) -> dict[Any, MetricPoint]:
    return _by(receiver.latest("aruba.client.signal_strength"), "aruba.client.mac")


def _last_client_stats(capture: Path) -> dict[str, Any]:
    """The last ClientStats per client (semconv MAC) in a capture file."""
    last: dict[str, Any] = {}
    for record in iter_records(capture.read_bytes()):
        result = decode_frame(record.frame, topic=Topic(record.topic))
        assert isinstance(result, DecodedFrame)
        for stats in getattr(result.payload, "client_stats", ()):
            last[_semconv(bytes(stats.macaddr.addr))] = stats
    return last


async def test_per_client_series_exact_values_and_delete(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    capture = tmp_path / "frames.cap"
    sim, key, bridge = await _start(receiver, tmp_path, "  per_client: true\n", capture)
    estate = sim.estate("CustomerA")
    macs = {_semconv(c.mac) for ap in estate.aps for c in ap.clients.values()}
    try:
        assert len(macs) == 20
        await until(
            _async(lambda: set(_client_series(receiver)) == macs), 30, "20 per-client series"
        )
        series = _client_series(receiver)
        gone = sorted(macs)[0]
        ap_serial = series[gone].attributes["host.id"]
        before = _clients_on(receiver, ap_serial)
        assert before == 5  # clients_per_ap of the small estate

        assert sim.leave_client("CustomerA", gone.replace("-", ":").lower())

        def left() -> bool:
            return gone not in _client_series(receiver) and _clients_on(receiver, ap_serial) == 4

        await until(_async(left), 30, "the client's series removed at the next export")
        assert set(_client_series(receiver)) == macs - {gone}
        disconnected = [
            r
            for r in receiver.log_records("aruba.client.disconnected")
            if r.attributes["aruba.client.mac"] == gone
        ]
        assert len(disconnected) == 1
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    assert code == 0
    # The final export (after SIGTERM) holds exactly what the last frames said.
    expected = _last_client_stats(capture)
    final = _client_series(receiver)
    assert set(final) == macs - {gone}
    for mac, point in final.items():
        assert point.value == -float(expected[mac].signal_in_db), mac
        assert point.unit == "dBm"
        assert point.kind == "gauge"
    io = [p for p in receiver.latest("aruba.client.io") if p.attributes["aruba.client.mac"] != gone]
    for point in io:
        stats = expected[point.attributes["aruba.client.mac"]]
        field = "tx_bytes" if point.attributes["network.io.direction"] == "transmit" else "rx_bytes"
        assert point.value == float(getattr(stats, field))
        assert point.monotonic is True
    assert len(io) == 2 * len(final)
    assert key not in bridge.stderr


async def test_per_client_series_are_off_by_default(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    sim, _, bridge = await _start(receiver, tmp_path, "  disabled: [aruba.radio.noise_floor]\n")
    try:
        await until(
            _async(lambda: len(receiver.latest("aruba.client.count")) > 0), 30, "client counts"
        )
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    assert code == 0
    names = receiver.metric_names()
    assert "aruba.client.count" in names
    assert "system.cpu.utilization" in names
    assert not {n for n in names if n.startswith("aruba.client.") and n != "aruba.client.count"}
    assert "aruba.radio.noise_floor" not in names  # disabled by name
    assert "aruba.radio.utilization" in names
    # No client MAC on any metric when per-client series are off.
    assert not [p for p in receiver.metrics() if "aruba.client.mac" in p.attributes]


async def test_caps_count_what_they_drop_and_ttl_expires_silent_devices(
    otlp_grpc_receiver: GrpcOtlpReceiver, tmp_path: Path
) -> None:
    receiver = otlp_grpc_receiver
    metrics = (
        "  per_client: true\n"
        "  series_ttl: 2s\n"
        "  state_ttl: 1h\n"
        "  max_entities:\n"
        "    client_stats: 5\n"
    )
    sim, _, bridge = await _start(receiver, tmp_path, metrics)
    try:

        def capped() -> bool:
            dropped = _by(receiver.latest("central_otel.entities.dropped"), "aruba.entity.class")
            held = _by(receiver.latest("central_otel.entities"), "aruba.entity.class")
            return (
                "client_stats" in dropped
                and (dropped["client_stats"].value or 0) >= 15
                and held["client_stats"].value == 5
            )

        await until(_async(capped), 30, "client_stats capped at 5, the rest counted")
        await until(_async(lambda: len(_client_series(receiver)) == 5), 30, "5 client series")

        serial = sim.ap_down("CustomerA")

        def expired() -> bool:
            cpu = _by(receiver.latest("system.cpu.utilization"), "host.id")
            return serial not in cpu and len(cpu) > 0

        await until(_async(expired), 30, "the down AP's stats series expired")
        # Its state is kept: the status metric says it is down.
        status = [
            p for p in receiver.latest("aruba.device.status") if p.attributes["host.id"] == serial
        ]
        assert {p.attributes["aruba.device.state"]: p.value for p in status} == {
            "up": 0,
            "down": 1,
        }
        code, _ = await bridge.stop()
    finally:
        await bridge.close()
        await sim.stop()
    assert code == 0


def _async(predicate: Any) -> Any:
    """`until` polls coroutines; wrap a plain predicate."""

    async def check() -> Any:
        return predicate()

    return check
