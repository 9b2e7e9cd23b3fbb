"""Realistic frames from the simulator's own generators, offline (no server, no sockets):
for benchmarks, tests and the golden OTLP files.

A monitoring "mix" is what a bridge sees from one customer: the state snapshot
(devices, radios, interfaces, VAPs, clients: ADDs), rounds of statistics
(device, radio, VAP, interface, client, tunnel, uplink...), and the state changes
of each round (clients joining and leaving, APs going down and up), all framed
with the Streaming API envelope.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from google.protobuf.message import Message

from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.messages import envelope, envelope_overhead
from central_otel.simulator.traffic import MonitoringStream, PresenceStream, make_stream
from central_otel.simulator.world import SimClock, TrafficProfile, World
from central_otel.topics import Topic

CUSTOMER_ID = "bench0123456789abcdef0123456789ab"
# The reference frame: ~137 KB carrying ~2,600 entities.
FRAME_SIZE = 137 * 1024


@dataclass(frozen=True, slots=True)
class Frames:
    opening: list[bytes]  # the state snapshot
    rounds: list[list[bytes]]  # per stats round: its changes, then its statistics
    presence: list[bytes]
    # Per event topic (security, location, apprf, audit): the frames of every round,
    # when asked for (`build(events=True)`).
    events: dict[Topic, list[bytes]] = field(default_factory=dict)

    @property
    def monitoring(self) -> list[bytes]:
        return [f for r in self.rounds for f in r]


class FrozenClock(SimClock):
    """A simulated clock that stands still at `start` (epoch seconds) plus the offset
    the rounds add: frames built with it are the same in every run."""

    def __init__(self, start: float) -> None:
        super().__init__()
        self._start = start

    def now(self) -> float:
        return self._start + self.clock_offset


# A busier-than-default profile so every round carries state changes too.
BUSY = TrafficProfile(client_join=0.05, client_leave=0.05, ap_down=0.005)


def world(
    scale: EstateScale,
    seed: str = "bench",
    interval: float = 60.0,
    start: float | None = None,
    profile: TrafficProfile = BUSY,
) -> World:
    """`start`: a frozen clock at that epoch (reproducible frames), else the wall clock."""
    clock = SimClock() if start is None else FrozenClock(start)
    return World(
        customer_id=CUSTOMER_ID,
        estate=Estate(scale, seed, clock.now()),
        profile=profile,
        clock=clock,
        interval=interval,
        seed=seed,
    )


def framed(topic: Topic, message: Message, now_ns: int) -> bytes:
    """`message` in the Streaming API's envelope, as Central frames it."""
    return envelope(topic.value, message.SerializeToString(), now_ns, CUSTOMER_ID)


EVENT_TOPICS = (Topic.SECURITY, Topic.LOCATION, Topic.APPRF, Topic.AUDIT)


def _budget(topic: Topic, frame_size: int) -> int:
    """Payload bytes a frame of `frame_size` bytes of `topic` leaves after its envelope."""
    return frame_size - envelope_overhead(topic.value, CUSTOMER_ID, frame_size)


def monitoring_stream(w: World, seed: str, frame_size: int = FRAME_SIZE) -> MonitoringStream:
    """`w`'s monitoring topic, in frames of at most `frame_size` bytes."""
    budget = _budget(Topic.MONITORING, frame_size)
    return MonitoringStream(w, random.Random(f"{seed}:monitoring"), budget)


def build(
    scale: EstateScale,
    rounds: int = 2,
    frame_size: int = FRAME_SIZE,
    seed: str = "bench",
    *,
    start: float | None = None,
    events: bool = False,
    profile: TrafficProfile = BUSY,
) -> Frames:
    """Frames of `rounds` stats rounds (each preceded by its state changes); with
    `events`, the event topics' frames of each round too; with `start`, the same
    frames in every run (a frozen clock at that epoch)."""
    w = world(scale, seed, start=start, profile=profile)
    stream = monitoring_stream(w, seed, frame_size)
    budget = _budget(Topic.MONITORING, frame_size)
    others = {
        topic: make_stream(topic, w, random.Random(f"{seed}:{topic.value}"), budget)
        for topic in (EVENT_TOPICS if events else ())
    }
    now = w.clock.now_ns()
    opening = [framed(Topic.MONITORING, m, now) for m in stream.opening()]
    out: list[list[bytes]] = []
    by_topic: dict[Topic, list[bytes]] = {topic: [] for topic in others}
    for _ in range(rounds):
        w.tick()  # state changes, published to the stream
        w.clock.clock_offset += w.interval  # a round later: counters advance
        now = w.clock.now_ns()
        out.append([framed(Topic.MONITORING, m, now) for m in stream.tick()])
        for topic, other in others.items():
            by_topic[topic].extend(framed(topic, m, now) for m in other.tick())
    presence_stream = PresenceStream(
        w, random.Random(f"{seed}:presence"), _budget(Topic.PRESENCE, frame_size)
    )
    presence = [framed(Topic.PRESENCE, m, now) for m in presence_stream.tick()]
    stream.close()
    for other in others.values():
        other.close()
    return Frames(opening, out, presence, by_topic)
