"""The store keeps one copy of each key and key part: equal keys of different classes
are one tuple, and a part (a serial, a MAC) is one object in every key that holds it.
Its intern table forgets departed entities' keys."""

from __future__ import annotations

from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.state.interning import KeyInterner
from central_otel.state.store import DeviceInfo, EntityStore
from tests import defaults

SERIAL = "CNF7JSS0AA"
RADIO = bytes.fromhex("e0f8471e0010")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _info(**kwargs: object) -> monitoring_pb2.MonitoringInformation:
    return monitoring_pb2.MonitoringInformation(customer_id="cust-1", **kwargs)  # type: ignore[arg-type]


def _state() -> monitoring_pb2.MonitoringInformation:
    radio = monitoring_pb2.Radio(device_id=SERIAL)
    radio.macaddr.addr = RADIO
    vap = monitoring_pb2.VapInfo(device_id=SERIAL, essid=b"Corp")
    vap.radio_mac.addr = RADIO
    return _info(aps=[monitoring_pb2.Ap(serial=SERIAL)], radios=[radio], vaps=[vap])


def _stats() -> monitoring_pb2.MonitoringInformation:
    radio = monitoring_pb2.RadioStats(device_id=SERIAL, tx_bytes=1)
    radio.macaddr.addr = RADIO
    vap = monitoring_pb2.VapStats(device_id=SERIAL, network=b"Corp", tx_bytes=1)
    vap.radio_mac.addr = RADIO
    return _info(
        device_stats=[monitoring_pb2.DeviceStats(device_id=SERIAL)],
        radio_stats=[radio],
        vap_stats=[vap],
    )


def _key(store: EntityStore, cls: str) -> tuple[object, ...]:
    (key,), _ = store.snapshot(cls)
    return key


def test_keys_share_their_parts_and_equal_keys_are_one_tuple() -> None:
    store = EntityStore("A", defaults.LIMITS)
    defaults.apply(store, _state())
    defaults.apply(store, _stats())  # another frame: every part decoded anew
    device, radio, vap = (_key(store, cls) for cls in ("device", "radio", "vap"))
    assert vap == (SERIAL, RADIO, b"Corp")
    assert vap[0] is device[0]
    assert vap[1] is radio[0]
    radio_stats = _key(store, "radio_stats")
    assert radio_stats == (SERIAL, RADIO)
    assert radio_stats[0] is device[0]
    assert radio_stats[1] is radio[0]
    assert _key(store, "device_stats") is device
    assert _key(store, "vap_stats") is vap
    # (S,), (R,), (S, R, E), (S, R) and S, R, E
    assert store.interned == 7
    # Updates keep the entities' keys, and intern nothing.
    defaults.apply(store, _state())
    defaults.apply(store, _stats())
    assert store.interned == 7
    assert (_key(store, "device"), _key(store, "vap_stats")) == (device, vap)
    assert _key(store, "device") is device
    assert _key(store, "vap_stats") is vap


def test_presence_context_and_inventory_share_the_device_key() -> None:
    store = EntityStore("A", defaults.LIMITS)
    defaults.apply(store, _state())
    device = _key(store, "device")
    event = presence_pb2.presence_event(customer_id="cust-1")
    event.pa_proximity_event.proximity.add(device_id=SERIAL, associated=True)
    store.apply_presence(event)
    assert store.set_context(SERIAL, site_id="site-1") is True
    assert store.replace_inventory([DeviceInfo(SERIAL, site="HQ")]) is True
    for cls in ("presence_ap", "device_context", "device_inventory"):
        assert _key(store, cls) is device
    store.apply_presence(event)  # a known AP: its entity keeps its key
    assert _key(store, "presence_ap") is device
    assert store.interned == 6  # (S,), (R,), (S, R, E) and S, R, E: nothing more


def _clients(macs: range, action: int = monitoring_pb2.ADD) -> list[monitoring_pb2.WirelessClient]:
    clients = []
    for n in macs:
        client = monitoring_pb2.WirelessClient(action=action)  # type: ignore[arg-type]
        client.macaddr.addr = bytes([2, 0, 0, 0, n // 256, n % 256])
        clients.append(client)
    return clients


def _client_stats(macs: range) -> list[monitoring_pb2.ClientStats]:
    stats = []
    for n in macs:
        s = monitoring_pb2.ClientStats(device_id=SERIAL, tx_bytes=n)
        s.macaddr.addr = bytes([2, 0, 0, 0, n // 256, n % 256])
        stats.append(s)
    return stats


def test_the_intern_table_shrinks_after_clients_leave() -> None:
    store = EntityStore("A", defaults.LIMITS, clock=Clock())
    everyone = range(100)
    defaults.apply(store, _info(wireless_clients=_clients(everyone)))
    defaults.apply(store, _info(client_stats=_client_stats(everyone)))
    assert store.interned == 200  # a tuple and a MAC per client, shared by its stats
    store.sweep()
    assert store.interned == 200  # all alive
    defaults.apply(store, _info(wireless_clients=_clients(range(10, 100), monitoring_pb2.DELETE)))
    assert store.counts() == {"wireless_client": 10, "client_stats": 10}
    assert store.interned == 200  # until the next sweep
    store.sweep()
    assert store.interned == 20
    # What stayed is still shared with what comes.
    defaults.apply(store, _info(client_stats=_client_stats(range(5))))
    keys, _ = store.snapshot("wireless_client")
    stats_keys, _ = store.snapshot("client_stats")
    assert [k is s for k, s in zip(keys, stats_keys, strict=True)] == [True] * 10
    assert store.interned == 20


def test_the_intern_table_stays_bounded_as_clients_come_and_go() -> None:
    store = EntityStore("A", defaults.LIMITS, clock=Clock())
    defaults.apply(store, _info(wireless_clients=_clients(range(10))))
    defaults.apply(store, _info(client_stats=_client_stats(range(10))))
    store.sweep()
    sizes = []
    for round_ in range(1, 11):
        leaving, coming = (
            range(10 * (round_ - 1), 10 * round_),
            range(10 * round_, 10 * round_ + 10),
        )
        departures = _clients(leaving, monitoring_pb2.DELETE)
        defaults.apply(store, _info(wireless_clients=departures + _clients(coming)))
        defaults.apply(store, _info(client_stats=_client_stats(coming)))
        store.sweep()
        sizes.append(store.interned)
    assert store.counts() == {"wireless_client": 10, "client_stats": 10}
    # Rebuilt from the live keys (20) whenever it doubled since the last rebuild.
    assert sizes == [40, 20] * 5


def test_expired_and_refused_entities_leave_nothing_interned() -> None:
    clock = Clock()
    store = EntityStore("A", defaults.limits(max_entities={"client_stats": 2}), clock=clock)
    defaults.apply(store, _info(client_stats=_client_stats(range(4))))
    assert store.dropped == {"client_stats": 2}
    assert store.interned == 4  # the two kept clients' tuples and MACs
    clock.now += defaults.LIMITS.series_ttl + 1
    store.expire()
    assert store.counts() == {}
    assert store.interned == 0


class _WriterBetween:
    """A lock around a rebuild's two holds, where a writer interns a key in between."""

    def __init__(self, interner: KeyInterner, key: tuple[object, ...]) -> None:
        self.interner, self.key, self.holds = interner, key, 0
        self.interned: tuple[object, ...] | None = None

    def __enter__(self) -> None:
        self.holds += 1
        if self.holds == 2:
            self.interned = self.interner.intern(self.key)

    def __exit__(self, *exc: object) -> None:
        pass


def test_a_rebuild_keeps_what_was_interned_while_it_built_the_table() -> None:
    interner = KeyInterner()
    kept = interner.intern((SERIAL, RADIO))
    interner.intern(("gone", RADIO))
    assert len(interner) == 5
    writer = _WriterBetween(interner, (SERIAL, b"late"))
    interner.rebuild(writer, [[kept]])
    assert writer.holds == 2
    # (S, R), S, R live; (S, b"late") and b"late" interned in between; "gone" forgotten.
    assert len(interner) == 5
    assert interner.intern((SERIAL, b"late")) is writer.interned
    assert interner.intern((SERIAL, RADIO)) is kept
    assert interner.intern(("gone", RADIO))[1] is kept[1]
    assert len(interner) == 7
