"""No event storms: state changes are events only when they are news (frames through the
real ingest, store and catalogue; the remembered states in the real queue database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from central_otel.catalog.event_base import EventRecord
from central_otel.catalog.events import EventCatalogue, EventOptions
from central_otel.delivery.queue import EventQueue, QueueBudget
from central_otel.delivery.rows import ReportedState
from central_otel.pipeline.ingest import Ingestor
from central_otel.pipeline.transitions import (
    KNOWN,
    ReportedStates,
    Transitions,
    decode_key,
    encode_key,
)
from central_otel.proto import monitoring_pb2 as mon
from central_otel.topics import Topic
from tests import defaults
from tests.defaults import LIMITS
from tests.samples import envelope

CUSTOMER = "CustomerA"
BUDGET = QueueBudget(1 << 20, 86400.0, 1 << 20)


@pytest.mark.parametrize(
    "key", [(b"\x3c\x22\xfb\x00\x00\x42",), ("CNF7G9K001", b"\x00\x01"), ("sw", 7, "ü"), ()]
)
def test_keys_round_trip(key: tuple[Any, ...]) -> None:
    assert decode_key(encode_key(key)) == key


class Harness:
    """Ingest with the catalogue behind `Transitions`; records and persisted states in
    the order they were handed on."""

    def __init__(self, reported: ReportedStates | None = None) -> None:
        self.baseline = False
        self.log: list[EventRecord | list[ReportedState]] = []
        self.transitions = Transitions(
            EventCatalogue(EventOptions()),
            reported or ReportedStates(),
            in_baseline=lambda customer, sent_ns: self.baseline,
            persist=self.log.append,
        )
        self.ingest = Ingestor(
            [CUSTOMER],
            limits=LIMITS,
            pacing=defaults.pacing(),
            events=self.transitions,
            sink=self.log.append,
        )

    def frame(self, info: mon.MonitoringInformation) -> list[str]:
        """Handle one monitoring frame; the event names it produced."""
        before = len(self.records())
        self.ingest.handle(CUSTOMER, Topic.MONITORING, envelope("monitoring", info))
        return [r.event_name for r in self.records()[before:]]

    def records(self) -> list[EventRecord]:
        return [item for item in self.log if isinstance(item, EventRecord)]


def _client(mac: int, action: int | None = mon.ADD) -> mon.MonitoringInformation:
    info = mon.MonitoringInformation(customer_id="c1")
    client = info.wireless_clients.add(name=f"client-{mac}", associated_device="CNF7G9K001")
    client.macaddr.addr = mac.to_bytes(6, "big")
    if action is not None:
        client.action = action  # type: ignore[assignment]
    return info


def _ap(serial: str, status: int, action: int = mon.UPDATE) -> mon.MonitoringInformation:
    info = mon.MonitoringInformation(customer_id="c1")
    info.aps.add(serial=serial, name=f"ap-{serial}", status=status, action=action)
    return info


def _uplink(status: int) -> mon.MonitoringInformation:
    info = mon.MonitoringInformation(customer_id="c1")
    info.uplinks.add(device_id="GW1", link_index=1, name="wan1", status=status)
    return info


def test_first_reports_in_the_baseline_window_are_remembered_not_reported() -> None:
    h = Harness()
    h.baseline = True
    assert h.frame(_client(1)) == []
    assert h.frame(_ap("AP1", mon.DOWN, mon.ADD)) == []  # first seen down: baseline too
    h.baseline = False
    assert h.frame(_client(1)) == []  # Central reports it again: not news
    assert h.frame(_client(2)) == ["aruba.client.connected"]
    assert h.frame(_client(3, mon.UPDATE)) == []  # an update is never a first sight
    assert h.frame(_client(4, None)) == ["aruba.client.connected"]  # no action: news
    assert h.frame(_ap("AP2", mon.DOWN, mon.ADD)) == ["aruba.device.down"]
    assert h.frame(_client(1, mon.DELETE)) == ["aruba.client.disconnected"]
    assert h.frame(_ap("AP1", mon.UP)) == ["aruba.device.up"]
    stats = h.transitions.stats
    assert (stats.baseline, stats.repeated, stats.transitions) == (3, 1, 1)


def test_a_transition_is_reported_even_in_the_baseline_window() -> None:
    h = Harness()
    assert h.frame(_uplink(mon.UP)) == []  # first sight of an uplink: no event by design
    h.baseline = True  # a reconnect's snapshot
    assert h.frame(_uplink(mon.UP)) == []
    assert h.frame(_uplink(mon.DOWN)) == ["aruba.uplink.down"]


def test_states_are_persisted_after_their_records() -> None:
    h = Harness()
    h.frame(_client(1))
    h.frame(_ap("AP1", mon.UP, mon.ADD))
    h.frame(_ap("AP1", mon.DOWN))
    h.transitions.flush()
    kinds = ["record" if isinstance(item, EventRecord) else "states" for item in h.log]
    assert kinds == ["record", "states", "states", "record", "states"]
    persisted = [s for item in h.log if isinstance(item, list) for s in item]
    assert persisted == [
        (CUSTOMER, "wireless_client", encode_key(((1).to_bytes(6, "big"),)), KNOWN),
        (CUSTOMER, "device", encode_key(("AP1",)), mon.UP),
        (CUSTOMER, "device", encode_key(("AP1",)), mon.DOWN),
    ]


def test_a_restart_remembers_what_was_reported(tmp_path: Path) -> None:
    """Run 1 reports and persists; run 2 (a new store, the states read back from the
    queue database) repeats nothing, and reports what changed while it was down."""
    queue = EventQueue.open(BUDGET, tmp_path)
    first = Harness()
    first.transitions._persist = lambda states: queue.add([], states)
    assert first.frame(_client(1)) == ["aruba.client.connected"]
    assert first.frame(_client(2)) == ["aruba.client.connected"]
    assert first.frame(_ap("AP1", mon.UP, mon.ADD)) == []
    assert first.frame(_uplink(mon.UP)) == []
    first.transitions.flush()
    queue.close()

    queue = EventQueue.open(BUDGET, tmp_path)
    second = Harness(ReportedStates(queue.reported_states()))
    queue.close()
    assert len(second.transitions.reported) == 4
    # Outside any baseline window, the snapshot after the restart is still no news.
    assert second.frame(_client(1)) == []
    assert second.frame(_uplink(mon.UP)) == []
    # The AP went down while the bridge was stopped: a transition, reported now.
    assert second.frame(_ap("AP1", mon.DOWN)) == ["aruba.device.down"]
    # Client 2 left before Central reported it again: the store never held it, yet it
    # was reported present, so its DELETE is a disconnect.
    assert second.frame(_client(2, mon.DELETE)) == ["aruba.client.disconnected"]
    (record,) = [r for r in second.records() if r.event_name == "aruba.client.disconnected"]
    assert record.attributes["aruba.client.mac"] == "00-00-00-00-00-02"
    assert second.frame(_client(2, mon.DELETE)) == []  # once
    assert not second.transitions.reported.restored_unseen(CUSTOMER)


def test_unreadable_remembered_rows_are_forgotten() -> None:
    reported = ReportedStates(
        [
            (CUSTOMER, "device", b"\xffgarbage", mon.UP),
            (CUSTOMER, "radio", encode_key((b"\x01",)), KNOWN),  # not a tracked class
            (CUSTOMER, "device", encode_key(("AP9",)), mon.DOWN),
        ]
    )
    assert len(reported) == 1
    assert reported.peek(CUSTOMER, "device", ("AP9",)) == mon.DOWN


def test_entities_not_reported_for_the_state_ttl_are_forgotten() -> None:
    now = [100.0]
    reported = ReportedStates(clock=lambda: now[0])
    reported.remember(CUSTOMER, "wireless_client", (b"\x01",), KNOWN)
    now[0] += 50
    reported.remember(CUSTOMER, "wireless_client", (b"\x02",), KNOWN)
    now[0] += 60
    assert reported.expire(100.0) == 1
    assert reported.peek(CUSTOMER, "wireless_client", (b"\x01",)) is None
    assert reported.take_changes()[-1] == (
        CUSTOMER,
        "wireless_client",
        encode_key((b"\x01",)),
        None,
    )


def test_entries_stamped_within_a_second_share_one_float() -> None:
    now = [100.0]
    reported = ReportedStates(clock=lambda: now[0])
    for n, at in enumerate((100.25, 100.5, 101.0)):
        now[0] = at
        reported.remember(CUSTOMER, "wireless_client", (bytes([n]),), KNOWN)
    now[0] = 101.25  # a second after the first stamp
    reported.remember(CUSTOMER, "wireless_client", (b"\x09",), KNOWN)
    group = reported._groups[(CUSTOMER, "wireless_client")]
    seen = [group[(bytes([n]),)].seen for n in (0, 1, 2, 9)]
    assert seen == [100.25, 100.25, 100.25, 101.25]
    assert seen[0] is seen[1] is seen[2]  # one object, not three
    # The clock going back (a test's, or a restored process's) restamps at once.
    now[0] = 50.0
    reported.lookup(CUSTOMER, "wireless_client", (b"\x00",))
    assert group[(b"\x00",)].seen == 50.0
