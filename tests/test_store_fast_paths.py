"""The store's fast paths keep the exact semantics they replaced.

Keys are read by one `attrgetter` per message (MACs as their raw ``addr`` bytes,
without `HasField`), and counter resets are found by comparing each stats message's
counter values with the previous message's, then checked field by field with
presence only when one went down. Here both are compared with the straightforward
definitions they replaced.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

import pytest
from google.protobuf.descriptor import FieldDescriptor

from central_otel.catalog.metrics import counter_fields
from central_otel.normalize import essid_text
from central_otel.proto import monitoring_pb2
from central_otel.state.entities import BY_FIELD, ENTITY_CLASSES, Key
from central_otel.state.store import EntityStore
from tests import defaults
from tests.export_support import message


def _mac(m: Any, name: str) -> bytes:
    return bytes(getattr(m, name).addr) if m.HasField(name) else b""


def _need(*parts: Any) -> Key | None:
    return parts if parts[0] not in ("", b"", None) else None


# The key functions as they were (field by field, HasField for every address).
REFERENCE: dict[str, Callable[[Any], Key | None]] = {
    "aps": lambda m: _need(m.serial),
    "switches": lambda m: _need(m.serial),
    "mobility_controllers": lambda m: _need(m.serial),
    "swarms": lambda m: _need(m.swarm_id),
    "networks": lambda m: _need(m.swarm_id, essid_text(m.essid)),
    "radios": lambda m: _need(_mac(m, "macaddr")),
    "vaps": lambda m: _need(m.device_id, _mac(m, "radio_mac"), m.essid),
    "interfaces": lambda m: _need(m.device_id, _mac(m, "macaddr")),
    "tunnels": lambda m: _need(m.swarm_id, m.tunnel_id),
    "wireless_clients": lambda m: _need(_mac(m, "macaddr")),
    "wired_clients": lambda m: _need(_mac(m, "macaddr")),
    "uplinks": lambda m: _need(m.device_id, m.link_index),
    "ike_tunnels": lambda m: _need(m.device_id, m.map_id),
    "switch_stacks": lambda m: _need(m.stack_id),
    "device_neighbours": lambda m: _need(m.device_id, m.port),
    "vlans": lambda m: _need(m.device_id, m.vlan_id),
    "device_stats": lambda m: _need(m.device_id),
    "radio_stats": lambda m: _need(m.device_id, _mac(m, "macaddr")),
    "interface_stats": lambda m: _need(m.device_id, _mac(m, "macaddr")),
    "vap_stats": lambda m: _need(m.device_id, _mac(m, "radio_mac"), m.network),
    "client_stats": lambda m: _need(_mac(m, "macaddr")),
    "tunnel_stats": lambda m: _need(m.swarm_id, m.tunnel_id, m.index),
    "modem_stats": lambda m: _need(m.device_id),
    "role_stats": lambda m: _need(m.device_id, m.user_role),
    "vlan_stats": lambda m: _need(m.device_id, m.vlan),
    "ssid_stats": lambda m: _need(m.device_id, m.essid),
    "ipprobe_stats": lambda m: _need(m.device_id, m.tunnel_id, _mac(m, "probe_ip_addr")),
    "uplink_stats": lambda m: _need(m.device_id, m.link_id),
    "uplink_wan_stats": lambda m: _need(m.device_id, m.link_id),
    "uplink_probe_stats": lambda m: _need(m.device_id, m.link_id, m.probe_ip_addr),
    "uplink_speedtest": lambda m: _need(m.device_id, _mac(m, "server_ip")),
}
KEY_FIELDS = {
    "serial", "swarm_id", "essid", "macaddr", "device_id", "radio_mac", "tunnel_id",
    "link_index", "map_id", "stack_id", "port", "vlan_id", "index", "network", "user_role",
    "vlan", "link_id", "probe_ip_addr", "server_ip",
}  # fmt: skip


def _variants(field: Any) -> list[Callable[[Any], None]]:
    """Ways a key field may arrive: absent, empty or default, set."""
    name = field.name

    def absent(m: Any) -> None:
        m.ClearField(name)

    if field.type == FieldDescriptor.TYPE_MESSAGE:

        def empty_address(m: Any) -> None:
            getattr(m, name).SetInParent()  # present, without its addr

        def address(m: Any) -> None:
            getattr(m, name).addr = bytes.fromhex("e0f8471e0001")

        return [absent, empty_address, address]
    if field.type == FieldDescriptor.TYPE_STRING:
        values: list[Any] = ["", "SN1"]
    elif field.type == FieldDescriptor.TYPE_BYTES:
        values = [b"", "Café".encode(), b"\xff"]
    elif field.type == FieldDescriptor.TYPE_ENUM:
        values = [field.enum_type.values[0].number]
    else:
        values = [0, 7]

    def setter(value: Any) -> Callable[[Any], None]:
        return lambda m: setattr(m, name, value)

    return [absent, *(setter(v) for v in values)]


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.field)
def test_keys_equal_the_reference_definition(cls: Any) -> None:
    container = getattr(monitoring_pb2.MonitoringInformation(), cls.field)
    descriptor: Any = container.add().DESCRIPTOR
    fields = [f for f in descriptor.fields if f.name in KEY_FIELDS]
    assert fields
    checked = 0
    batch = []
    for combo in itertools.product(*(_variants(f) for f in fields)):
        msg = container.add()
        for apply in combo:
            apply(msg)
        expected = REFERENCE[cls.field](msg)
        assert cls.key(msg) == expected, msg
        batch.append(msg)
        checked += 1
    # The batched form (what the store uses) gives the same keys, message by message.
    for msg, key in zip(batch, cls.keys(batch), strict=True):
        expected = REFERENCE[cls.field](msg)
        assert (key if key[0] else None) == expected
        if expected is not None:
            assert all(type(a) is type(b) for a, b in zip(key, expected, strict=True))
    assert checked >= 2


def test_every_key_starts_with_a_string_or_bytes() -> None:
    # So "the first part is empty" (`not key[0]`) is the reference's
    # `parts[0] not in ("", b"", None)`.
    for cls in ENTITY_CLASSES:
        container = getattr(monitoring_pb2.MonitoringInformation(), cls.field)
        (key,) = cls.keys([container.add()])
        assert key[0] in ("", b""), cls.field


def _reference_offsets(history: list[Any], counters: tuple[str, ...]) -> dict[str, int] | None:
    """Counter-reset offsets as `_carry_resets` defines them, message by message."""
    offsets: dict[str, int] | None = None
    for previous, msg in itertools.pairwise(history):
        for name in counters:
            if msg.HasField(name) and previous.HasField(name):
                before = getattr(previous, name)
                if getattr(msg, name) < before:
                    offsets = offsets if offsets is not None else {}
                    offsets[name] = offsets.get(name, 0) + before
    return offsets


def _stats(**values: int | None) -> monitoring_pb2.InterfaceStats:
    s = monitoring_pb2.InterfaceStats(device_id="SW1")
    s.macaddr.addr = bytes.fromhex("e0f8471e0001")
    for name, value in values.items():
        if value is not None:
            setattr(s, name, value)
    return s


TOP = 2**64 - 1  # the largest counter value
FIELDS = {cls.name: cls.field for cls in ENTITY_CLASSES}  # class name -> its field
INTERFACE_COUNTERS = counter_fields()["interface_stats"]


HISTORIES = {
    "monotonic": [_stats(tx_bytes=n, rx_bytes=2 * n) for n in range(5)],
    "one counter resets": [_stats(tx_bytes=9, rx_bytes=5), _stats(tx_bytes=1, rx_bytes=6)],
    "absent then lower": [_stats(tx_bytes=9), _stats(rx_bytes=3), _stats(tx_bytes=1)],
    "absent reads as 0": [_stats(tx_bytes=9, rx_bytes=4), _stats(tx_bytes=10)],
    "present then absent then present": [
        _stats(tx_bytes=9, rx_bytes=4),
        _stats(tx_bytes=10),
        _stats(tx_bytes=11, rx_bytes=1),
    ],
    "all reset twice": [
        _stats(tx_bytes=100, rx_bytes=10, in_errors=3),
        _stats(tx_bytes=5, rx_bytes=1, in_errors=0),
        _stats(tx_bytes=50, rx_bytes=9, in_errors=1),
        _stats(tx_bytes=2, rx_bytes=0, in_errors=0),
    ],
    "equal values": [_stats(tx_bytes=7, rx_bytes=7), _stats(tx_bytes=7, rx_bytes=7)],
    # The store compares all counters at once, packed in one int: extremes, and each
    # counter going down by one while every other one jumps.
    "the largest values": [
        _stats(tx_bytes=TOP, rx_bytes=0),
        _stats(tx_bytes=0, rx_bytes=TOP),
        _stats(tx_bytes=TOP, rx_bytes=TOP),
        _stats(tx_bytes=TOP - 1, rx_bytes=TOP),
        _stats(tx_bytes=TOP - 1, rx_bytes=TOP - 1),
    ],
    **{
        f"{name} down by one": [
            _stats(**dict.fromkeys(INTERFACE_COUNTERS, 5)),
            _stats(**{other: 4 if other == name else TOP for other in INTERFACE_COUNTERS}),
        ]
        for name in INTERFACE_COUNTERS
    },
}


@pytest.mark.parametrize("name", HISTORIES)
def test_counter_resets_equal_the_reference(name: str) -> None:
    history = HISTORIES[name]
    counters = counter_fields()["interface_stats"]
    store = EntityStore("A", defaults.LIMITS, counter_fields=counter_fields())
    for msg in history:
        defaults.apply(store, monitoring_pb2.MonitoringInformation(interface_stats=[msg]))
    ((_, entity),) = store.items("interface_stats")
    assert entity.offsets == _reference_offsets(history, counters)


def _random_walk(cls: str, seed: int, steps: int) -> list[Any]:
    """Stats of one `cls` entity whose counters each rise by any amount up to their
    largest value, or reset (1 in 8)."""
    container = getattr(monitoring_pb2.MonitoringInformation(), FIELDS[cls])
    fields = container.add().DESCRIPTOR.fields_by_name
    wide = {FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64}
    top = {n: TOP if fields[n].type in wide else 2**32 - 1 for n in counter_fields()[cls]}
    rng = random.Random(seed)
    values = dict.fromkeys(top, 0)
    history = []
    for _ in range(steps):
        msg = container.add(device_id="SW1")
        for address in ("macaddr", "radio_mac"):
            if address in fields:
                getattr(msg, address).addr = bytes.fromhex("e0f8471e0001")
        for name, value in values.items():
            reset = rng.random() < 1 / 8 or value == top[name]
            values[name] = rng.randrange(4) if reset else rng.randint(value, top[name])
            setattr(msg, name, values[name])
        history.append(msg)
    return history


@pytest.mark.parametrize("cls", ["vap_stats", "client_stats", "interface_stats"])
def test_counter_resets_of_a_random_walk_equal_the_reference(cls: str) -> None:
    history = _random_walk(cls, seed=len(cls), steps=300)
    store = EntityStore("A", defaults.LIMITS, counter_fields=counter_fields())
    for msg in history:
        info = monitoring_pb2.MonitoringInformation()
        getattr(info, FIELDS[cls]).append(msg)
        defaults.apply(store, info)
    ((_, entity),) = store.items(cls)
    assert entity.offsets == _reference_offsets(history, counter_fields()[cls])
    assert set(entity.offsets or ()) == set(counter_fields()[cls])  # each one reset


def test_counter_fields_are_unsigned_integers() -> None:
    # The store packs their values in 64-bit lanes (`state.store._Counters`).
    unsigned = {
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_UINT32,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_FIXED32,
    }
    for cls, names in counter_fields().items():
        container = getattr(monitoring_pb2.MonitoringInformation(), FIELDS[cls])
        descriptor: Any = container.add().DESCRIPTOR
        wrong = [n for n in names if descriptor.fields_by_name[n].type not in unsigned]
        assert wrong == [], cls


def test_the_same_entity_twice_in_one_frame() -> None:
    history = [_stats(tx_bytes=50), _stats(tx_bytes=60), _stats(tx_bytes=5)]
    store = EntityStore("A", defaults.LIMITS, counter_fields=counter_fields())
    defaults.apply(store, monitoring_pb2.MonitoringInformation(interface_stats=history[:1]))
    defaults.apply(store, monitoring_pb2.MonitoringInformation(interface_stats=history[1:]))
    ((_, entity),) = store.items("interface_stats")
    assert entity.offsets == {"tx_bytes": 60}
    assert message(entity, monitoring_pb2.InterfaceStats).tx_bytes == 5


def test_a_class_with_a_single_counter_field() -> None:
    store = EntityStore("A", defaults.LIMITS, counter_fields={"device_stats": ("uptime",)})
    for uptime in (100, 200, 10, 20):
        s = monitoring_pb2.DeviceStats(device_id="S1", uptime=uptime)
        defaults.apply(store, monitoring_pb2.MonitoringInformation(device_stats=[s]))
    ((_, entity),) = store.items("device_stats")
    assert entity.offsets == {"uptime": 200}


def test_states_and_deletes_in_one_frame_see_each_other() -> None:
    store = EntityStore("A", defaults.LIMITS)
    add = monitoring_pb2.Ap(serial="S1", action=monitoring_pb2.ADD)
    delete = monitoring_pb2.Ap(serial="S1", action=monitoring_pb2.DELETE)
    again = monitoring_pb2.Ap(serial="S1", name="back")
    changes = defaults.apply(store, monitoring_pb2.MonitoringInformation(aps=[add, delete, again]))
    assert [(c.old is None, c.new is None) for c in changes] == [
        (True, False),
        (False, True),
        (True, False),
    ]
    ((_, entity),) = store.items("device")
    assert message(entity, monitoring_pb2.Ap).name == "back"
    assert BY_FIELD["aps"].key(again) == ("S1",)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_write_path_sweep_skips_classes_an_export_swept_lately() -> None:
    clock = FakeClock()
    store = EntityStore("A", defaults.limits(series_ttl=120.0), clock=clock)  # sweeps every 60 s
    client = monitoring_pb2.ClientStats(device_id="S1")
    client.macaddr.addr = bytes.fromhex("3c22fb000042")
    defaults.apply(
        store,
        monitoring_pb2.MonitoringInformation(
            device_stats=[monitoring_pb2.DeviceStats(device_id="S1")], client_stats=[client]
        ),
    )
    clock.now = 1090.0
    assert len(store.items("device_stats")) == 1  # an export reads (and sweeps) the class
    clock.now = 1121.0  # both expired; the write path's sweep is due
    defaults.apply(store, monitoring_pb2.MonitoringInformation(customer_id="c"))
    # client_stats, which nothing read, was swept; device_stats was left to the export.
    assert store.counts() == {"device_stats": 1}
    assert store.items("device_stats") == []
    assert store.counts() == {}
