"""The metric catalogue: one frozen entry per metric, the only place names live.

Each `MetricSpec` reads one entity class of the store (`source`) and yields one
or more series per entity (`series`: e.g. transmit and receive). Names follow
OpenTelemetry semantic conventions where they exist (`system.*` for device OS
stats and interfaces) and an `aruba.*` namespace where none exists (radios,
clients, tunnels, uplinks, presence). Units are UCUM; utilisations are fractions
with unit `1`; no `_total` suffix (Prometheus exporters add it).

Counters reported by devices are cumulative; the store compensates resets
(device reboots) so exported counters stay monotonic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from central_otel.catalog.attributes import (
    CONTEXT_NAMES,
    AttributeLookup,
    Attributes,
    device_name,
    radio_band,
)
from central_otel.normalize import essid_text
from central_otel.proto import monitoring_pb2


class Instrument(StrEnum):
    GAUGE = "gauge"
    COUNTER = "counter"  # monotonic cumulative sum
    UPDOWN = "updowncounter"  # non-monotonic sum (counts, status, usage)


ValueFn = Callable[[Any], float | None]


@dataclass(frozen=True, slots=True)
class Series:
    """One data point per entity: a value and the attributes that set it apart.

    The value is either a plain field (`field`, present or not: proto2 presence,
    times `scale`) or `compute`d from the message; the plain form is declarative so
    that an encoder can read the field inline.
    """

    attributes: Mapping[str, str]
    source_field: str  # for the docs
    field: str | None = None
    scale: float = 1.0
    compute: ValueFn | None = None
    counter_field: str | None = None  # the proto field whose resets the store tracks

    def value(self, msg: Any) -> float | None:
        """The series' value for `msg` (None: no point), before counter-reset offsets."""
        if self.compute is not None:
            return self.compute(msg)
        assert self.field is not None
        return getattr(msg, self.field) * self.scale if msg.HasField(self.field) else None


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    instrument: Instrument
    unit: str
    description: str
    source: str  # entity class in the store (see central_otel.state.entities)
    message: str  # proto message, for the docs
    series: tuple[Series, ...]
    per_client: bool = False  # only with metrics.per_client: true (one series per client)

    @property
    def fields(self) -> str:
        return ", ".join(dict.fromkeys(s.source_field for s in self.series if s.source_field))


_NO_ATTRIBUTES: Mapping[str, str] = MappingProxyType({})


def _frozen(attrs: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(attrs)) if attrs else _NO_ATTRIBUTES


def gauge_field(name: str, scale: float = 1.0, *, attrs: Mapping[str, str] | None = None) -> Series:
    return Series(_frozen(attrs), name, field=name, scale=scale)


def counter_field(name: str, attrs: Mapping[str, str] | None = None) -> Series:
    return Series(_frozen(attrs), name, field=name, counter_field=name)


def computed(value: ValueFn, source_field: str, attrs: Mapping[str, str] | None = None) -> Series:
    return Series(_frozen(attrs), source_field, compute=value)


def io(tx: str, rx: str) -> tuple[Series, ...]:
    """A transmit/receive counter pair, distinguished by `network.io.direction`."""
    return (
        counter_field(tx, {"network.io.direction": "transmit"}),
        counter_field(rx, {"network.io.direction": "receive"}),
    )


def state_series(field_name: str, attribute: str, states: Mapping[str, int]) -> tuple[Series, ...]:
    """The semconv status-metric pattern: one series per state, 1 for the current one."""

    def is_state(number: int) -> ValueFn:
        def value(m: Any) -> float | None:
            if not m.HasField(field_name):
                return None
            return 1.0 if getattr(m, field_name) == number else 0.0

        return value

    return tuple(
        computed(is_state(number), field_name, {attribute: name}) for name, number in states.items()
    )


def _memory_used(m: Any) -> float | None:
    if m.HasField("mem_total") and m.HasField("mem_free"):
        return float(max(0, m.mem_total - m.mem_free))
    return None


def _attr(name: str, scale: float = 1.0) -> ValueFn:
    """A plain attribute of a non-protobuf summary (presence)."""
    return lambda m: getattr(m, name) * scale


UP_DOWN = {"up": monitoring_pb2.UP, "down": monitoring_pb2.DOWN}
DEVICE = "device identity"

METRICS: tuple[MetricSpec, ...] = (
    # -- device OS stats (DeviceStats) ------------------------------------------
    MetricSpec(
        "system.cpu.utilization", Instrument.GAUGE, "1",
        "CPU utilisation of the device, as a fraction.",
        "device_stats", "DeviceStats", (gauge_field("cpu_utilization", 0.01),),
    ),
    MetricSpec(
        "system.memory.usage", Instrument.UPDOWN, "By",
        "Memory in use and free on the device.",
        "device_stats", "DeviceStats",
        (
            computed(_memory_used, "mem_total - mem_free", {"system.memory.state": "used"}),
            gauge_field("mem_free", attrs={"system.memory.state": "free"}),
        ),
    ),
    MetricSpec(
        "system.memory.limit", Instrument.UPDOWN, "By", "Total memory of the device.",
        "device_stats", "DeviceStats", (gauge_field("mem_total"),),
    ),
    MetricSpec(
        "system.memory.utilization", Instrument.GAUGE, "1", "Memory utilisation of the device, as a fraction.",
        "device_stats", "DeviceStats", (gauge_field("mem_utilization", 0.01),),
    ),
    MetricSpec(
        "system.uptime", Instrument.GAUGE, "s", "Time since the device booted.",
        "device_stats", "DeviceStats", (gauge_field("uptime"),),
    ),
    MetricSpec(
        "aruba.device.power", Instrument.GAUGE, "W", "Power the device draws.",
        "device_stats", "DeviceStats", (gauge_field("power_consumption"),),
    ),
    MetricSpec(
        "aruba.device.power.limit", Instrument.GAUGE, "W", "Maximum power the device may draw.",
        "device_stats", "DeviceStats", (gauge_field("max_power"),),
    ),
    MetricSpec(
        "aruba.device.temperature", Instrument.GAUGE, "Cel", "Temperature reported by the device.",
        "device_stats", "DeviceStats", (gauge_field("temperature"),),
    ),
    MetricSpec(
        "aruba.device.fan.speed", Instrument.GAUGE, "{rpm}", "Fan speed reported by the device.",
        "device_stats", "DeviceStats", (gauge_field("fan_speed"),),
    ),
    MetricSpec(
        "aruba.poe.usage", Instrument.GAUGE, "W", "Power over Ethernet delivered by the device.",
        "device_stats", "DeviceStats", (gauge_field("poe_consumption"),),
    ),
    MetricSpec(
        "aruba.poe.limit", Instrument.GAUGE, "W", "Power over Ethernet budget of the device.",
        "device_stats", "DeviceStats", (gauge_field("poe_budget"),),
    ),
    # -- device state (Ap, Switch, MobilityController) ---------------------------
    MetricSpec(
        "aruba.device.status", Instrument.UPDOWN, "1",
        "Device status: 1 for the current `aruba.device.state` (up or down), 0 for the other.",
        "device", "Ap, Switch, MobilityController",
        state_series("status", "aruba.device.state", UP_DOWN),
    ),
    # -- radios (RadioStats) -------------------------------------------------------
    MetricSpec(
        "aruba.radio.io", Instrument.COUNTER, "By", "Bytes sent and received by the radio.",
        "radio_stats", "RadioStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.radio.packet.dropped", Instrument.COUNTER, "{packet}", "Frames the radio dropped on transmit.",
        "radio_stats", "RadioStats", (counter_field("tx_drops", {"network.io.direction": "transmit"}),),
    ),
    MetricSpec(
        "aruba.radio.errors", Instrument.COUNTER, "{packet}", "Bad frames the radio received.",
        "radio_stats", "RadioStats", (counter_field("rx_bad", {"network.io.direction": "receive"}),),
    ),
    MetricSpec(
        "aruba.radio.utilization", Instrument.GAUGE, "1", "Channel utilisation seen by the radio, as a fraction.",
        "radio_stats", "RadioStats", (gauge_field("utilization", 0.01),),
    ),
    MetricSpec(
        "aruba.radio.noise_floor", Instrument.GAUGE, "dBm",
        "Noise floor seen by the radio (Central sends its magnitude; exported negative).",
        "radio_stats", "RadioStats", (gauge_field("noise_floor", -1.0),),
    ),
    MetricSpec(
        "aruba.radio.tx_power", Instrument.GAUGE, "dBm", "Transmit power of the radio.",
        "radio_stats", "RadioStats", (gauge_field("tx_power"),),
    ),
    # -- interfaces (InterfaceStats, Interface) ------------------------------------
    MetricSpec(
        "system.network.io", Instrument.COUNTER, "By", "Bytes sent and received on the interface.",
        "interface_stats", "InterfaceStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "system.network.packet.count", Instrument.COUNTER, "{packet}", "Packets sent and received on the interface.",
        "interface_stats", "InterfaceStats", io("out_packets", "in_packets"),
    ),
    MetricSpec(
        "system.network.errors", Instrument.COUNTER, "{error}", "Errors on the interface.",
        "interface_stats", "InterfaceStats", io("out_errors", "in_errors"),
    ),
    MetricSpec(
        "system.network.packet.dropped", Instrument.COUNTER, "{packet}", "Packets discarded on the interface.",
        "interface_stats", "InterfaceStats", io("out_discards", "in_discards"),
    ),
    MetricSpec(
        "aruba.interface.power", Instrument.GAUGE, "W", "PoE power delivered on the port.",
        "interface_stats", "InterfaceStats", (gauge_field("power_consumption"),),
    ),
    MetricSpec(
        "aruba.interface.status", Instrument.UPDOWN, "1",
        "Operational status of the interface: 1 for the current `aruba.interface.state`.",
        "interface", "Interface", state_series("oper_state", "aruba.interface.state", UP_DOWN),
    ),
    # -- WLANs (VapStats, SsidStats) -----------------------------------------------
    MetricSpec(
        "aruba.vap.io", Instrument.COUNTER, "By", "Bytes sent and received on one SSID of one radio.",
        "vap_stats", "VapStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.ssid.io", Instrument.COUNTER, "By", "Bytes sent and received on an SSID of a device.",
        "ssid_stats", "SsidStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.role.io", Instrument.COUNTER, "By", "Bytes sent and received by clients of a user role.",
        "role_stats", "RoleStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.vlan.io", Instrument.COUNTER, "By", "Bytes sent and received on a VLAN of a device.",
        "vlan_stats", "VlanStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.modem.io", Instrument.COUNTER, "By", "Bytes sent and received through the cellular modem.",
        "modem_stats", "ModemStats", io("tx_bytes", "rx_bytes"),
    ),
    # -- per-client (ClientStats): opt-in ------------------------------------------
    MetricSpec(
        "aruba.client.io", Instrument.COUNTER, "By", "Bytes sent and received by one wireless client.",
        "client_stats", "ClientStats", io("tx_bytes", "rx_bytes"), per_client=True,
    ),
    MetricSpec(
        "aruba.client.retries", Instrument.COUNTER, "{packet}", "Frame retries of one wireless client.",
        "client_stats", "ClientStats", io("tx_retries", "rx_retries"), per_client=True,
    ),
    MetricSpec(
        "aruba.client.signal_strength", Instrument.GAUGE, "dBm",
        "Signal strength of one wireless client (Central sends its magnitude; exported negative).",
        "client_stats", "ClientStats", (gauge_field("signal_in_db", -1.0),), per_client=True,
    ),
    MetricSpec(
        "aruba.client.snr", Instrument.GAUGE, "dB", "Signal-to-noise ratio of one wireless client.",
        "client_stats", "ClientStats", (gauge_field("snr"),), per_client=True,
    ),
    MetricSpec(
        "aruba.client.link_speed", Instrument.GAUGE, "bit/s", "Link speed of one wireless client (Mbit/s on the wire).",
        "client_stats", "ClientStats", (gauge_field("speed", 1e6),), per_client=True,
    ),
    # -- tunnels (TunnelStats, TunnelIpProbeStats, Tunnel) --------------------------
    MetricSpec(
        "aruba.tunnel.io", Instrument.COUNTER, "By", "Bytes sent and received through the tunnel.",
        "tunnel_stats", "TunnelStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.tunnel.status", Instrument.UPDOWN, "1",
        "Tunnel status: 1 for the current `aruba.tunnel.state`.",
        "tunnel", "Tunnel", state_series("status", "aruba.tunnel.state", UP_DOWN),
    ),
    MetricSpec(
        "aruba.tunnel.probe.loss", Instrument.GAUGE, "1", "Packet loss of the tunnel's IP probe, as a fraction.",
        "ipprobe_stats", "TunnelIpProbeStats", (gauge_field("ip_probe_pkt_loss_pct", 0.01),),
    ),
    # -- uplinks (UplinkStats, UplinkWanStats, UplinkIpProbeStats, UplinkSpeedtest, Uplink)
    MetricSpec(
        "aruba.uplink.io", Instrument.COUNTER, "By", "Bytes sent and received on the WAN uplink.",
        "uplink_stats", "UplinkStats", io("tx_bytes", "rx_bytes"),
    ),
    MetricSpec(
        "aruba.uplink.tunnel.io", Instrument.COUNTER, "By", "Bytes the uplink carried inside tunnels.",
        "uplink_stats", "UplinkStats", io("tunnel_tx_bytes", "tunnel_rx_bytes"),
    ),
    MetricSpec(
        "aruba.uplink.wan.io", Instrument.COUNTER, "By",
        "WAN optimisation bytes by `aruba.wan.compression` (compressed, uncompressed, saved).",
        "uplink_wan_stats", "UplinkWanStats",
        (
            counter_field("compressed_bytes", {"aruba.wan.compression": "compressed"}),
            counter_field("uncompressed_bytes", {"aruba.wan.compression": "uncompressed"}),
            counter_field("savings_bytes", {"aruba.wan.compression": "saved"}),
        ),
    ),
    MetricSpec(
        "aruba.uplink.latency", Instrument.GAUGE, "s", "Average round-trip time of the uplink probe (ms on the wire).",
        "uplink_probe_stats", "UplinkIpProbeStats", (gauge_field("avg_rtt_float", 0.001),),
    ),
    MetricSpec(
        "aruba.uplink.jitter", Instrument.GAUGE, "s", "Average jitter of the uplink probe (ms on the wire).",
        "uplink_probe_stats", "UplinkIpProbeStats", (gauge_field("avg_jitter_float", 0.001),),
    ),
    MetricSpec(
        "aruba.uplink.loss", Instrument.GAUGE, "1", "Packet loss of the uplink probe, as a fraction.",
        "uplink_probe_stats", "UplinkIpProbeStats", (gauge_field("loss_pct", 0.01),),
    ),
    MetricSpec(
        "aruba.uplink.mos", Instrument.GAUGE, "1", "Mean opinion score (1-5) of the uplink probe.",
        "uplink_probe_stats", "UplinkIpProbeStats", (gauge_field("mos_quality_float"),),
    ),
    MetricSpec(
        "aruba.uplink.speedtest.bandwidth", Instrument.GAUGE, "bit/s", "Result of the last uplink speed test.",
        "uplink_speedtest", "UplinkSpeedtest",
        (
            gauge_field("upstream_bps", attrs={"network.io.direction": "transmit"}),
            gauge_field("downstream_bps", attrs={"network.io.direction": "receive"}),
        ),
    ),
    MetricSpec(
        "aruba.uplink.status", Instrument.UPDOWN, "1", "Uplink status: 1 for the current `aruba.uplink.state`.",
        "uplink", "Uplink", state_series("status", "aruba.uplink.state", UP_DOWN),
    ),
    # -- presence (aggregated per AP; never a station MAC) ---------------------------
    MetricSpec(
        "aruba.presence.station.count", Instrument.UPDOWN, "{station}",
        "Stations the AP heard in its last presence report, by `aruba.presence.associated`.",
        "presence_ap", "presence_event.pa_proximity_event",
        (
            computed(_attr("associated"), "proximity.associated", {"aruba.presence.associated": "true"}),
            computed(_attr("unassociated"), "proximity.associated", {"aruba.presence.associated": "false"}),
        ),
    ),
)  # fmt: skip


RawGroup = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class AggregateSpec:
    """A count of state entities grouped by some of their attributes.

    Grouping is in two steps, so that attributes are built per group, not per
    entity: `raw_group` reads the few fields that decide an entity's group (cheap,
    per entity), `group` turns one raw group into its attributes (per group).
    """

    name: str
    unit: str
    description: str
    source: str
    message: str
    group_attributes: tuple[str, ...]  # documented group keys
    raw_group: Callable[[Any], RawGroup]
    group: Callable[[RawGroup, AttributeLookup], Attributes]


def _wireless_raw(m: Any) -> RawGroup:
    radio = bytes(m.radio_mac.addr) if m.HasField("radio_mac") else None
    return (m.associated_device, m.network, radio)


def _wireless_group(raw: RawGroup, lookup: AttributeLookup) -> Attributes:
    serial, network, radio_mac = raw
    attrs = device_name(lookup, serial)
    if network:
        attrs["aruba.wlan.ssid"] = essid_text(network)
    if radio_mac is not None:
        band = radio_band(lookup, radio_mac)
        if band is not None:
            attrs["aruba.radio.band"] = band
    attrs["network.connection.type"] = "wifi"
    return attrs


def _wired_raw(m: Any) -> RawGroup:
    return (m.associated_device, m.vlan if m.HasField("vlan") else None)


def _wired_group(raw: RawGroup, lookup: AttributeLookup) -> Attributes:
    serial, vlan = raw
    attrs = device_name(lookup, serial)
    if vlan is not None:
        attrs["aruba.vlan.id"] = str(vlan)
    attrs["network.connection.type"] = "wired"
    return attrs


AGGREGATES: tuple[AggregateSpec, ...] = (
    AggregateSpec(
        "aruba.client.count",
        "{client}",
        "Connected wireless clients per AP, SSID and band.",
        "wireless_client",
        "WirelessClient",
        (
            "host.id",
            "host.name",
            *CONTEXT_NAMES,
            "aruba.wlan.ssid",
            "aruba.radio.band",
            "network.connection.type",
        ),
        _wireless_raw,
        _wireless_group,
    ),
    AggregateSpec(
        "aruba.wired_client.count",
        "{client}",
        "Connected wired clients per switch or gateway and VLAN.",
        "wired_client",
        "WiredClient",
        ("host.id", "host.name", *CONTEXT_NAMES, "aruba.vlan.id", "network.connection.type"),
        _wired_raw,
        _wired_group,
    ),
)


def counter_fields() -> dict[str, tuple[str, ...]]:
    """Counter fields per store class: the store compensates their resets."""
    found: dict[str, dict[str, None]] = {}
    for spec in METRICS:
        for series in spec.series:
            if series.counter_field:
                found.setdefault(spec.source, {})[series.counter_field] = None
    return {source: tuple(names) for source, names in found.items()}


def metric_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in METRICS) + tuple(spec.name for spec in AGGREGATES)
