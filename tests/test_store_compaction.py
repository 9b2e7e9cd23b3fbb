"""The store copies its messages out of payloads it mostly no longer uses, so that
those payloads' memory goes (`central_otel.state.compaction`)."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from bench.machine import malloc_in_use
from central_otel.catalog.plan import MetricOptions, compile_plan
from central_otel.proto import monitoring_pb2
from central_otel.state.compaction import due, held_and_kept
from central_otel.state.store import EntityStore
from tests import defaults
from tests.export_support import otlp_loop
from tests.otlp_receiver import GrpcOtlpReceiver


def _clients(
    macs: range, *, note: str = "", name: str = "", action: int = monitoring_pb2.UPDATE
) -> monitoring_pb2.MonitoringInformation:
    info = monitoring_pb2.MonitoringInformation(customer_id="c")
    for n in macs:
        client = info.wireless_clients.add(name=name or f"client-{n}", username=note)
        client.action = action  # type: ignore[assignment]
        client.macaddr.addr = n.to_bytes(6, "big")
    return info


def _client(store: EntityStore, n: int) -> monitoring_pb2.WirelessClient:
    entity = store.get("wireless_client", (n.to_bytes(6, "big"),))
    assert entity is not None
    assert isinstance(entity.msg, monitoring_pb2.WirelessClient)
    return entity.msg


def _store() -> EntityStore:
    return EntityStore("A", defaults.limits())


def test_held_and_kept_counts_the_held_payloads_whole() -> None:
    # Payload 1 carried 10 messages, 2 of them kept; payload 2 carried 4, all kept;
    # 0 is no payload's; payload 7's size is unknown: counted as kept whole.
    held, kept, live = held_and_kept([1, 1, 2, 2, 2, 2, 0, 7], {1: 10, 2: 4, 3: 5})
    assert (held, kept, live) == (15, 7, {1, 2, 7})
    assert due(15, 7, 3) is True
    assert due(14, 7, 3) is False
    # Payloads of a message or two each (a platform that frames each event alone).
    assert due(40, 40, 21) is True
    assert due(40, 40, 20) is False
    assert due(16, 16, 16) is False  # a few payloads are no reason
    assert due(17, 17, 17) is True


def test_payloads_of_one_message_each_are_copied_into_one() -> None:
    store = _store()
    for n in range(1, 41):  # one frame per client, as New Central sends them
        defaults.apply(store, _clients(range(n, n + 1)))
    assert store.compact_if_due() == 40
    assert store.compact_if_due() == 0
    assert [_client(store, n).name for n in (1, 40)] == ["client-1", "client-40"]
    for n in range(41, 57):  # 16 more payloads: 17 held, for 56 messages
        defaults.apply(store, _clients(range(n, n + 1)))
    assert store.compact_if_due() == 0


def test_a_mostly_replaced_payload_is_copied_out_of() -> None:
    store = _store()
    defaults.apply(store, _clients(range(1, 11)))  # payload 1: ten clients
    defaults.apply(store, _clients(range(2, 11), name="renamed"))  # replaces nine
    # Held: payload 1 (10 messages) and 2 (9): 19, for 10 kept: not due yet.
    assert store.compact_if_due() == 0
    defaults.apply(store, _clients(range(3, 11), name="again"))  # payload 3: eight
    # Held: 1 (10, one kept), 2 (9, one kept), 3 (8): 27 > 2 x 10.
    before = {key: (entity, entity.msg) for key, entity in store.items("wireless_client")}
    version, changes = store.version, {k: e.changes for k, (e, _) in before.items()}
    assert store.compact_if_due() == 10
    after = dict(store.items("wireless_client"))
    assert after.keys() == before.keys()
    for key, (entity, msg) in before.items():
        assert after[key] is entity  # the same entity, its message a copy
        assert entity.msg == msg
        assert entity.msg is not msg
        assert entity.changes == changes[key]
    assert store.version == version  # a copy is no change
    assert [_client(store, n).name for n in (1, 2, 3)] == ["client-1", "renamed", "again"]
    assert store.compact_if_due() == 0  # one payload held, all of it kept


def test_rounds_that_replace_everything_are_never_copied() -> None:
    store = _store()
    for round_ in range(6):
        defaults.apply(store, _clients(range(1, 51), name=f"round-{round_}"))
        assert store.compact_if_due() == 0


def _malloc_in_use() -> int:
    """Bytes malloc has handed out and not had back (glibc), after a collection."""
    gc.collect()
    in_use = malloc_in_use()
    if in_use is None:
        pytest.skip("needs glibc's mallinfo2")
    return in_use


def test_the_copied_out_payload_is_freed() -> None:
    store = _store()
    note = "x" * 2000  # ~2 KB per message: the payload's arena is ~4 MB
    defaults.apply(store, _clients(range(1, 2001), note=note))
    defaults.apply(store, _clients(range(2, 2001), action=monitoring_pb2.DELETE))  # all but one
    held = _malloc_in_use()
    assert store.compact_if_due() == 1
    freed = held - _malloc_in_use()
    # The first payload (2000 notes) went: only one client's note is still kept.
    assert freed > 3_000_000, freed
    assert _client(store, 1).username == note


def test_the_export_thread_compacts_after_each_cycle() -> None:
    store = _store()
    defaults.apply(store, _clients(range(1, 11)))
    defaults.apply(store, _clients(range(2, 11), name="renamed"))
    defaults.apply(store, _clients(range(3, 11), name="again"))
    with GrpcOtlpReceiver() as receiver:
        plan = compile_plan(MetricOptions(per_client=True))
        exporter = otlp_loop(receiver, [store], plan=plan, timeout=5.0)
        assert exporter.export_once()
        assert store.compact_if_due() == 10  # due: the cycle itself does not copy
        defaults.apply(store, _clients(range(2, 11), name="renamed"))
        defaults.apply(store, _clients(range(3, 11), name="again"))
        exporter.sweep_stores()
        assert store.compact_if_due() == 0  # the sweep after the cycle did
        exporter.shutdown(1.0)


def test_updates_while_the_export_thread_compacts_are_all_kept() -> None:
    """The event loop keeps applying frames while the export thread copies: every
    entity ends with the message of the last frame that named it, never a copy of an
    older one."""
    store = _store()
    stop = threading.Event()
    copied: list[int] = []

    def compacting() -> None:
        while not stop.is_set():
            copied.append(store.compact_if_due())

    thread = threading.Thread(target=compacting)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads interleave as finely as they can
    thread.start()
    try:
        for round_ in range(300):
            # Each round renames a different tenth of the clients, and adds one.
            first = 1 + (round_ % 10) * 100
            info = _clients(range(first, first + 100), name=f"round-{round_}")
            info.MergeFrom(_clients(range(5000 + round_, 5001 + round_)))
            defaults.apply(store, info)  # the new client keeps the payload held
    finally:
        stop.set()
        thread.join(10)
        sys.setswitchinterval(interval)
    assert sum(copied) > 0
    for n in range(1, 1001):
        last = max(r for r in range(300) if 1 + (r % 10) * 100 <= n < 101 + (r % 10) * 100)
        assert _client(store, n).name == f"round-{last}"
    assert [_client(store, 5000 + r).name for r in (0, 299)] == ["client-5000", "client-5299"]
