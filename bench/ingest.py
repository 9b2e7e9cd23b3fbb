"""Ingest: frames/s and entity updates/s through decode + store, for a realistic
monitoring mix and for presence. Baseline: parse + ``MessageToDict`` (the old
sample client's way) of the same frames."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from bench.stores import PACING, apply, new_store, payloads
from bench.timing import best_of, rate
from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.gc_policy import GcPolicy
from central_otel.proto import monitoring_pb2, presence_pb2, streaming_pb2
from central_otel.simulator.estate import EstateScale
from central_otel.simulator.frames import FRAME_SIZE, build
from central_otel.state.entities import BY_FIELD


def entities_in(info: monitoring_pb2.MonitoringInformation) -> int:
    """Entity messages a monitoring payload carries (the updates it makes)."""
    return sum(len(v) for f, v in info.ListFields() if f.name in BY_FIELD)


def _stations(event: presence_pb2.presence_event) -> int:
    return (
        len(event.pa_proximity_event.proximity)
        + len(event.pa_rssi_event.rssi)
        + len(event.pa_client_state.presence_client_state)
    )


def _to_dict(frames: list[bytes], payload_type: type[Message]) -> Callable[[], None]:
    def run() -> None:
        for frame in frames:
            envelope = streaming_pb2.MsgProto.FromString(frame)
            MessageToDict(payload_type.FromString(envelope.data))

    return run


def run(mode: str) -> list[str]:
    quick = mode != "full"
    scale = EstateScale(
        sites={"tiny": 1, "quick": 2}.get(mode, 10),
        aps_per_site=10 if mode == "tiny" else 50,
        switches_per_site=4,
        gateways_per_site=2,
        clients_per_ap=20,
        wired_clients_per_switch=8,
        ports_per_switch=48,
    )
    # Round 0 only warms the store up (untimed): every timed run replays the state
    # snapshot then the later rounds onto a store that holds round 0, so counters
    # go up as they do live. (Replaying the same rounds onto one store would make
    # every counter go down, a reset, at each repetition.)
    frames = build(scale, rounds=2 if quick else 3)
    warmup = frames.opening + frames.rounds[0]
    monitoring = frames.opening + [f for r in frames.rounds[1:] for f in r]
    infos = payloads(monitoring)
    entities = sum(entities_in(i) for i in infos)
    presence = frames.presence
    stations = sum(_stations(e) for e in payloads(presence))
    repeat = 2 if quick else 5
    store = new_store()

    def fresh_store() -> None:
        nonlocal store
        store = new_store()
        for frame in warmup:
            decoded = decode_frame(frame)
            assert isinstance(decoded, DecodedFrame)
            apply(store, decoded.payload)

    # The garbage collector as the bridge runs it (central_otel.gc_policy), for both:
    # its thresholds, and the collections by frame bytes ingested.
    policy = GcPolicy(PACING.gc_thresholds, PACING.collect_bytes)

    def ingest_monitoring() -> None:
        for frame in monitoring:
            policy.ingested(len(frame))
            decoded = decode_frame(frame)
            assert isinstance(decoded, DecodedFrame)
            apply(store, decoded.payload)

    def ingest_presence() -> None:
        for frame in presence:
            policy.ingested(len(frame))
            decoded = decode_frame(frame)
            assert isinstance(decoded, DecodedFrame)
            store.apply_presence(decoded.payload)  # type: ignore[arg-type]

    policy.install()
    try:
        # Steady state: the entities exist, frames update them.
        ours = best_of(repeat, ingest_monitoring, setup=fresh_store)
        resets = sum(1 for cls in store.counts() for _, e in store.items(cls) if e.offsets)
        base_frames = monitoring[: 3 if quick else 12]
        base_entities = sum(entities_in(i) for i in infos[: len(base_frames)])
        to_dict = _to_dict(base_frames, monitoring_pb2.MonitoringInformation)
        base = best_of(1 if quick else 2, to_dict)
        pres = best_of(repeat, ingest_presence)
        pres_base = best_of(1, _to_dict(presence, presence_pb2.presence_event))
    finally:
        policy.remove()
    size = sum(map(len, monitoring)) / len(monitoring)
    ours_rate = entities / ours.cpu
    base_rate = base_entities / base.cpu
    return [
        f"monitoring mix: {len(monitoring)} frames, {size / 1024:.0f} KB and "
        f"{entities / len(monitoring):.0f} entities per frame on average "
        f"(frame budget {FRAME_SIZE // 1024} KB; {scale.ap_count} APs, "
        f"{scale.client_count} clients: state snapshot + stats rounds with changes; "
        f"{resets} entities saw a counter reset; the bridge's GC policy)",
        f"  decode_frame + apply_monitoring: {rate(len(monitoring), ours.cpu)} frames, "
        f"{rate(entities, ours.cpu)} entity updates (best of {repeat}, CPU)",
        f"  baseline parse + MessageToDict:  {rate(len(base_frames), base.cpu)} frames, "
        f"{rate(base_entities, base.cpu)} entity updates",
        f"  ratio: {ours_rate / base_rate:.1f}x the baseline",
        f"presence: {len(presence)} frames, {stations} station reports",
        f"  decode_frame + apply_presence: {rate(len(presence), pres.cpu)} frames, "
        f"{rate(stations, pres.cpu)} station reports",
        f"  baseline parse + MessageToDict: {rate(stations, pres_base.cpu)} station reports",
        f"  ratio: {(stations / pres.cpu) / (stations / pres_base.cpu):.1f}x the baseline",
    ]
