"""Which `MonitoringInformation` fields are entities, and how each is keyed.

One row per repeated field: the entity class name used everywhere above (the
metric catalogue's `source`), whether it is state (kept long, deleted on DELETE)
or stats (expires after the series TTL), and its key. Keys use raw bytes for MACs
(cheap, and normalised only when attributes are built).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
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
    key: Callable[[Any], Key | None]  # None: the message lacks its identity; skipped


def _mac(m: Any, name: str) -> bytes:
    return bytes(getattr(m, name).addr) if m.HasField(name) else b""


def _ip(m: Any, name: str) -> bytes:
    return bytes(getattr(m, name).addr) if m.HasField(name) else b""


def _need(*parts: Any) -> Key | None:
    """A key, or None when its first part (the entity's own id) is missing."""
    return parts if parts[0] not in ("", b"", None) else None


ENTITY_CLASSES: tuple[EntityClass, ...] = (
    # -- state ------------------------------------------------------------------
    EntityClass("device", "aps", Kind.STATE, lambda m: _need(m.serial)),
    EntityClass("device", "switches", Kind.STATE, lambda m: _need(m.serial)),
    EntityClass("device", "mobility_controllers", Kind.STATE, lambda m: _need(m.serial)),
    EntityClass("swarm", "swarms", Kind.STATE, lambda m: _need(m.swarm_id)),
    EntityClass(
        "network", "networks", Kind.STATE, lambda m: _need(m.swarm_id, essid_text(m.essid))
    ),
    EntityClass("radio", "radios", Kind.STATE, lambda m: _need(_mac(m, "macaddr"))),
    EntityClass(
        "vap", "vaps", Kind.STATE, lambda m: _need(m.device_id, _mac(m, "radio_mac"), m.essid)
    ),
    EntityClass(
        "interface", "interfaces", Kind.STATE, lambda m: _need(m.device_id, _mac(m, "macaddr"))
    ),
    EntityClass("tunnel", "tunnels", Kind.STATE, lambda m: _need(m.swarm_id, m.tunnel_id)),
    EntityClass(
        "wireless_client", "wireless_clients", Kind.STATE, lambda m: _need(_mac(m, "macaddr"))
    ),
    EntityClass("wired_client", "wired_clients", Kind.STATE, lambda m: _need(_mac(m, "macaddr"))),
    EntityClass("uplink", "uplinks", Kind.STATE, lambda m: _need(m.device_id, m.link_index)),
    EntityClass("ike_tunnel", "ike_tunnels", Kind.STATE, lambda m: _need(m.device_id, m.map_id)),
    EntityClass("switch_stack", "switch_stacks", Kind.STATE, lambda m: _need(m.stack_id)),
    EntityClass("neighbour", "device_neighbours", Kind.STATE, lambda m: _need(m.device_id, m.port)),
    EntityClass("vlan", "vlans", Kind.STATE, lambda m: _need(m.device_id, m.vlan_id)),
    # -- stats ------------------------------------------------------------------
    EntityClass("device_stats", "device_stats", Kind.STATS, lambda m: _need(m.device_id)),
    EntityClass(
        "radio_stats", "radio_stats", Kind.STATS, lambda m: _need(m.device_id, _mac(m, "macaddr"))
    ),
    EntityClass(
        "interface_stats",
        "interface_stats",
        Kind.STATS,
        lambda m: _need(m.device_id, _mac(m, "macaddr")),
    ),
    EntityClass(
        "vap_stats",
        "vap_stats",
        Kind.STATS,
        lambda m: _need(m.device_id, _mac(m, "radio_mac"), m.network),
    ),
    EntityClass("client_stats", "client_stats", Kind.STATS, lambda m: _need(_mac(m, "macaddr"))),
    EntityClass(
        "tunnel_stats",
        "tunnel_stats",
        Kind.STATS,
        lambda m: _need(m.swarm_id, m.tunnel_id, m.index),
    ),
    EntityClass("modem_stats", "modem_stats", Kind.STATS, lambda m: _need(m.device_id)),
    EntityClass("role_stats", "role_stats", Kind.STATS, lambda m: _need(m.device_id, m.user_role)),
    EntityClass("vlan_stats", "vlan_stats", Kind.STATS, lambda m: _need(m.device_id, m.vlan)),
    EntityClass("ssid_stats", "ssid_stats", Kind.STATS, lambda m: _need(m.device_id, m.essid)),
    EntityClass(
        "ipprobe_stats",
        "ipprobe_stats",
        Kind.STATS,
        lambda m: _need(m.device_id, m.tunnel_id, _ip(m, "probe_ip_addr")),
    ),
    EntityClass(
        "uplink_stats", "uplink_stats", Kind.STATS, lambda m: _need(m.device_id, m.link_id)
    ),
    EntityClass(
        "uplink_wan_stats", "uplink_wan_stats", Kind.STATS, lambda m: _need(m.device_id, m.link_id)
    ),
    EntityClass(
        "uplink_probe_stats",
        "uplink_probe_stats",
        Kind.STATS,
        lambda m: _need(m.device_id, m.link_id, m.probe_ip_addr),
    ),
    EntityClass(
        "uplink_speedtest",
        "uplink_speedtest",
        Kind.STATS,
        lambda m: _need(m.device_id, _ip(m, "server_ip")),
    ),
)

BY_FIELD: dict[str, EntityClass] = {cls.field: cls for cls in ENTITY_CLASSES}
CLASS_KINDS: dict[str, Kind] = {cls.name: cls.kind for cls in ENTITY_CLASSES}
# Presence is aggregated per AP on arrival (no per-station state is kept).
PRESENCE_CLASS = "presence_ap"
CLASS_KINDS[PRESENCE_CLASS] = Kind.STATS
