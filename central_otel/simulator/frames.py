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
from dataclasses import dataclass

from google.protobuf.message import Message

from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.messages import envelope, envelope_overhead
from central_otel.simulator.traffic import MonitoringStream, PresenceStream
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

    @property
    def monitoring(self) -> list[bytes]:
        return [f for r in self.rounds for f in r]


def world(scale: EstateScale, seed: str = "bench", interval: float = 60.0) -> World:
    clock = SimClock()
    estate = Estate(scale, seed, clock.now())
    # A busier-than-default profile so every round carries state changes too.
    profile = TrafficProfile(client_join=0.05, client_leave=0.05, ap_down=0.005)
    return World(
        customer_id=CUSTOMER_ID,
        estate=estate,
        profile=profile,
        clock=clock,
        interval=interval,
        seed=seed,
    )


def _frame(topic: Topic, message: Message, now_ns: int) -> bytes:
    return envelope(topic.value, message.SerializeToString(), now_ns, CUSTOMER_ID)


def build(
    scale: EstateScale, rounds: int = 2, frame_size: int = FRAME_SIZE, seed: str = "bench"
) -> Frames:
    """Frames of `rounds` stats rounds (each preceded by its state changes)."""
    w = world(scale, seed)
    budget = frame_size - envelope_overhead(Topic.MONITORING.value, CUSTOMER_ID, frame_size)
    stream = MonitoringStream(w, random.Random(f"{seed}:monitoring"), budget)
    now = w.clock.now_ns()
    opening = [_frame(Topic.MONITORING, m, now) for m in stream.opening()]
    out: list[list[bytes]] = []
    for _ in range(rounds):
        w.tick()  # state changes, published to the stream
        w.clock.clock_offset += w.interval  # a round later: counters advance
        now = w.clock.now_ns()
        out.append([_frame(Topic.MONITORING, m, now) for m in stream.tick()])
    p_budget = frame_size - envelope_overhead(Topic.PRESENCE.value, CUSTOMER_ID, frame_size)
    presence_stream = PresenceStream(w, random.Random(f"{seed}:presence"), p_budget)
    presence = [_frame(Topic.PRESENCE, m, now) for m in presence_stream.tick()]
    stream.close()
    return Frames(opening, out, presence)
