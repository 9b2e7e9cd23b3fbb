"""Which stats series belong to a state entity, so that its DELETE removes them too.

Central sends a DELETE for the state message (a client leaves, a device is removed) and
then simply stops sending that entity's stats. Without this, its stats series would be
exported until `series_ttl` ran out: a ghost (a departed client still "connected" with
its last signal strength for 15 minutes).

Each rule says how a stats key relates to the state key:
- ``same``: the identical key (client_stats of a wireless client);
- ``prefix``: the stats key starts with the state key (tunnel_stats of a tunnel);
- ``device``: the stats key's first part is the device serial (every per-device class);
- ``radio``: the stats key's second part is the radio MAC (radio_stats of a radio).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Key = tuple[Any, ...]
E = TypeVar("E")
Match = Literal["same", "prefix", "device", "radio"]


@dataclass(frozen=True, slots=True)
class Dependent:
    stats: str  # the stats class
    match: Match


# Stats classes keyed by the device serial first (device_id, ...).
_PER_DEVICE = (
    "device_stats",
    "radio_stats",
    "interface_stats",
    "vap_stats",
    "modem_stats",
    "role_stats",
    "vlan_stats",
    "ssid_stats",
    "ipprobe_stats",
    "uplink_stats",
    "uplink_wan_stats",
    "uplink_probe_stats",
    "uplink_speedtest",
)

DEPENDENTS: dict[str, tuple[Dependent, ...]] = {
    "wireless_client": (Dependent("client_stats", "same"),),
    "device": tuple(Dependent(cls, "device") for cls in _PER_DEVICE),
    "radio": (Dependent("radio_stats", "radio"),),
    "interface": (Dependent("interface_stats", "same"),),
    "vap": (Dependent("vap_stats", "same"),),
    "tunnel": (Dependent("tunnel_stats", "prefix"),),
    "uplink": (
        Dependent("uplink_stats", "same"),
        Dependent("uplink_wan_stats", "same"),
        Dependent("uplink_probe_stats", "prefix"),
    ),
    "vlan": (Dependent("vlan_stats", "same"),),
}


def _matches(match: Match, state_key: Key, stats_key: Key) -> bool:
    if match == "prefix":
        return stats_key[: len(state_key)] == state_key
    if match == "device":
        return bool(stats_key[0] == state_key[0])
    # "radio": radio_stats are keyed (device_id, radio MAC), radios (radio MAC,)
    return len(stats_key) > 1 and bool(stats_key[1] == state_key[0])


def drop_dependents(classes: Mapping[str, MutableMapping[Key, E]], cls: str, key: Key) -> int:
    """Remove the stats entities that belong to state entity (`cls`, `key`) from
    `classes` (class name -> key -> entity); the number removed. Exact keys are one
    lookup; the other rules scan their class (deletes of devices, radios and tunnels
    are rare)."""
    removed = 0
    for dependent in DEPENDENTS.get(cls, ()):
        entities = classes.get(dependent.stats)
        if not entities:
            continue
        if dependent.match == "same":
            if entities.pop(key, None) is not None:
                removed += 1
            continue
        doomed: Iterable[Key] = [k for k in entities if _matches(dependent.match, key, k)]
        for stats_key in doomed:
            del entities[stats_key]
            removed += 1
    return removed
