"""New Central payloads as the Classic domain messages the entity store consumes.

The metric catalogue and the state-change events read Classic `monitoring` messages
(`Ap`, `DeviceStats`, `RadioStats`, `WirelessClient`...). Translating New Central's
state and statistics into those messages gives both platforms the same metrics and
transition events, with the same names and attributes, through the same store
(counter resets, DELETE and dependent series, TTLs, caps). What New Central adds
(`site_name`, `site_id`) goes to the store's device context (`EntityStore.set_context`),
which every device-scoped series and event reads.

Conversions (docs/new-central.md lists every field):

* operations: AP `EventOperation` ADD 1 / UPDATE 2 / DELETE 3 and switch ADD 1 /
  DELETE 2 / UPDATE 3 both become Classic `Action` (ADD 1, DELETE 2, UPDATE 3); a
  client's `ClientStatus` CONNECTED an ADD (New Central streams the connection as
  it happens: news, unless the client is already reported present),
  DISCONNECTED/FAILED/BLOCKED a DELETE, CONNECTING not yet a client;
* MACs and IPs from text to Classic's bytes; SSIDs to octets;
* `total_*` counters (uint64) become the Classic counter of the same meaning, so
  they export as cumulative counters with resets carried over; the rates next to
  them are not exported (a rate is derived from the counter);
* percentages and watts sent as floats are rounded to the integers Classic carries
  (`cpu_utilization` 37.5 -> 38 %); radio bands take Classic's numbering (0 = 2.4 GHz,
  1 = 5 GHz, 2 = 6 GHz, named alike in the attributes); New Central's noise floor
  (dBm) becomes Classic's magnitude.

Alerts, audit records, locations, geofence crossings and RSSI reports are events in
themselves: the event catalogue maps those payloads directly (`catalog.event_new_central`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message

from central_otel.catalog.event_base import parse_time
from central_otel.new_central.decoding import NewCentralFrame, timestamp_ns
from central_otel.normalize import ip_bytes, mac_bytes
from central_otel.proto import monitoring_pb2 as mon
from central_otel.proto.new_central import ap_events_pb2 as ap
from central_otel.proto.new_central import client_pb2 as cl
from central_otel.proto.new_central import sw_pb2 as sw
from central_otel.state.store import EntityStore

UINT32_MAX = 2**32 - 1

# AP operations (ADD 1, UPDATE 2, DELETE 3) as Classic actions.
AP_ACTIONS = {
    ap.EVENT_OPERATION_ADD: mon.ADD,
    ap.EVENT_OPERATION_UPDATE: mon.UPDATE,
    ap.EVENT_OPERATION_DELETE: mon.DELETE,
}
# Switch operations (ADD 1, DELETE 2, UPDATE 3) as Classic actions.
SWITCH_ACTIONS = {
    sw.EVENT_OPERATION_ADD: mon.ADD,
    sw.EVENT_OPERATION_DELETE: mon.DELETE,
    sw.EVENT_OPERATION_UPDATE: mon.UPDATE,
}
# A client's status as the Classic action on its entity; absent: not (yet) a client.
CLIENT_ACTIONS = {
    cl.CLIENT_STATUS_CONNECTED: mon.ADD,
    cl.CLIENT_STATUS_DISCONNECTED: mon.DELETE,
    cl.CLIENT_STATUS_FAILED: mon.DELETE,
    cl.CLIENT_STATUS_BLOCKED: mon.DELETE,
}
# Radio bands in Classic's numbering (the attribute `aruba.radio.band`).
RADIO_BANDS = {ap.RADIO_BAND_24GHZ: 0, ap.RADIO_BAND_5GHZ: 1, ap.RADIO_BAND_6GHZ: 2}
CHANNEL_WIDTHS = {
    ap.CHANNEL_BANDWIDTH_20MHZ: 20,
    ap.CHANNEL_BANDWIDTH_40MHZ_ABOVE: 40,
    ap.CHANNEL_BANDWIDTH_40MHZ_BELOW: 40,
    ap.CHANNEL_BANDWIDTH_80MHZ: 80,
    ap.CHANNEL_BANDWIDTH_160MHZ: 160,
    ap.CHANNEL_BANDWIDTH_80PLUS80MHZ: 160,
    ap.CHANNEL_BANDWIDTH_320MHZ_1: 320,
    ap.CHANNEL_BANDWIDTH_320MHZ_2: 320,
}


Info = mon.MonitoringInformation


@dataclass(slots=True)
class TranslationMemory:
    """What a customer's translation remembers between frames: state values New Central
    sends in state messages that Classic carries in statistics."""

    tx_power: dict[bytes, int] = field(default_factory=dict)  # radio MAC -> dBm


Memory = TranslationMemory

# -- field helpers -----------------------------------------------------------------------


def _has(m: Message, name: str) -> bool:
    """Presence for proto3 `optional` fields; a plain proto3 field is present when set."""
    try:
        return m.HasField(name)
    except ValueError:
        return bool(getattr(m, name))


def _text(m: Message, name: str) -> str:
    value = getattr(m, name) if _has(m, name) else ""
    return value.strip() if isinstance(value, str) else ""


def _set_mac(target: Any, text: str) -> bool:
    raw = mac_bytes(text) if text else None
    if raw is None:
        return False
    target.addr = raw
    return True


def _set_ip(target: Any, text: str) -> bool:
    raw = ip_bytes(text) if text else None
    if raw is None:
        return False
    target.af = mon.IpAddress.ADDR_FAMILY_INET if len(raw) == 4 else mon.IpAddress.ADDR_FAMILY_INET6
    target.addr = raw
    return True


def _copy(source: Message, target: Message, *names: str | tuple[str, str]) -> None:
    """Copy present numeric fields (name, or (source name, target name)); a value that
    does not fit the target (a negative or a too-large uint32) is left out."""
    for entry in names:
        src, dst = (entry, entry) if isinstance(entry, str) else entry
        if _has(source, src):
            value = getattr(source, src)
            try:
                setattr(target, dst, value)
            except ValueError:
                continue


def _rounded(source: Message, name: str, target: Message, dst: str | None = None) -> None:
    if _has(source, name):
        value = getattr(source, name)
        if isinstance(value, float) and math.isfinite(value) and 0 <= value <= UINT32_MAX:
            setattr(target, dst or name, math.floor(value + 0.5))


def _status(up: bool) -> mon.Status:
    return mon.UP if up else mon.DOWN


def _seconds(text: str) -> int | None:
    """Epoch seconds of an AP `timestamp` (its format is not documented)."""
    ns = parse_time(text) if text else None
    return ns // 1_000_000_000 if ns is not None and ns // 1_000_000_000 <= UINT32_MAX else None


def _stamp(target: Message, m: Message, name: str = "timestamp") -> None:
    """Classic's uint32 epoch-seconds `timestamp` from New Central's (text or Timestamp)."""
    if not _has(m, name):
        return
    value = getattr(m, name)
    seconds = _seconds(value) if isinstance(value, str) else None
    if not isinstance(value, str):
        ns = timestamp_ns(value)
        seconds = ns // 1_000_000_000 if ns is not None else None
    if seconds is not None and 0 < seconds <= UINT32_MAX:
        target.timestamp = seconds  # type: ignore[attr-defined]


def _copy_text(source: Message, target: Message, *names: str | tuple[str, str]) -> None:
    """Copy the text fields that are not blank, stripped (name, or (source name, target
    name))."""
    for entry in names:
        src, dst = (entry, entry) if isinstance(entry, str) else entry
        if _text(source, src):
            setattr(target, dst, _text(source, src))


def _action(target: Any, m: Message, actions: Mapping[Any, int]) -> None:
    """`target.action`: the Classic action of `m`'s operation (`actions` maps them)."""
    if _has(m, "operation") and m.operation in actions:  # type: ignore[attr-defined]
        target.action = actions[m.operation]  # type: ignore[attr-defined]


def _device_state(entries: Any, m: Message, actions: Mapping[Any, int]) -> Any:
    """A new state entry of `entries` for the device that sent `m`, with its action."""
    entry = entries.add()
    _action(entry, m, actions)
    entry.device_id = _text(m, "serial_number")
    return entry


def _device_stat(entries: Any, m: Message) -> Any:
    """A new statistics entry of `entries` for the device that sent `m`, at `m`'s time."""
    entry = entries.add()
    entry.device_id = _text(m, "serial_number")
    _stamp(entry, m)
    return entry


# -- AP payloads -------------------------------------------------------------------------


def _ap_info(m: ap.APInfo, info: Info, memory: Memory) -> None:
    a = info.aps.add()
    _action(a, m, AP_ACTIONS)
    a.serial = _text(m, "serial_number")
    _copy_text(m, a, ("device_name", "name"), "model", "firmware_version")
    _set_mac(a.macaddr, _text(m, "mac_address"))
    _set_ip(a.ip_address, _text(m, "ip_v4") or _text(m, "ip_v6"))
    if m.HasField("status"):
        a.status = _status(m.status)
    if m.HasField("cluster") and m.cluster.cluster_id:
        a.cluster_id = m.cluster.cluster_id


def _radio_info(m: ap.RadioInfo, info: Info, memory: Memory) -> None:
    r = _device_state(info.radios, m, AP_ACTIONS)
    if _set_mac(r.macaddr, _text(m, "radio_mac_address")) and m.HasField("transmit_power"):
        memory.tx_power[bytes(r.macaddr.addr)] = m.transmit_power
    _copy(m, r, ("radio_number", "index"))
    _copy_text(m, r, "channel")
    if m.HasField("status"):
        r.status = _status(m.status == ap.STATUS_UP)
    if m.HasField("band") and m.band in RADIO_BANDS:
        r.band = RADIO_BANDS[m.band]
    if m.HasField("bandwidth") and m.bandwidth in CHANNEL_WIDTHS:
        r.channel_width = CHANNEL_WIDTHS[m.bandwidth]
    _set_mac(r.ap_mac, _text(m, "mac_address"))


def _vap_info(m: ap.VapInfo, info: Info, memory: Memory) -> None:
    v = _device_state(info.vaps, m, AP_ACTIONS)
    _set_mac(v.radio_mac, _text(m, "radio_mac_address"))
    if _has(m, "essid"):
        v.essid = m.essid.encode("utf-8")
    _set_mac(v.bssid, _text(m, "bssid"))
    _set_mac(v.ap_mac, _text(m, "mac_address"))


def _port_info(m: ap.PortInfo, info: Info, memory: Memory) -> None:
    i = _device_state(info.interfaces, m, AP_ACTIONS)
    _set_mac(i.macaddr, _text(m, "port_mac_address"))
    _copy_text(m, i, ("port_name", "name"))
    if m.HasField("port_index"):
        i.port_number = str(m.port_index)
    if m.HasField("status"):
        i.status = _status(m.status == ap.STATUS_UP)
    if m.HasField("operate_state"):
        i.oper_state = _status(m.operate_state)
    if m.HasField("admin_state"):
        i.admin_state = _status(m.admin_state)
    _copy(m, i, ("access_vlan", "vlan"), "native_vlan")


def _tunnel_info(m: ap.TunnelInfo, info: Info, memory: Memory) -> None:
    t = info.tunnels.add()
    _action(t, m, AP_ACTIONS)
    # An AP's tunnels are keyed by the AP (as Classic keys a swarm's) and their index.
    t.swarm_id = _text(m, "serial_number")
    t.tunnel_id = m.index if m.HasField("index") else 0
    name = _text(m, "peer_name") or _text(m, "tunnel_name")
    if name:
        t.peer_name = name
    _set_ip(t.peer_tun_ip, _text(m, "peer_ip"))
    _set_ip(t.tunnel_ip, _text(m, "ip"))
    if m.HasField("status"):
        t.status = _status(m.status == ap.TUNNEL_STATUS_CONNECTED)
    _copy(m, t, "active", "uptime")


def _ap_system(m: ap.APSystemStat, info: Info, memory: Memory) -> None:
    d = _device_stat(info.device_stats, m)
    _rounded(m, "cpu_utilization", d)
    _rounded(m, "memory_utilization", d, "mem_utilization")
    _rounded(m, "power_consumption", d)


def _radio_stat(m: ap.RadioStat, info: Info, memory: Memory) -> None:
    r = _device_stat(info.radio_stats, m)
    _set_mac(r.macaddr, _text(m, "radio_mac_address"))
    _copy(m, r, "tx_bytes", "rx_bytes", ("total_utilization", "utilization"))
    _copy(m, r, ("total_frame_drops", "tx_drops"))
    if m.HasField("noise_floor"):
        r.noise_floor = abs(m.noise_floor)
    power = memory.tx_power.get(bytes(r.macaddr.addr))
    if power is not None and power >= 0:
        r.tx_power = power


def _vap_stat(m: ap.VapStat, info: Info, memory: Memory) -> None:
    v = _device_stat(info.vap_stats, m)
    _set_mac(v.radio_mac, _text(m, "radio_mac_address"))
    if _has(m, "essid"):
        v.network = m.essid.encode("utf-8")
    _copy(m, v, "tx_bytes", "rx_bytes")


def _port_stat(m: ap.PortStat, info: Info, memory: Memory) -> None:
    i = _device_stat(info.interface_stats, m)
    _set_mac(i.macaddr, _text(m, "port_mac_address"))
    _copy(
        m,
        i,
        "tx_bytes",
        "rx_bytes",
        ("tx_pkts", "out_packets"),
        ("rx_pkts", "in_packets"),
        ("total_frame_errors", "in_errors"),
        ("total_frame_drops", "in_discards"),
        ("total_crc", "in_fcs"),
        ("total_collision", "out_collision"),
    )


def _modem_stat(m: ap.ModemStat, info: Info, memory: Memory) -> None:
    _copy(m, _device_stat(info.modem_stats, m), "tx_bytes", "rx_bytes")


def _tunnel_stat(m: ap.TunnelStat, info: Info, memory: Memory) -> None:
    t = info.tunnel_stats.add()
    t.swarm_id = _text(m, "serial_number")
    t.tunnel_id = m.tunnel_index if m.HasField("tunnel_index") else 0
    _copy_text(m, t, "tunnel_name")
    _stamp(t, m)
    _copy(m, t, "tx_bytes", "rx_bytes")


def _ipprobe_stat(m: ap.IPProbeStat, info: Info, memory: Memory) -> None:
    p = info.ipprobe_stats.add()
    p.device_id = _text(m, "serial_number")
    p.tunnel_id = m.tunnel_index if m.HasField("tunnel_index") else 0
    _set_ip(p.probe_ip_addr, _text(m, "ip"))
    _copy_text(m, p, "tunnel_name")
    _copy(m, p, ("loss_percentage", "ip_probe_pkt_loss_pct"))
    if m.HasField("status"):
        p.probe_status = m.status


def _role_stat(m: ap.RoleStat, info: Info, memory: Memory) -> None:
    s = _device_stat(info.role_stats, m)
    s.user_role = _text(m, "user_role")
    _copy(m, s, "tx_bytes", "rx_bytes")


def _ssid_stat(m: ap.SsidStat, info: Info, memory: Memory) -> None:
    s = _device_stat(info.ssid_stats, m)
    if _has(m, "ssid"):
        s.essid = m.ssid.encode("utf-8")
    _copy(m, s, "tx_bytes", "rx_bytes")


def _vlan_stat(m: ap.VlanStat, info: Info, memory: Memory) -> None:
    _copy(m, _device_stat(info.vlan_stats, m), "vlan", "tx_bytes", "rx_bytes")


Translator = Callable[[Any, Info, Memory], None]

AP_TRANSLATORS: dict[type[Message], Translator] = {
    ap.APInfo: _ap_info,
    ap.RadioInfo: _radio_info,
    ap.VapInfo: _vap_info,
    ap.PortInfo: _port_info,
    ap.TunnelInfo: _tunnel_info,
    ap.APSystemStat: _ap_system,
    ap.RadioStat: _radio_stat,
    ap.VapStat: _vap_stat,
    ap.PortStat: _port_stat,
    ap.ModemStat: _modem_stat,
    ap.TunnelStat: _tunnel_stat,
    ap.IPProbeStat: _ipprobe_stat,
    ap.RoleStat: _role_stat,
    ap.SsidStat: _ssid_stat,
    ap.VlanStat: _vlan_stat,
}


# -- switch payloads ---------------------------------------------------------------------


def _switch(m: sw.Switch, info: Info) -> None:
    s = info.switches.add()
    _action(s, m, SWITCH_ACTIONS)
    s.serial = _text(m, "serial_number")
    _copy_text(m, s, ("device_name", "name"), "model", "firmware_version", "stack_id")
    _set_mac(s.macaddr, _text(m, "mac_address"))
    _set_ip(s.ip_address, _text(m, "ipv4"))
    _set_ip(s.public_ip_address, _text(m, "public_ip"))
    _set_ip(s.default_gateway, _text(m, "default_gateway"))
    if m.HasField("status"):
        s.status = _status(m.status == sw.STATUS_UP)


def _interface(m: sw.Interface, info: Info) -> None:
    i = _device_state(info.interfaces, m, SWITCH_ACTIONS)
    _set_mac(i.macaddr, _text(m, "mac_address"))
    _copy_text(m, i, "name", "port_number", "mode", "slot")
    _set_ip(i.ipaddr, _text(m, "ipv4"))
    for src, dst in (
        ("status", "status"),
        ("oper_status", "oper_state"),
        ("admin_status", "admin_state"),
        ("poe_status", "poe_state"),
    ):
        if m.HasField(src):
            setattr(i, dst, _status(getattr(m, src) == sw.STATUS_UP))
    _copy(m, i, "vlan", "native_vlan", "vsx_enabled")
    i.allowed_vlan.extend(m.allowed_vlan)


def _lldp(m: sw.Lldp, info: Info) -> None:
    n = _device_state(info.device_neighbours, m, SWITCH_ACTIONS)
    n.port = _text(m, "port")
    _copy_text(
        m,
        n,
        ("neighbour", "remote_device_id"),
        ("neighbour_port", "remote_port"),
        "remote_port_number",
        "vlan_id",
    )


def _vlan(m: sw.Vlan, info: Info) -> None:
    v = _device_state(info.vlans, m, SWITCH_ACTIONS)
    _copy(m, v, ("id", "vlan_id"))
    _copy_text(m, v, ("name", "description"))
    if m.HasField("status"):
        v.oper_state = _status(m.status == sw.VLAN_STATUS_UP)
    _set_ip(v.ipv4, _text(m, "ipv4"))


def _stack(m: sw.SwitchStack, info: Info) -> None:
    s = info.switch_stacks.add()
    _action(s, m, SWITCH_ACTIONS)
    s.stack_id = _text(m, "stack_id")
    if m.HasField("status"):
        s.status = _status(m.status == sw.STATUS_UP)
    _copy_text(m, s, "firmware_version")
    _copy(m, s, "vsf_domain_id")


def _device_stats(m: sw.DeviceStats, info: Info) -> None:
    d = _device_stat(info.device_stats, m)
    _copy(
        m,
        d,
        "cpu_utilization",
        "mem_total",
        "mem_free",
        "mem_utilization",
        "power_consumption",
        "fan_speed",
        "temperature",
        "max_power",
        "poe_consumption",
        "uptime",
    )
    if m.HasField("fan_status"):
        d.fan_status = _status(m.fan_status == sw.STATUS_UP)


_INTERFACE_COUNTERS = (
    "tx_bytes", "rx_bytes", "in_errors", "out_errors", "in_discards", "out_discards",
    "in_packets", "out_packets", "in_other_err", "in_multicast_pkt", "in_broadcast_pkt",
    "in_unicast_pkt", "out_multicast_pkt", "out_broadcast_pkt", "out_unicast_pkt", "in_fcs",
    "in_alignment", "out_excessive_collision", "in_jabbers", "in_fragmented", "in_giant",
    "in_runt", "out_collision", "out_late_collision", "out_deferred", "power_consumption",
)  # fmt: skip


def _interface_stats(m: sw.InterfaceStats, info: Info) -> None:
    i = _device_stat(info.interface_stats, m)
    _set_mac(i.macaddr, _text(m, "mac_address"))
    _copy(m, i, *_INTERFACE_COUNTERS)


SWITCH_TRANSLATORS: dict[str, Callable[[Any, Info], None]] = {
    "switch_state": _switch,
    "interface_state": _interface,
    "lldp_state": _lldp,
    "vlan_state": _vlan,
    "stack_state": _stack,
    "device_stats": _device_stats,
    "interface_stats": _interface_stats,
}


# -- clients -----------------------------------------------------------------------------


def _client_state(m: cl.ClientState, info: mon.MonitoringInformation) -> None:
    details = m.client_details
    action = CLIENT_ACTIONS.get(details.status)
    if action is None:  # connecting, or no status: not a client (yet)
        return
    wired = m.type == cl.CLIENT_TYPE_WIRED
    c: Any = info.wired_clients.add() if wired else info.wireless_clients.add()
    c.action = action
    if not _set_mac(c.macaddr, details.mac_address):
        return
    if details.client_name or details.host_name:
        c.name = details.client_name or details.host_name
    _set_ip(c.ip_address, details.ipv4 or details.ipv6)
    if details.user_name:
        c.username = details.user_name
    if details.connected_device_serial:
        c.associated_device = details.connected_device_serial
    if details.role:
        c.user_role = details.role
    if details.vlan_id:
        c.vlan = details.vlan_id
    if wired:
        return
    _set_mac(c.radio_mac, m.radio_mac_address)
    if m.wlan_name:
        c.network = m.wlan_name.encode("utf-8")
    if details.cpdi.client_operating_system:
        c.os_type = details.cpdi.client_operating_system
    if details.cpdi.client_vendor:
        c.manufacturer = details.cpdi.client_vendor


def _client_stats(m: cl.ClientStats, info: mon.MonitoringInformation) -> None:
    s = info.client_stats.add()
    if not _set_mac(s.macaddr, m.mac_address):
        return
    if m.connected_device_serial:
        s.device_id = m.connected_device_serial
    seconds = timestamp_ns(m.timestamp) if m.HasField("timestamp") else None
    if seconds is not None:
        s.timestamp = min(UINT32_MAX, seconds // 1_000_000_000)
    s.tx_bytes, s.rx_bytes = m.tx_bytes, m.rx_bytes
    s.tx_retries, s.rx_retries = m.tx_retry_frames, m.rx_retry_frames
    if m.speed:
        s.speed = m.speed
    if m.snr > 0:
        s.snr = m.snr


# -- entry point -------------------------------------------------------------------------


def translate(
    frame: NewCentralFrame, store: EntityStore, memory: TranslationMemory
) -> mon.MonitoringInformation | None:
    """The Classic monitoring payload of one New Central frame (None: none, e.g. an
    alert), after recording the device context it carries in `store`."""
    payload = frame.payload
    info = mon.MonitoringInformation(customer_id=frame.subject or _tenant(payload))
    if isinstance(payload, sw.StreamSwitchMessage):
        branch = payload.WhichOneof("switch_event")
        if branch is None:
            return None
        message = getattr(payload, branch)
        site = _text(message, "site_name")
        if site:
            store.set_context(_text(message, "serial_number"), site_name=site)
        handler = SWITCH_TRANSLATORS.get(branch)
        if handler is None:
            return None
        handler(message, info)
    elif isinstance(payload, cl.StreamClientMessage):
        branch = payload.WhichOneof("client_event")
        if branch == "client_state":
            details = payload.client_state.client_details
            store.set_context(details.connected_device_serial, site_id=details.site_id)
            _client_state(payload.client_state, info)
        elif branch == "client_stats":
            stats = payload.client_stats
            store.set_context(stats.connected_device_serial, site_id=stats.site_id)
            _client_stats(payload.client_stats, info)
    else:
        handler_ap = AP_TRANSLATORS.get(type(payload))
        if handler_ap is None:
            return None
        handler_ap(payload, info, memory)
    if not any(field.is_repeated for field, _ in info.ListFields()):
        return None
    if frame.time_ns is not None and frame.time_ns // 1_000_000_000 <= UINT32_MAX:
        info.timestamp = frame.time_ns // 1_000_000_000
    return info


def _tenant(payload: Message) -> str:
    if isinstance(payload, sw.StreamSwitchMessage):
        branch = payload.WhichOneof("switch_event")
        return _text(getattr(payload, branch), "tenant_id") if branch else ""
    if isinstance(payload, cl.StreamClientMessage):
        branch = payload.WhichOneof("client_event")
        if branch == "client_state":
            return payload.client_state.client_details.tenant_id
        return payload.client_stats.tenant_id if branch else ""
    return _text(payload, "tenant_id") if "tenant_id" in payload.DESCRIPTOR.fields_by_name else ""
