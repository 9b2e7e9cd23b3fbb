"""Golden OTLP files: what the bridge exports for a fixed simulated estate.

The frames of a fixed simulator seed (state snapshot, two stats rounds with their
changes, presence, and every event topic, on a frozen clock) go through ingest,
the export plan's encoder and the event catalogue, and out over OTLP/gRPC to a real
receiver. What arrives is normalised (collection times and start times masked, data
points sorted) and compared with the committed files in tests/golden/: the
regression net for every mapping change, as the Collector's receivers do it.

The same estate's traffic, re-expressed as New Central CloudEvents by the simulator,
goes through the New Central path into files of its own (new-central-*.jsonl); the
values both platforms report alike must be equal.

After an intended change, regenerate them and review the diff:

    CENTRAL_OTEL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.events import EVENTS, EventCatalogue, EventOptions
from central_otel.catalog.metrics import counter_fields
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.config.model import OtlpConfig
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.delivery.service import EventDelivery
from central_otel.new_central.topics import NewCentralTopic
from central_otel.pipeline.ingest import Ingestor
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import build, world
from central_otel.simulator.new_central_events import SOURCES, Converter, cloud_event
from central_otel.simulator.world import TrafficProfile
from central_otel.telemetry.providers import Telemetry
from central_otel.topics import Topic
from tests import defaults
from tests.export_support import otlp_loop
from tests.otlp_receiver import GrpcOtlpReceiver

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CENTRAL_OTEL_UPDATE_GOLDEN") == "1"
CUSTOMER = "GoldenCo"
SEED = "golden"
START = 1_800_000_000.0  # the frozen clock: 2027-01-15T08:00:00Z
# Everything happens every round: each event kind has its record in the files.
PROFILE = TrafficProfile(
    client_join=0.1,
    client_leave=0.1,
    ap_down=0.1,
    wids=1.0,
    rogue=1.0,
    security=1.0,
    geofence=1.0,
    audit=1.0,
)
# Small enough to review as a diff; every kind of entity is there (an 8-port switch).
SCALE = EstateScale(aps_per_site=2, clients_per_ap=3, ports_per_switch=8)
RESOURCE = Resource({"service.name": "central-otel", "service.instance.id": "golden"})


def _frames() -> list[tuple[Topic, bytes]]:
    frames = build(
        SCALE, rounds=2, frame_size=64 * 1024, seed=SEED, start=START,
        events=True, profile=PROFILE,
    )  # fmt: skip
    ordered = [(Topic.MONITORING, f) for f in frames.opening + frames.monitoring]
    ordered += [(Topic.PRESENCE, f) for f in frames.presence]
    for topic, items in frames.events.items():
        ordered += [(topic, f) for f in items]
    return ordered


def _new_central_frames() -> list[tuple[NewCentralTopic, bytes]]:
    """The same traffic as New Central events (the simulator's re-expression of each
    Classic message, timed as its frame)."""
    converter = Converter(world(SCALE, SEED, start=START, profile=PROFILE).estate)
    out: list[tuple[NewCentralTopic, bytes]] = []
    for topic, frame in _frames():
        decoded = decode_frame(frame, topic=topic)
        assert isinstance(decoded, DecodedFrame)
        when = decoded.timestamp_ns or int(START * 1e9)
        for nc_topic, source in SOURCES.items():
            if source is not topic:
                continue
            for event in converter.events(nc_topic, decoded.payload):
                event_id = f"golden-{len(out) + 1}"
                frame_nc = cloud_event(
                    event, event_id=event_id, tenant="tenant-golden", time_ns=when
                )
                out.append((nc_topic, frame_nc))
    return out


def _export(
    receiver: GrpcOtlpReceiver, *, new_central: bool = False
) -> tuple[list[Any], list[Any]]:
    """The requests the receiver accepted: (metrics, logs)."""
    telemetry = Telemetry(
        OtlpConfig(endpoint=receiver.endpoint, protocol="grpc", export_interval=3600),
        resource=RESOURCE,
    )
    everything = EventOptions(enabled=frozenset(spec.name for spec in EVENTS))
    assert telemetry.config is not None
    events = EventDelivery.open(defaults.delivery(), telemetry.config, RESOURCE)
    ingest = Ingestor(
        [CUSTOMER],
        limits=defaults.LIMITS,
        pacing=defaults.pacing(),
        counter_fields=counter_fields(),
        events=EventCatalogue(everything),
        sink=events.accept,
    )
    try:
        if new_central:
            for nc_topic, frame in _new_central_frames():
                ingest.handle(CUSTOMER, nc_topic, frame)
        else:
            for topic, frame in _frames():
                ingest.handle(CUSTOMER, topic, frame)
        plan = compile_plan(MetricOptions(per_client=True))
        loop = otlp_loop(receiver, list(ingest.stores.values()), plan=plan, resource=RESOURCE)
        assert loop.export_once()
        assert telemetry.force_flush(10.0)
        assert events.shutdown(10.0)  # the event queue's own path, as `run` sends events
    finally:
        telemetry.shutdown(5.0)
    metrics = [
        r.request
        for r in receiver.requests("metrics", accepted=True)
        if isinstance(r.request, ExportMetricsServiceRequest)
        and r.request.resource_metrics[0].scope_metrics[0].scope.name == "central_otel"
    ]
    logs = [
        r.request
        for r in receiver.requests("logs", accepted=True)
        if isinstance(r.request, ExportLogsServiceRequest)
    ]
    return metrics, logs


def _attributes(attributes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in attributes:
        value = MessageToDict(kv.value)
        out[kv.key] = next(iter(value.values())) if len(value) == 1 else value
    return out


def _metrics_lines(requests: list[ExportMetricsServiceRequest]) -> list[dict[str, Any]]:
    """The resource, then per metric (by name) its header and its points (sorted by
    attributes), collection and start times masked."""
    resource: dict[str, Any] = {}
    headers: dict[str, dict[str, Any]] = {}
    points: dict[str, list[dict[str, Any]]] = {}
    for request in requests:
        for rm in request.resource_metrics:
            resource = {"resource": _attributes(rm.resource.attributes)}
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    kind = str(metric.WhichOneof("data"))
                    data = getattr(metric, kind)
                    header = {"metric": metric.name, "type": kind, "unit": metric.unit}
                    if kind == "sum":
                        header["monotonic"] = data.is_monotonic
                        header["temporality"] = data.aggregation_temporality
                    header["description"] = metric.description
                    header["scope"] = sm.scope.name
                    headers[metric.name] = header
                    points.setdefault(metric.name, []).extend(
                        {"point": _attributes(p.attributes), "value": p.as_double}
                        for p in data.data_points
                    )
    lines = [resource]
    for name in sorted(headers):
        lines.append(headers[name])
        lines += sorted(points[name], key=lambda p: json.dumps(p, sort_keys=True))
    return lines


def _logs_lines(requests: list[ExportLogsServiceRequest]) -> list[dict[str, Any]]:
    """The resource, then every log record in the order exported; the observed time
    masked (the event's own time stays: it comes from the frames' frozen clock)."""
    lines: list[dict[str, Any]] = []
    for request in requests:
        for rl in request.resource_logs:
            resource = {"resource": _attributes(rl.resource.attributes)}
            if not lines:
                lines.append(resource)
            for sl in rl.scope_logs:
                for record in sl.log_records:
                    lines.append(
                        {
                            "event": record.event_name,
                            "severity": record.severity_number,
                            "time": record.time_unix_nano,
                            "body": MessageToDict(record.body).get("stringValue"),
                            "attributes": _attributes(record.attributes),
                            "scope": sl.scope.name,
                        }
                    )
    return lines


def _compare(name: str, lines: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n" for line in lines)
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: regenerate it (see this module's docstring)"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from what is exported now; if the change is intended, regenerate "
        "with CENTRAL_OTEL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py and review "
        "git diff tests/golden/"
    )


def test_the_frames_are_the_same_in_every_run() -> None:
    first = _frames()
    assert len(first) > 10
    assert first == _frames()


def test_exported_metrics_and_logs_match_the_golden_files(
    otlp_grpc_receiver: GrpcOtlpReceiver,
) -> None:
    metrics, logs = _export(otlp_grpc_receiver)
    metric_lines, log_lines = _metrics_lines(metrics), _logs_lines(logs)
    # Coverage the files must keep: the metrics of every kind of entity, and records
    # of the event kinds the profile makes happen.
    exported = {line["metric"] for line in metric_lines if "metric" in line}
    assert {"system.cpu.utilization", "aruba.client.count", "aruba.client.io"} <= exported
    assert len(exported) >= 45
    names = {line.get("event") for line in log_lines}
    assert {"aruba.client.connected", "aruba.wids.event", "aruba.audit", "aruba.alert"} <= names
    _compare("metrics.jsonl", metric_lines)
    _compare("logs.jsonl", log_lines)


def _values(lines: list[dict[str, Any]], metric: str) -> dict[tuple[Any, ...], Any]:
    """One metric's points by their identifying attributes (what both platforms share)."""
    keep = (
        "host.id",
        "hw.network.physical_address",
        "network.io.direction",
        "system.memory.state",
        "aruba.device.state",
        "aruba.wlan.ssid",
        "aruba.radio.band",
    )
    found: dict[tuple[Any, ...], Any] = {}
    current = None
    for line in lines:
        if "metric" in line:
            current = line["metric"]
        elif "point" in line and current == metric:
            found[tuple(line["point"].get(k) for k in keep)] = line["value"]
    return found


def test_new_central_exports_match_their_golden_files_and_classic(
    otlp_grpc_receiver: GrpcOtlpReceiver,
) -> None:
    classic_metrics, _ = _export(otlp_grpc_receiver)
    classic_lines = _metrics_lines(classic_metrics)
    otlp_grpc_receiver.clear()
    metrics, logs = _export(otlp_grpc_receiver, new_central=True)
    metric_lines, log_lines = _metrics_lines(metrics), _logs_lines(logs)
    names = {line.get("event") for line in log_lines}
    assert {"aruba.client.connected", "aruba.audit", "aruba.alert"} <= names
    # The same estate through both platforms: the same values where both report them
    # (New Central's AP statistics carry no memory totals: those series are Classic's).
    for metric in ("aruba.radio.io", "system.memory.usage", "aruba.device.temperature",
                   "aruba.client.count", "aruba.client.io", "aruba.vap.io",
                   "aruba.device.status", "system.cpu.utilization"):  # fmt: skip
        ours, theirs = _values(metric_lines, metric), _values(classic_lines, metric)
        assert ours, metric  # not vacuous
        assert ours == {k: theirs.get(k) for k in ours}, metric
    assert _values(metric_lines, "aruba.radio.io") == _values(classic_lines, "aruba.radio.io")
    sites = {
        line["point"].get("aruba.site.name")
        for line in metric_lines
        if "point" in line and line["point"].get("aruba.device.type") == "switch"
    }
    assert sites == {"HQ"}
    _compare("new-central-metrics.jsonl", metric_lines)
    _compare("new-central-logs.jsonl", log_lines)
