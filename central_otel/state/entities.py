"""Which `MonitoringInformation` fields are entities, and how each is keyed.

One row per repeated field: the entity class name used everywhere above (the
metric catalogue's `source`), whether it is state (kept long, deleted on DELETE)
or stats (expires after the series TTL), and its key. Keys use raw bytes for MACs
(cheap, and normalised only when attributes are built), and are read a frame's
list of messages at a time (`EntityClass.keys`: one C-level `attrgetter` call per
message, no Python frame): key functions were a quarter of ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any

from central_otel.normalize import essid_text

Key = tuple[Any, ...]


class Kind(StrEnum):
    STATE = "state"
    STATS = "stats"


@dataclass(frozen=True, slots=True)
class EntityClass:
    name: str  # the store's class name, e.g. "device", "radio_stats"
    field: str  # the MonitoringInformation field carrying it
    kind: Kind
    # The keys of a list of messages, in order. A key whose first part (the entity's
    # own id: always a string or a MAC's bytes) is empty belongs to a message that
    # lacks its identity: it is skipped.
    keys: Callable[[list[Any]], Iterable[Key]]

    def key(self, msg: Any) -> Key | None:
        """One message's key, or None when the message lacks its identity."""
        (key,) = self.keys([msg])
        return key if key[0] else None


def _fields(*paths: str) -> Callable[[list[Any]], Iterable[Key]]:
    """Keys made of plain fields, read by one `attrgetter` per message (in C).

    A MAC or IP part is its raw ``addr`` bytes (``"macaddr.addr"``): an absent
    address reads as b"" (the empty default message), as does an empty one.
    """
    get = attrgetter(*paths)
    if len(paths) == 1:
        return lambda msgs: zip(map(get, msgs))  # 1-tuples
    return lambda msgs: map(get, msgs)


def _computed(key: Callable[[Any], Key]) -> Callable[[list[Any]], Iterable[Key]]:
    return lambda msgs: map(key, msgs)


ENTITY_CLASSES: tuple[EntityClass, ...] = (
    # -- state ------------------------------------------------------------------
    EntityClass("device", "aps", Kind.STATE, _fields("serial")),
    EntityClass("device", "switches", Kind.STATE, _fields("serial")),
    EntityClass("device", "mobility_controllers", Kind.STATE, _fields("serial")),
    EntityClass("swarm", "swarms", Kind.STATE, _fields("swarm_id")),
    EntityClass(
        "network", "networks", Kind.STATE, _computed(lambda m: (m.swarm_id, essid_text(m.essid)))
    ),
    EntityClass("radio", "radios", Kind.STATE, _fields("macaddr.addr")),
    EntityClass("vap", "vaps", Kind.STATE, _fields("device_id", "radio_mac.addr", "essid")),
    EntityClass("interface", "interfaces", Kind.STATE, _fields("device_id", "macaddr.addr")),
    EntityClass("tunnel", "tunnels", Kind.STATE, _fields("swarm_id", "tunnel_id")),
    EntityClass("wireless_client", "wireless_clients", Kind.STATE, _fields("macaddr.addr")),
    EntityClass("wired_client", "wired_clients", Kind.STATE, _fields("macaddr.addr")),
    EntityClass("uplink", "uplinks", Kind.STATE, _fields("device_id", "link_index")),
    EntityClass("ike_tunnel", "ike_tunnels", Kind.STATE, _fields("device_id", "map_id")),
    EntityClass("switch_stack", "switch_stacks", Kind.STATE, _fields("stack_id")),
    EntityClass("neighbour", "device_neighbours", Kind.STATE, _fields("device_id", "port")),
    EntityClass("vlan", "vlans", Kind.STATE, _fields("device_id", "vlan_id")),
    # -- stats ------------------------------------------------------------------
    EntityClass("device_stats", "device_stats", Kind.STATS, _fields("device_id")),
    EntityClass("radio_stats", "radio_stats", Kind.STATS, _fields("device_id", "macaddr.addr")),
    EntityClass(
        "interface_stats", "interface_stats", Kind.STATS, _fields("device_id", "macaddr.addr")
    ),
    EntityClass(
        "vap_stats", "vap_stats", Kind.STATS, _fields("device_id", "radio_mac.addr", "network")
    ),
    EntityClass("client_stats", "client_stats", Kind.STATS, _fields("macaddr.addr")),
    EntityClass(
        "tunnel_stats", "tunnel_stats", Kind.STATS, _fields("swarm_id", "tunnel_id", "index")
    ),
    EntityClass("modem_stats", "modem_stats", Kind.STATS, _fields("device_id")),
    EntityClass("role_stats", "role_stats", Kind.STATS, _fields("device_id", "user_role")),
    EntityClass("vlan_stats", "vlan_stats", Kind.STATS, _fields("device_id", "vlan")),
    EntityClass("ssid_stats", "ssid_stats", Kind.STATS, _fields("device_id", "essid")),
    EntityClass(
        "ipprobe_stats",
        "ipprobe_stats",
        Kind.STATS,
        _fields("device_id", "tunnel_id", "probe_ip_addr.addr"),
    ),
    EntityClass("uplink_stats", "uplink_stats", Kind.STATS, _fields("device_id", "link_id")),
    EntityClass(
        "uplink_wan_stats", "uplink_wan_stats", Kind.STATS, _fields("device_id", "link_id")
    ),
    EntityClass(
        "uplink_probe_stats",
        "uplink_probe_stats",
        Kind.STATS,
        _fields("device_id", "link_id", "probe_ip_addr"),
    ),
    EntityClass(
        "uplink_speedtest", "uplink_speedtest", Kind.STATS, _fields("device_id", "server_ip.addr")
    ),
)

BY_FIELD: dict[str, EntityClass] = {cls.field: cls for cls in ENTITY_CLASSES}
CLASS_KINDS: dict[str, Kind] = {cls.name: cls.kind for cls in ENTITY_CLASSES}
# Presence is aggregated per AP on arrival (no per-station state is kept).
PRESENCE_CLASS = "presence_ap"
CLASS_KINDS[PRESENCE_CLASS] = Kind.STATS
# Where each device is (site), keyed by serial: fed by New Central's streams (and by an
# inventory), read by the device attributes (see EntityStore.set_context).
CONTEXT_CLASS = "device_context"
CLASS_KINDS[CONTEXT_CLASS] = Kind.STATE
# What Central's REST inventory says about each device (site, group, labels, name,
# model), keyed by serial: replaced as a whole by each inventory sync
# (`EntityStore.replace_inventory`), read by the device attributes.
INVENTORY_CLASS = "device_inventory"
CLASS_KINDS[INVENTORY_CLASS] = Kind.STATE
