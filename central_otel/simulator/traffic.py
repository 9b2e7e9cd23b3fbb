"""Each topic's payload messages, generated from a customer's `World`.

One `TopicStream` per WebSocket connection. ``opening()`` is what the connection
sends right after the upgrade (the monitoring state snapshot), ``tick()`` what it
sends on every stats interval, ``pending()`` the monitoring changes published since
the last call. All three are lazy generators: a 200 000-client snapshot is built a
frame at a time while the server sends the previous one. Every message fits the
payload budget (the maximum frame size minus the envelope), split where needed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from google.protobuf.message import Message

from central_otel.proto import apprf_pb2, audit_pb2, location_pb2, presence_pb2, security_pb2
from central_otel.proto import monitoring_pb2 as mon
from central_otel.simulator.estate import (
    BAND_NAMES,
    AccessPoint,
    Client,
    Gateway,
    Port,
    Site,
    Switch,
)
from central_otel.simulator.messages import (
    Batcher,
    enum,
    fill_ap,
    fill_ap_eth,
    fill_controller,
    fill_neighbour,
    fill_network,
    fill_port,
    fill_radio,
    fill_stats,
    fill_swarm,
    fill_switch,
    fill_tunnel,
    fill_uplink,
    fill_vap,
    fill_vlan,
    fill_wired_client,
    fill_wireless_client,
    monitoring_batcher,
)
from central_otel.simulator.world import Change, CounterBank, World, stable_fraction
from central_otel.topics import Topic

# Mean counter rates per second: (tx_bytes, rx_bytes, ...) in the order the fill reads them.
_RADIO_RATES = (150_000.0, 60_000.0, 0.2, 0.5)  # tx_bytes, rx_bytes, tx_drops, rx_bad
_VAP_RATES = (40_000.0, 15_000.0)
_CLIENT_RATES = (20_000.0, 8_000.0, 0.5, 1.0)  # tx_bytes, rx_bytes, rx_retries, tx_retries
_TUNNEL_RATES = (100_000.0, 80_000.0)
_UPLINK_RATES = (1_000_000.0, 3_000_000.0, 300_000.0, 500_000.0)
_WAN_RATES = (50_000.0, 120_000.0)  # compressed, uncompressed
_MODEM_RATES = (2_000.0, 5_000.0)
_ROLE_RATES = (50_000.0, 20_000.0)
_VLAN_RATES = (200_000.0, 100_000.0)
_SSID_RATES = (60_000.0, 25_000.0)
# Interface: tx/rx bytes, unicast/multicast/broadcast packets in and out, then the error
# counters (uint64 ones first, then the uint32 ones), all per second.
_PORT_RATES = (
    500_000.0, 300_000.0,  # tx_bytes, rx_bytes
    400.0, 12.0, 8.0,  # in unicast, multicast, broadcast
    600.0, 10.0, 4.0,  # out unicast, multicast, broadcast
    0.01, 0.005, 0.02, 0.01,  # in_errors, out_errors, in_discards, out_discards
    0.002, 0.001, 0.001, 0.001, 0.001,  # fcs, alignment, jabbers, fragmented, collision
    0.001, 0.0005, 0.0005, 0.0005, 0.0002, 0.0005,  # uint32 ones: see _PORT_ERRORS
)  # fmt: skip
_PORT_ERRORS = (
    "in_errors", "out_errors", "in_discards", "out_discards",
    "in_fcs", "in_alignment", "in_jabbers", "in_fragmented", "out_collision",
    "in_other_err", "out_excessive_collision", "in_giant", "in_runt",
    "out_late_collision", "out_deferred",
)  # fmt: skip
_U32_PORT_FIELDS = frozenset(_PORT_ERRORS[9:])  # in_other_err .. out_deferred

_SPEEDTEST_SERVER = bytes([192, 0, 2, 10])
_PROBE_TARGET = int(ipaddress.IPv4Address("192.0.2.53"))

# (app_id, app, app_cat_id, app_cat, web_cat_id, web_cat, domain, ip_proto, port)
_APPS: tuple[tuple[int, str, int, str, int, str, str, int, int], ...] = (
    (1061, "office365", 17, "Productivity", 5, "Business and Economy",
     "outlook.office365.com", 6, 443),
    (1322, "youtube", 12, "Streaming", 77, "Streaming Media", "www.youtube.com", 17, 443),
    (2206, "zoom", 5, "Collaboration", 22, "Internet Communications", "zoom.us", 17, 8801),
    (1812, "slack", 5, "Collaboration", 22, "Internet Communications", "slack.com", 6, 443),
    (517, "google-search", 14, "Web", 50, "Search Engines", "www.google.com", 6, 443),
    (1415, "netflix", 12, "Streaming", 77, "Streaming Media", "www.netflix.com", 6, 443),
    (71, "dns", 9, "Network Service", 0, "", "", 17, 53),
    (1156, "salesforce", 17, "Productivity", 5, "Business and Economy",
     "login.salesforce.com", 6, 443),
    (2103, "whatsapp", 6, "Instant Messaging", 22, "Internet Communications",
     "web.whatsapp.com", 6, 443),
)  # fmt: skip
_IDS_KINDS = (
    ("Client Attack", "Deauth Broadcast", "Deauthentication broadcast detected", "high"),
    ("Infrastructure Attack", "AP Impersonation", "An AP is impersonating a valid AP", "high"),
    ("Client Attack", "Disconnect Station Attack", "Station disconnect attack detected", "medium"),
    ("Infrastructure Attack", "Adhoc Network", "Ad hoc network detected", "low"),
)
_APPRF_AF = {4: apprf_pb2.ip_address.ADDR_FAMILY_INET, 16: apprf_pb2.ip_address.ADDR_FAMILY_INET6}


def _presence_mac(raw: bytes) -> bytes:
    """Presence carries MACs as 12 uppercase hex characters, not raw bytes."""
    return raw.hex().upper().encode("ascii")


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _ip_int(raw: bytes) -> int:
    return int.from_bytes(raw, "big")


class _DeviceTraffic(NamedTuple):
    """One device's traffic counters at `now` (the device up for `age` seconds)."""

    batch: Batcher[mon.MonitoringInformation]
    counters: CounterBank
    serial: str
    now: float
    age: float

    def stats(
        self,
        path: str,
        key: object,
        rates: Sequence[float],
        labels: dict[str, Any],
        macs: dict[str, bytes] | None = None,
    ) -> list[mon.MonitoringInformation]:
        """A `path` entry: the tx and rx bytes of the device's counters `key`, with
        `labels` (and the MAC fields `macs`)."""
        tx, rx = self.counters.read(self.serial, key, rates, self.now, self.age)
        values = {
            "device_id": self.serial,
            **labels,
            "timestamp": int(self.now),
            "tx_bytes": tx,
            "rx_bytes": rx,
        }
        return self.batch.add(path, fill_stats, values, macs or {}, {})


class TopicStream:
    """The payloads of one topic for one connection."""

    topic: Topic

    def __init__(self, world: World, rng: random.Random, budget: int) -> None:
        self.world = world
        self.rng = rng
        self.budget = budget
        self.on_change: Callable[[], None] | None = None

    @property
    def customer_id(self) -> str:
        return self.world.customer_id

    def opening(self) -> Iterator[Message]:
        return iter(())

    def tick(self) -> Iterator[Message]:
        return iter(())

    def pending(self) -> Iterator[Message]:
        return iter(())

    def close(self) -> None:
        """Stop receiving world changes (the connection ended)."""


class MonitoringStream(TopicStream):
    topic = Topic.MONITORING

    def __init__(self, world: World, rng: random.Random, budget: int) -> None:
        super().__init__(world, rng, budget)
        self._pending: list[Change] = []
        world.subscribe(self)

    def push(self, changes: Sequence[Change]) -> None:
        self._pending.extend(changes)
        if self.on_change is not None:
            self.on_change()

    def close(self) -> None:
        self.world.unsubscribe(self)

    def _batcher(self, now: float) -> Batcher[mon.MonitoringInformation]:
        return monitoring_batcher(self.customer_id, int(now), self.budget)

    def pending(self) -> Iterator[Message]:
        if not self._pending:
            return
        changes, self._pending = self._pending, []
        batch = self._batcher(self.world.clock.now())
        for path, fill, args, kwargs in changes:
            yield from batch.add(path, fill, *args, **kwargs)
        yield from batch.flush()

    def opening(self) -> Iterator[Message]:
        """The state snapshot: an ADD for every entity, as when Central sends a full state."""
        estate = self.world.estate
        now = self.world.clock.now()
        batch = self._batcher(now)
        add = mon.ADD
        sites = list(estate.sites)
        for site in sites:
            yield from batch.add(
                "swarms", fill_swarm, site, add, site.aps[0].firmware if site.aps else ""
            )
        for gateway in list(estate.gateways):
            yield from batch.add("mobility_controllers", fill_controller, gateway, add)
            for uplink in gateway.uplinks:
                yield from batch.add("uplinks", fill_uplink, gateway, uplink, add)
            for port in gateway.ports:
                yield from batch.add("interfaces", fill_port, port, add, False)
            for vlan in gateway.vlans:
                yield from batch.add("vlans", fill_vlan, gateway, vlan, add, int(now))
        for switch in list(estate.switches):
            yield from batch.add("switches", fill_switch, switch, add)
            for port in switch.ports:
                yield from batch.add("interfaces", fill_port, port, add, True)
                if port.neighbour is not None:
                    yield from batch.add("device_neighbours", fill_neighbour, port, add)
        for site in sites:
            for index, ssid in enumerate(estate.scale.ssids):
                yield from batch.add("networks", fill_network, site, index, ssid, add)
            for tunnel in site.tunnels:
                uptime = int(now - min((gw.boot_time for gw in site.gateways), default=now))
                yield from batch.add("tunnels", fill_tunnel, site, tunnel, add, uptime)
        essids = [ssid.encode("utf-8") for ssid in estate.scale.ssids]
        for ap in list(estate.aps):
            yield from batch.add("aps", fill_ap, ap, add, ap.up)
            yield from batch.add("interfaces", fill_ap_eth, ap, add)
            for radio in ap.radios:
                yield from batch.add("radios", fill_radio, ap, radio, add, ap.up)
                for index, essid in enumerate(essids):
                    yield from batch.add(
                        "vaps", fill_vap, ap, radio, index, essid=essid, action=add
                    )
        for client in list(estate.clients.values()):
            yield from batch.add("wireless_clients", fill_wireless_client, client, add)
        for wired in list(estate.wired_clients):
            yield from batch.add("wired_clients", fill_wired_client, wired, add)
        yield from batch.flush()

    def tick(self) -> Iterator[Message]:
        yield from self.pending()
        yield from self.stats()

    def stats(self) -> Iterator[Message]:
        """One round of statistics for every device, port, radio, VAP, tunnel and client."""
        world = self.world
        estate = world.estate
        now = world.clock.now()
        batch = self._batcher(now)
        for gateway in list(estate.gateways):
            if gateway.up:
                yield from self._gateway_stats(batch, gateway, now)
        for switch in list(estate.switches):
            if switch.up:
                yield from self._switch_stats(batch, switch, now)
        for site in list(estate.sites):
            yield from self._tunnel_stats(batch, site, now)
        for ap in list(estate.aps):
            if ap.up:
                yield from self._ap_stats(batch, ap, now)
        ts = int(now)
        counters = world.counters
        rng = self.rng
        for client in list(estate.clients.values()):
            if not client.ap.up:
                continue
            tx, rx, rx_retries, tx_retries = counters.read(
                client.mac, "client", _CLIENT_RATES, now, now - client.since
            )
            base = stable_fraction(client.mac)
            values = {
                "device_id": client.ap.serial,
                "timestamp": ts,
                "tx_bytes": tx,
                "rx_bytes": rx,
                "rx_retries": rx_retries % 2**32,
                "tx_retries": tx_retries % 2**32,
                "speed": int(client.maxspeed * (0.3 + 0.6 * base) * rng.uniform(0.9, 1.0)),
                "signal_in_db": int(45 + 30 * base + rng.uniform(-3, 3)),
                "snr": int(_clamp(50 - 30 * base + rng.uniform(-3, 3), 5, 60)),
            }
            yield from batch.add("client_stats", fill_stats, values, {"macaddr": client.mac}, {})
        yield from batch.flush()

    # -- stats per device -------------------------------------------------------------

    def _device_stats(
        self, device: AccessPoint | Switch | Gateway, now: float, extra: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self.rng
        base = stable_fraction(device.serial)
        mem_total = {AccessPoint: 1 << 30, Switch: 8 << 30, Gateway: 4 << 30}[type(device)]
        mem_util = int(_clamp(30 + 40 * base + rng.uniform(-3, 3), 5, 95))
        values: dict[str, Any] = {
            "device_id": device.serial,
            "timestamp": int(now),
            "uptime": max(0, int(now - device.boot_time)),
            "cpu_utilization": int(_clamp(10 + 45 * base + rng.gauss(0, 8), 5, 90)),
            "mem_total": mem_total,
            "mem_free": mem_total * (100 - mem_util) // 100,
            "mem_utilization": mem_util,
            "temperature": int(38 + 15 * base + rng.uniform(-1, 1)),
        }
        values.update(extra)
        return values

    def _ap_stats(
        self, batch: Batcher[mon.MonitoringInformation], ap: AccessPoint, now: float
    ) -> Iterator[mon.MonitoringInformation]:
        world = self.world
        rng = self.rng
        ts = int(now)
        age = now - ap.boot_time
        counters = world.counters
        traffic = _DeviceTraffic(batch, counters, ap.serial, now, age)
        power = int(12 + 10 * stable_fraction(ap.serial, "power") + rng.uniform(-1, 1))
        yield from batch.add(
            "device_stats",
            fill_stats,
            self._device_stats(ap, now, {"power_consumption": power}),
            {},
            {},
        )
        for radio in ap.radios:
            tx, rx, drops, bad = counters.read(
                ap.serial, ("radio", radio.index), _RADIO_RATES, now, age
            )
            busy = stable_fraction(ap.serial, radio.index)
            values = {
                "device_id": ap.serial,
                "timestamp": ts,
                "tx_bytes": tx,
                "rx_bytes": rx,
                "tx_drops": drops % 2**32,
                "tx_power": radio.tx_power,
                "noise_floor": radio.noise_floor + rng.choice((-1, 0, 0, 1)),
                "utilization": int(_clamp(10 + 50 * busy + rng.gauss(0, 6), 1, 99)),
                "rx_bad": bad,
            }
            yield from batch.add("radio_stats", fill_stats, values, {"macaddr": radio.mac}, {})
            for index, ssid in enumerate(world.estate.scale.ssids):
                yield from traffic.stats(
                    "vap_stats",
                    ("vap", radio.index, index),
                    _VAP_RATES,
                    {"network": ssid.encode("utf-8")},
                    {"radio_mac": radio.mac},
                )
        eth = Port(ap.serial, "eth0", 0, ap.mac, 4, 1, False, True)
        yield from self._port_stats(batch, eth, now, age)
        for index, ssid in enumerate(world.estate.scale.ssids):
            labels = {"essid": ssid.encode("utf-8")}
            yield from traffic.stats("ssid_stats", ("ssid", index), _SSID_RATES, labels)
        for role in sorted({client.role for client in ap.clients.values()}):
            yield from traffic.stats("role_stats", ("role", role), _ROLE_RATES, {"user_role": role})

    def _port_stats(
        self, batch: Batcher[mon.MonitoringInformation], port: Port, now: float, age: float
    ) -> Iterator[mon.MonitoringInformation]:
        counts = self.world.counters.read(
            port.device_serial, ("port", port.name), _PORT_RATES, now, age
        )
        tx, rx, in_uni, in_multi, in_broad, out_uni, out_multi, out_broad = counts[:8]
        values: dict[str, Any] = {
            "device_id": port.device_serial,
            "timestamp": int(now),
            "tx_bytes": tx,
            "rx_bytes": rx,
            "in_packets": in_uni + in_multi + in_broad,
            "out_packets": out_uni + out_multi + out_broad,
            "in_unicast_pkt": in_uni,
            "in_multicast_pkt": in_multi,
            "in_broadcast_pkt": in_broad,
            "out_unicast_pkt": out_uni,
            "out_multicast_pkt": out_multi,
            "out_broadcast_pkt": out_broad,
        }
        for name, value in zip(_PORT_ERRORS, counts[8:], strict=True):
            values[name] = value % 2**32 if name in _U32_PORT_FIELDS else value
        if port.poe and port.neighbour is not None:
            values["power_consumption"] = int(9 + 8 * stable_fraction(port.neighbour))
        yield from batch.add("interface_stats", fill_stats, values, {"macaddr": port.mac}, {})

    def _switch_stats(
        self, batch: Batcher[mon.MonitoringInformation], switch: Switch, now: float
    ) -> Iterator[mon.MonitoringInformation]:
        rng = self.rng
        poe = sum(
            int(9 + 8 * stable_fraction(p.neighbour)) for p in switch.ports if p.neighbour and p.up
        )
        budget = 370 if len(switch.ports) <= 28 else 740
        extra = {
            "power_consumption": 45 + poe,
            "fan_speed": int(3200 + 1500 * stable_fraction(switch.serial) + rng.uniform(-50, 50)),
            "fan_status": mon.UP,
            "max_power": budget + 60,
            "poe_consumption": poe,
            "poe_budget": budget,
        }
        yield from batch.add(
            "device_stats", fill_stats, self._device_stats(switch, now, extra), {}, {}
        )
        age = now - switch.boot_time
        for port in switch.ports:
            if port.up:
                yield from self._port_stats(batch, port, now, age)

    def _gateway_stats(
        self, batch: Batcher[mon.MonitoringInformation], gateway: Gateway, now: float
    ) -> Iterator[mon.MonitoringInformation]:
        rng = self.rng
        counters = self.world.counters
        ts = int(now)
        age = now - gateway.boot_time
        extra = {
            "power_consumption": int(22 + 10 * stable_fraction(gateway.serial)),
            "fan_speed": int(4000 + 800 * stable_fraction(gateway.serial, "fan")),
            "fan_status": mon.UP,
        }
        yield from batch.add(
            "device_stats", fill_stats, self._device_stats(gateway, now, extra), {}, {}
        )
        for port in gateway.ports:
            yield from self._port_stats(batch, port, now, age)
        for uplink, tunnel in zip(gateway.uplinks, gateway.tunnels, strict=True):
            link = uplink.link_index
            tx, rx, ttx, trx = counters.read(
                gateway.serial, ("uplink", link), _UPLINK_RATES, now, age
            )
            values: dict[str, Any] = {
                "device_id": gateway.serial,
                "link_id": link,
                "timestamp": ts,
                "tx_bytes": tx,
                "rx_bytes": rx,
                "tunnel_tx_bytes": ttx,
                "tunnel_rx_bytes": trx,
                "map_id": tunnel.tunnel_id,
                "map_name": tunnel.name,
            }
            yield from batch.add("uplink_stats", fill_stats, values, {}, {})
            compressed, uncompressed = counters.read(
                gateway.serial, ("wan", link), _WAN_RATES, now, age
            )
            uncompressed = max(uncompressed, compressed)
            values = {
                "device_id": gateway.serial,
                "link_id": link,
                "timestamp": ts,
                "compressed_bytes": compressed,
                "uncompressed_bytes": uncompressed,
                "savings_bytes": uncompressed - compressed,
            }
            yield from batch.add("uplink_wan_stats", fill_stats, values, {}, {})
            yield from batch.add(
                "uplink_probe_stats", fill_stats, self._probe(gateway, link, uplink.vlan, ts), {},
                {"ip_address": uplink.public_ip},
            )  # fmt: skip
            up_bps = int(
                (100 + 400 * stable_fraction(gateway.serial, link)) * 1e6 * rng.uniform(0.9, 1.0)
            )
            values = {
                "device_id": gateway.serial,
                "vlan": uplink.vlan,
                "protocol": "TCP",
                "upstream_bps": up_bps,
                "downstream_bps": int(up_bps * rng.uniform(1.5, 3.0)),
                "time_secs": 10,
                "upstream_jitter": round(rng.uniform(0.2, 3.0), 2),
                "downstream_jitter": round(rng.uniform(0.2, 3.0), 2),
            }
            yield from batch.add(
                "uplink_speedtest", fill_stats, values, {}, {"server_ip": _SPEEDTEST_SERVER}
            )
            values = {
                "device_id": gateway.serial,
                "tunnel_index": enum(tunnel.index),
                "probe_status": 1,
                "ip_probe_pkt_loss_pct": rng.choice((0, 0, 0, 1)),
                "tunnel_name": tunnel.name,
                "tunnel_id": tunnel.tunnel_id,
            }
            yield from batch.add(
                "ipprobe_stats", fill_stats, values, {}, {"probe_ip_addr": tunnel.peer_ip}
            )
        traffic = _DeviceTraffic(batch, counters, gateway.serial, now, age)
        for vlan in gateway.vlans:
            yield from traffic.stats("vlan_stats", ("vlan", vlan), _VLAN_RATES, {"vlan": vlan})
        roles = sorted(
            {c.role for ap in gateway.site.aps for c in ap.clients.values()} | {"wired-employee"}
        )
        for role in roles:
            yield from traffic.stats("role_stats", ("role", role), _ROLE_RATES, {"user_role": role})
        if gateway.modem:
            yield from traffic.stats("modem_stats", "modem", _MODEM_RATES, {})

    def _probe(self, gateway: Gateway, link: int, vlan: int, ts: int) -> dict[str, Any]:
        rng = self.rng
        rtt = (8 + 30 * stable_fraction(gateway.serial, link, "rtt")) * rng.uniform(0.85, 1.15)
        jitter = (0.5 + 4 * stable_fraction(gateway.serial, link, "jitter")) * rng.uniform(0.7, 1.3)
        mos = _clamp(4.4 - rtt / 100 - jitter / 20, 1.0, 4.5)
        floats = {
            "avg_rtt": rtt,
            "max_rtt": rtt * rng.uniform(1.2, 1.8),
            "min_rtt": rtt * rng.uniform(0.5, 0.9),
            "avg_jitter": jitter,
            "max_jitter": jitter * rng.uniform(1.3, 2.0),
            "min_jitter": jitter * rng.uniform(0.2, 0.8),
            "mos_quality": mos,
            "sd_avg_latency": rtt / 2 * rng.uniform(0.9, 1.1),
            "ds_avg_latency": rtt / 2 * rng.uniform(0.9, 1.1),
            "sd_avg_jitter": jitter * rng.uniform(0.8, 1.2),
            "ds_avg_jitter": jitter * rng.uniform(0.8, 1.2),
        }
        values: dict[str, Any] = {
            "device_id": gateway.serial,
            "link_id": link,
            "timestamp": ts,
            "vlan": vlan,
            "probe_status": 1,
            "loss_pct": rng.choice((0, 0, 0, 1)),
            "vpnc_ip_addr": _ip_int(gateway.tunnels[0].peer_ip),
            "probe_ip_addr": _PROBE_TARGET,
        }
        for name, value in floats.items():
            values[name] = round(value)
            values[f"{name}_float"] = round(value, 2)
        return values

    def _tunnel_stats(
        self, batch: Batcher[mon.MonitoringInformation], site: Site, now: float
    ) -> Iterator[mon.MonitoringInformation]:
        if not site.gateways:
            return
        age = now - min(gw.boot_time for gw in site.gateways)
        for tunnel in site.tunnels:
            tx, rx = self.world.counters.read(
                site.swarm_id, ("tunnel", tunnel.tunnel_id), _TUNNEL_RATES, now, age
            )
            values = {
                "swarm_id": site.swarm_id,
                "index": enum(tunnel.index),
                "timestamp": int(now),
                "tx_bytes": tx,
                "rx_bytes": rx,
                "tunnel_id": tunnel.tunnel_id,
                "tunnel_name": f"{site.slug}-{tunnel.peer_name}",
            }
            yield from batch.add("tunnel_stats", fill_stats, values, {}, {})


class _Station(NamedTuple):
    mac: bytes
    radio_mac: bytes
    rssi: int
    noise_floor: int
    associated: bool


class PresenceStream(TopicStream):
    """Per AP and tick: the stations it hears (proximity), sometimes RSSI and client states."""

    topic = Topic.PRESENCE

    def _event(self, kind: int, now_ms: int) -> presence_pb2.presence_event:
        return presence_pb2.presence_event(
            timestamp=now_ms, customer_id=self.customer_id, event="presence", event_type=enum(kind)
        )

    def tick(self) -> Iterator[Message]:
        world = self.world
        rng = self.rng
        profile = world.profile
        now_ms = int(world.clock.now() * 1000)
        kinds = presence_pb2.presence_event
        for ap in list(world.estate.aps):
            if not ap.up:
                continue
            heard = self._heard(ap)
            batch = Batcher(
                lambda: self._event(kinds.proximity, now_ms), self.budget, first_use_cost=4
            )
            for station in heard:
                yield from batch.add("pa_proximity_event.proximity", _fill_proximity, ap, station)
            yield from batch.flush()
            if rng.random() < profile.presence_rssi:
                batch = Batcher(
                    lambda: self._event(kinds.rssi, now_ms), self.budget, first_use_cost=4
                )
                for station in heard:
                    age = rng.randint(0, 30)
                    yield from batch.add("pa_rssi_event.rssi", _fill_rssi, ap, station, age)
                yield from batch.flush()
            if rng.random() < profile.presence_client_state:
                batch = Batcher(
                    lambda: self._event(kinds.client_state, now_ms), self.budget, first_use_cost=4
                )
                for station in heard:
                    associated = station.associated
                    state = rng.choice((0, 1, 1, 2)) if associated else 0
                    yield from batch.add(
                        "pa_client_state.presence_client_state",
                        _fill_client_state,
                        state,
                        associated,
                    )
                yield from batch.flush()

    def _heard(self, ap: AccessPoint) -> list[_Station]:
        """Every station the AP hears: its clients and a few passers-by."""
        rng = self.rng
        stations = []
        for client in list(ap.clients.values()):
            distance = math.hypot(client.x - ap.x, client.y - ap.y)
            rssi = int(_clamp(-38 - 0.6 * distance + rng.gauss(0, 3), -92, -30))
            stations.append(
                _Station(client.mac, client.radio.mac, rssi, client.radio.noise_floor, True)
            )
        passersby = ap.site.passersby
        for mac in rng.sample(passersby, k=min(len(passersby), rng.randint(1, 3))):
            radio = rng.choice(ap.radios)
            stations.append(
                _Station(mac, radio.mac, rng.randint(-90, -65), radio.noise_floor, False)
            )
        return stations


def _fill_proximity(m: presence_pb2.proximity, ap: AccessPoint, station: _Station) -> None:
    m.device_id = ap.serial
    m.sta_eth_mac.addr = _presence_mac(station.mac)
    m.radio_mac.addr = _presence_mac(station.radio_mac)
    m.rssi_val = station.rssi
    m.noise_floor = station.noise_floor
    m.associated = station.associated
    m.ap_eth_mac.addr = _presence_mac(ap.mac)


def _fill_rssi(m: presence_pb2.rssi, ap: AccessPoint, station: _Station, age: int) -> None:
    m.sta_eth_mac.addr = _presence_mac(station.mac)
    m.radio_mac.addr = _presence_mac(station.radio_mac)
    m.rssi_val = station.rssi
    m.noise_floor = station.noise_floor
    m.associated = station.associated
    m.is_ap = False
    m.age = age
    m.device_id = ap.serial
    m.ap_eth_mac.addr = _presence_mac(ap.mac)


def _fill_client_state(m: presence_pb2.presence_client_state, state: int, associated: bool) -> None:
    m.is_label = False
    m.state = enum(state)
    m.is_associated = associated


class SecurityStream(TopicStream):
    """Rogue APs and IDS detections, per site with the profile's `security` probability."""

    topic = Topic.SECURITY

    def __init__(self, world: World, rng: random.Random, budget: int) -> None:
        super().__init__(world, rng, budget)
        self._event_number = 0
        self._first_seen: dict[bytes, str] = {}

    def tick(self) -> Iterator[Message]:
        world = self.world
        rng = self.rng
        stamp = datetime.fromtimestamp(world.clock.now(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for site in list(world.estate.sites):
            detectors = [ap for ap in site.aps if ap.up]
            if not detectors or not site.rogues or rng.random() >= world.profile.security:
                continue
            batch = Batcher(
                lambda: security_pb2.RapidsStreamingEvent(cust_id=self.customer_id), self.budget
            )
            for rogue in rng.sample(site.rogues, k=rng.randint(1, len(site.rogues))):
                first = self._first_seen.setdefault(rogue.bssid, stamp)
                values = {
                    "classification": 1,
                    "first_seen": first,
                    "last_seen": stamp,
                    "rogue_name": f"{rogue.vendor}_{rogue.bssid[3:].hex()}",
                    "ssid": rogue.ssid,
                    "lan_mac": (rogue.bssid[:5] + bytes([(rogue.bssid[5] + 1) % 256])).hex(":"),
                    "first_det_device": detectors[0].serial,
                    "last_det_device": rng.choice(detectors).serial,
                    "encryption": rogue.encryption,
                    "containment_status": "not contained",
                    "mac_vendor": rogue.vendor,
                }
                yield from batch.add("rogue", fill_stats, values, {"rogue_id": rogue.bssid}, {})
            if rng.random() < 0.7:
                ap = rng.choice(detectors)
                event_type, attack, description, level = rng.choice(_IDS_KINDS)
                target = (
                    rng.choice(list(ap.clients)) if ap.clients else rng.choice(site.rogues).bssid
                )
                radio = rng.choice(ap.radios)
                self._event_number += 1
                values = {
                    "device_id": ap.serial,
                    "event_number": self._event_number,
                    "event_type": event_type,
                    "attack_type": attack,
                    "description": description,
                    "detected_ap": ap.name,
                    "radio_band": BAND_NAMES[radio.band],
                    "level": level,
                }
                yield from batch.add("idsEvent", fill_stats, values, {"mac_addr": target}, {})
            yield from batch.flush()


class LocationStream(TopicStream):
    """Client positions (``stream_location``) and zone crossings (``stream_geofence_notify``)."""

    topic = Topic.LOCATION

    def tick(self) -> Iterator[Message]:
        world = self.world
        rng = self.rng
        now = world.clock.now()
        clients = list(world.estate.clients.values())
        if clients:
            count = max(1, round(len(clients) * world.profile.location_fraction))
            for client in rng.sample(clients, k=min(count, len(clients))):
                site = client.ap.site
                client.x = round(_clamp(client.x + rng.gauss(0, 2.5), 0, site.width), 1)
                client.y = round(_clamp(client.y + rng.gauss(0, 2.5), 0, site.height), 1)
                yield self._location(client, now)
        for site in list(world.estate.sites):
            if not site.zones or rng.random() >= world.profile.geofence:
                continue
            candidates = [c for ap in site.aps for c in ap.clients.values()]
            if candidates:
                yield self._geofence(rng.choice(candidates), now)

    def _location(self, client: Client, now: float) -> location_pb2.stream_location:
        rng = self.rng
        site = client.ap.site
        message = location_pb2.stream_location(
            sta_location_x=client.x,
            sta_location_y=client.y,
            error_level=rng.randint(5, 25),
            hashed_sta_eth_mac=hashlib.sha1(client.mac).hexdigest().upper(),
            loc_algorithm=location_pb2.ALGORITHM_TRIANGULATION,
            unit=location_pb2.FEET,
            campus_id_string=site.campus_id,
            building_id_string=site.building_id,
            floor_id_string=site.floor_id,
            target_type=location_pb2.TARGET_TYPE_STATION,
            associated=True,
            err_code=location_pb2.ERROR_CODE_NO_ERROR,
        )
        message.sta_eth_mac.addr = client.mac
        if client.zone is not None:
            message.geofence_ids.append(client.zone.zone_id.hex())
        nearby = sorted(site.aps, key=lambda ap: math.hypot(ap.x - client.x, ap.y - client.y))[:3]
        for ap in nearby:
            if not ap.up:
                continue
            radio = next((r for r in ap.radios if r.band == client.radio.band), ap.radios[0])
            distance = math.hypot(ap.x - client.x, ap.y - client.y)
            record = message.records.add(
                timestamp=int(now) - rng.randint(0, 5),
                rssi_val=int(_clamp(-38 - 0.6 * distance + rng.gauss(0, 3), -95, -30)),
                channel=int(radio.channel),
            )
            record.radio_mac.addr = radio.mac
        return message

    def _geofence(self, client: Client, now: float) -> location_pb2.stream_geofence_notify:
        site = client.ap.site
        message = location_pb2.stream_geofence_notify(
            associated=True, hashed_sta_eth_mac=hashlib.sha1(client.mac).hexdigest().upper()
        )
        message.sta_eth_mac.addr = client.mac
        if client.zone is None:
            zone = self.rng.choice(site.zones)
            client.zone, client.zone_since = zone, now
            client.x = round(self.rng.uniform(zone.x0, zone.x1), 1)
            client.y = round(self.rng.uniform(zone.y0, zone.y1), 1)
            message.geofence_event = location_pb2.ZONE_IN
            message.dwell_time = 0
        else:
            zone = client.zone
            message.geofence_event = location_pb2.ZONE_OUT
            message.dwell_time = max(0, int(now - client.zone_since))
            client.zone = None
        message.geofence_id = zone.zone_id
        message.geofence_name = zone.name
        return message


class ApprfStream(TopicStream):
    """Per AP and tick: its clients' application sessions and visited URLs."""

    topic = Topic.APPRF

    def tick(self) -> Iterator[Message]:
        world = self.world
        rng = self.rng
        now = int(world.clock.now())
        duration = max(1, round(world.interval * world.clock.time_scale))
        for ap in list(world.estate.aps):
            if not ap.up or not ap.clients:
                continue
            clients = list(ap.clients.values())
            count = max(1, round(len(clients) * world.profile.apprf_fraction))

            def session(ap: AccessPoint = ap) -> apprf_pb2.apprf_session:
                return apprf_pb2.apprf_session(
                    customer_id=self.customer_id,
                    timestamp=now,
                    serial_number=ap.serial,
                    ap_name=ap.name,
                    session_duration=duration,
                )

            batch = Batcher(session, self.budget)
            for client in rng.sample(clients, k=min(count, len(clients))):
                for app in rng.sample(_APPS, k=rng.randint(1, 3)):
                    dest = self._destination(client, app[0])
                    yield from batch.add(
                        "client_firewall_session", self._fill_session, client, app, dest, now
                    )
                    domain = app[6]
                    if domain and rng.random() < 0.5:
                        yield from batch.add(
                            "url_detail_record", self._fill_url, client, domain, dest, now
                        )
            yield from batch.flush()

    def _destination(self, client: Client, app_id: int) -> bytes:
        if len(client.ip) == 16:
            return ipaddress.IPv6Address(f"2001:db8:ffff::{app_id:x}").packed
        return bytes([203, 0, 113, app_id % 250 + 1])

    def _fill_session(
        self,
        m: apprf_pb2.client_firewall_session,
        client: Client,
        app: tuple[Any, ...],
        dest: bytes,
        now: int,
    ) -> None:
        rng = self.rng
        app_id, name, cat_id, cat, web_id, web, domain, proto, port = app
        _fill_flow_ends(m, client, dest)
        m.ingress_type = apprf_pb2.client_firewall_session.INGRESS_WLAN
        m.ip_proto = proto
        m.vlan = str(client.vlan)
        m.app_id, m.app_name, m.app_cat_id, m.app_cat = app_id, name, cat_id, cat
        if web:
            m.web_cat_id, m.web_cat = web_id, web
            m.web_rep_score = rng.randint(81, 100)
            m.web_rep = "Trustworthy"
        if domain:
            m.domain = domain
            m.dest_url_prefix = f"{domain}/"
        m.session_flags = apprf_pb2.client_firewall_session.ENF_PERMIT
        tx = int(rng.lognormvariate(10, 1.5))
        m.tx_bytes, m.rx_bytes = tx, int(tx * rng.uniform(2, 20))
        c2s, s2c = rng.randint(2, 30), rng.randint(5, 60)
        m.rtt, m.c2s_rtt, m.s2c_rtt = c2s + s2c, c2s, s2c
        m.packet_loss = m.c2s_packet_loss = m.s2c_packet_loss = 0
        m.ssid = client.ssid
        if client.username:
            m.user_name = client.username
        m.user_role = client.role
        m.device_type = client.os_type
        m.timestamp = now - rng.randint(0, 60)
        m.preauth_flag = False
        m.dest_port = port

    def _fill_url(
        self, m: apprf_pb2.url_detail_record, client: Client, domain: str, dest: bytes, now: int
    ) -> None:
        rng = self.rng
        _fill_flow_ends(m, client, dest)
        m.dest_url_prefix = (
            f"{domain}/{rng.choice(('', 'api/v1/', 'watch', 'mail/', 'login'))}".encode()
        )
        m.hit_count = rng.randint(1, 40)
        m.http_method = enum(rng.choice((2, 2, 2, 4)))
        m.last_hit_timestamp = now - rng.randint(0, 60)


def _fill_flow_ends(
    m: apprf_pb2.client_firewall_session | apprf_pb2.url_detail_record, client: Client, dest: bytes
) -> None:
    """The client's IP and MAC and the destination's IP of an AppRF record."""
    m.client_ip.af = _APPRF_AF[len(client.ip)]
    m.client_ip.addr = client.ip
    m.client_mac.addr = client.mac
    m.dest_ip.af = _APPRF_AF[len(dest)]
    m.dest_ip.addr = dest


class AuditStream(TopicStream):
    """Configuration, firmware and device-management audit records, at a low rate."""

    topic = Topic.AUDIT

    def tick(self) -> Iterator[Message]:
        world = self.world
        rng = self.rng
        if not world.estate.aps or rng.random() >= world.profile.audit:
            return
        ap = rng.choice(world.estate.aps)
        site = ap.site
        service = rng.choice((audit_pb2.CONFIGURATION, audit_pb2.FIRMWARE, audit_pb2.DEVICE_MGMT))
        message = audit_pb2.audit_message(
            customer_id=self.customer_id,
            timestamp=int(world.clock.now()),
            service=service,
            group_name=f"{site.slug}-group",
            target=site.swarm_id if service == audit_pb2.CONFIGURATION else ap.serial,
            username=rng.choice(
                ("admin@example.com", "netops@example.com", "ana.smith@example.com")
            ),
        )
        if rng.random() < 0.2:
            message.client_ip.af = audit_pb2.ip_address.ADDR_FAMILY_INET6
            message.client_ip.addr = ipaddress.IPv6Address(
                f"2001:db8:aaaa::{rng.randint(1, 200):x}"
            ).packed
        else:
            message.client_ip.af = audit_pb2.ip_address.ADDR_FAMILY_INET
            message.client_ip.addr = bytes([198, 51, 100, rng.randint(1, 254)])
        ssid = rng.choice(world.estate.scale.ssids)
        if service == audit_pb2.CONFIGURATION:
            message.config_info.data = f"Group {site.slug}-group: WLAN '{ssid}' modified"
            message.config_info.detailed_data = f"wlan ssid-profile {ssid}: dtim-period 1 -> 2"
        elif service == audit_pb2.FIRMWARE:
            message.firmware_info.data = f"Firmware upgrade of {ap.name} to {ap.firmware} scheduled"
            message.firmware_info.detailed_data = f"serial {ap.serial}, reboot after upgrade"
        else:
            message.dm_info.data = f"Device {ap.name} ({ap.serial}) rebooted from Central"
        yield message


STREAMS: dict[Topic, type[TopicStream]] = {
    Topic.MONITORING: MonitoringStream,
    Topic.PRESENCE: PresenceStream,
    Topic.SECURITY: SecurityStream,
    Topic.LOCATION: LocationStream,
    Topic.APPRF: ApprfStream,
    Topic.AUDIT: AuditStream,
}


def make_stream(topic: Topic, world: World, rng: random.Random, budget: int) -> TopicStream:
    return STREAMS[topic](world, rng, budget)
