"""What the entity stores say about the estate, summed up for a person: devices up and
down by type and by site (with device context), wireless clients by SSID and band,
the busiest access points.

Read through the catalogue itself (device identity, the client count's grouping, the
radio band), so the summary names things exactly as the exported metrics do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from google.protobuf.message import Message

from central_otel.catalog.attributes import StoreLookup, radio_band
from central_otel.catalog.metrics import AGGREGATES
from central_otel.decoding import present
from central_otel.export.encoder import raw_counts
from central_otel.normalize import RADIO_BANDS
from central_otel.proto import monitoring_pb2
from central_otel.state.store import EntityStore

BAND_ORDER = tuple(RADIO_BANDS.values())
"""Bands in the order people expect them (2.4, 5, 6 GHz); others follow, sorted."""
NO_BAND = "-"  # a client whose radio (or its band) is not known yet
NO_SSID = "(no SSID)"
_CLIENTS = next(agg for agg in AGGREGATES if agg.source == "wireless_client")
_RADIO_STATS = "radio_stats"
STATS_READ = frozenset({_RADIO_STATS})
"""The stats classes the summary reads, whatever metrics are enabled (the stores keep
them: `BridgeSettings.view_reads`)."""
_STATUS_WORDS = {monitoring_pb2.UP: "up", monitoring_pb2.DOWN: "down"}


@dataclass(frozen=True, slots=True)
class DeviceCount:
    kind: str  # aruba.device.type: ap, switch, gateway
    up: int
    down: int
    unknown: int  # no status reported yet


@dataclass(frozen=True, slots=True)
class SiteCount:
    customer: str
    site: str  # aruba.site.name (device context)
    devices: int
    down: int


@dataclass(frozen=True, slots=True)
class ApLoad:
    name: str
    clients: int
    utilization: float | None  # the busiest radio's channel utilisation, a fraction
    band: str | None  # that radio's band
    site: str | None = None  # its site (device context), if known


@dataclass(frozen=True, slots=True)
class Estate:
    devices: tuple[DeviceCount, ...]
    clients: dict[str, Counter[str]]  # SSID -> band -> wireless clients
    wired_clients: int
    busiest: tuple[ApLoad, ...]
    sites: tuple[SiteCount, ...] = ()
    """Devices and devices down per site, for the devices whose site is known."""

    @property
    def wireless_clients(self) -> int:
        return sum(sum(bands.values()) for bands in self.clients.values())

    def bands(self) -> list[str]:
        """The bands clients are on, known bands first."""
        seen = {band for bands in self.clients.values() for band in bands}
        return [b for b in BAND_ORDER if b in seen] + sorted(seen.difference(BAND_ORDER))


def estate(stores: Iterable[EntityStore], *, top: int = 5) -> Estate:
    """The summary of every customer's store together."""
    stores = list(stores)
    states: dict[str, Counter[str]] = {}
    clients: dict[str, Counter[str]] = {}
    wired = 0
    load: Counter[tuple[str, str]] = Counter()  # (customer, serial) -> clients
    busiest_radio: dict[tuple[str, str], tuple[float, bytes]] = {}
    names: dict[tuple[str, str], str] = {}
    sites_of: dict[tuple[str, str], str] = {}
    sites: dict[tuple[str, str], Counter[str]] = {}  # (customer, site) -> status words
    lookups = {store.customer: StoreLookup(store) for store in stores}
    for store in stores:
        lookup = lookups[store.customer]
        for (serial,), entity in store.items("device"):
            msg = entity.msg
            if not isinstance(msg, Message):
                continue
            identity = lookup.device(serial)
            kind = str(identity.get("aruba.device.type", "device"))
            word = _STATUS_WORDS.get(present(msg, "status"), "unknown")
            states.setdefault(kind, Counter())[word] += 1
            names[(store.customer, serial)] = str(identity.get("host.name") or serial)
            site = identity.get("aruba.site.name")
            if isinstance(site, str):
                sites_of[(store.customer, serial)] = site
                sites.setdefault((store.customer, site), Counter())[word] += 1
        # Clients by the client count's own groups (AP, SSID, band): worked out once per
        # group, not per client, as the exporter does.
        for raw, n in raw_counts(_CLIENTS, store).items():
            group = _CLIENTS.group(raw, lookup)
            ssid = str(group.get("aruba.wlan.ssid", NO_SSID))
            clients.setdefault(ssid, Counter())[str(group.get("aruba.radio.band", NO_BAND))] += n
            if "host.id" in group:
                load[(store.customer, str(group["host.id"]))] += n
        wired += len(store.snapshot("wired_client")[0])
        for (serial, radio_mac), entity in store.items(_RADIO_STATS):
            msg = entity.msg
            utilization = present(msg, "utilization") if isinstance(msg, Message) else None
            if utilization is None:
                continue
            where = (store.customer, serial)
            if where not in busiest_radio or utilization / 100 > busiest_radio[where][0]:
                busiest_radio[where] = (utilization / 100, radio_mac)
    loads = []
    for where in set(load) | set(busiest_radio):
        utilization, radio_mac = busiest_radio.get(where, (None, b""))
        band = radio_band(lookups[where[0]], radio_mac) if radio_mac else None
        name = names.get(where, where[1])
        loads.append(ApLoad(name, load[where], utilization, band, sites_of.get(where)))
    loads.sort(key=lambda ap: (-ap.clients, -(ap.utilization or 0.0), ap.name))
    devices = tuple(
        DeviceCount(kind, c["up"], c["down"], c["unknown"]) for kind, c in sorted(states.items())
    )
    per_site = tuple(
        SiteCount(customer, site, sum(c.values()), c["down"])
        for (customer, site), c in sorted(sites.items())
    )
    return Estate(devices, clients, wired, tuple(loads[:top]), per_site)
