"""Estate objects to protobuf messages, and batching under a frame-size budget.

The ``fill_*`` functions set the fields of a message that was just added to a
repeated field (``batch.aps.add()``): building in place is about twice as fast as
building a message and copying it in, which matters for 200 000 clients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from google.protobuf.message import Message

from central_otel.proto import monitoring_pb2 as mon
from central_otel.proto import streaming_pb2
from central_otel.simulator.estate import (
    WIRED_VLAN,
    AccessPoint,
    Client,
    Device,
    Gateway,
    Port,
    Radio,
    Rogue,
    Site,
    SwarmTunnel,
    Switch,
    Uplink,
    WiredClient,
    ssid_security,
)

M = TypeVar("M", bound=Message)

# Which DataElement announces each repeated field of MonitoringInformation.
DATA_ELEMENTS: dict[str, int] = {
    "swarms": mon.STATE_SWARM,
    "aps": mon.STATE_AP,
    "networks": mon.STATE_NETWORK,
    "radios": mon.STATE_RADIO,
    "vaps": mon.STATE_VAP,
    "interfaces": mon.STATE_INTERFACE,
    "tunnels": mon.STATE_TUNNEL,
    "wireless_clients": mon.STATE_WIRELESSCLIENT,
    "switches": mon.STATE_SWITCH,
    "wired_clients": mon.STATE_WIREDCLIENT,
    "device_stats": mon.STAT_DEVICE,
    "radio_stats": mon.STAT_RADIO,
    "interface_stats": mon.STAT_INTERFACE,
    "vap_stats": mon.STAT_VAP,
    "client_stats": mon.STAT_CLIENT,
    "tunnel_stats": mon.STAT_TUNNEL,
    "wids_events": mon.EVENTS_WIDS,
    "modem_stats": mon.STAT_MODEM,
    "role_stats": mon.STAT_ROLE,
    "vlan_stats": mon.STAT_VLAN,
    "ssid_stats": mon.STAT_SSID,
    "ipprobe_stats": mon.STAT_IPPROBE,
    "rogue_events": mon.EVENTS_ROGUE,
    "mobility_controllers": mon.STATE_CONTROLLER,
    "uplinks": mon.STATE_UPLINK,
    "uplink_stats": mon.STAT_UPLINK,
    "uplink_wan_stats": mon.STAT_UPLINKWAN,
    "uplink_probe_stats": mon.STAT_UPLINKIPPROBE,
    "uplink_speedtest": mon.STATS_UPLINK_SPEEDTEST,
    "device_neighbours": mon.DEVICE_NEIGHBOURS,
    "notification": mon.NOTIFICATIONS,
    "vlans": mon.STATE_VLAN,
}

Fill = Callable[..., None]


def varint_size(value: int) -> int:
    size = 1
    while value >= 0x80:
        value >>= 7
        size += 1
    return size


def envelope_overhead(subject: str, customer_id: str, max_data: int) -> int:
    """Bytes a `MsgProto` adds around a payload of at most `max_data` bytes (an upper bound)."""
    subject_len = len(subject.encode("utf-8"))
    customer_len = len(customer_id.encode("utf-8"))
    return (
        (1 + varint_size(subject_len) + subject_len if subject_len else 0)
        + (1 + varint_size(max_data))
        + (1 + 10)  # timestamp: tag + at most 10 varint bytes
        + (1 + varint_size(customer_len) + customer_len if customer_len else 0)
    )


def envelope(subject: str, data: bytes, timestamp_ns: int, customer_id: str) -> bytes:
    """One frame: a serialised `StreamMessage.MsgProto` (``msp_id`` empty: not an MSP)."""
    return streaming_pb2.MsgProto(
        subject=subject, data=data, timestamp=timestamp_ns, customer_id=customer_id
    ).SerializeToString()


class Batcher(Generic[M]):
    """Fills messages of one type with repeated entries, starting a new one at the budget.

    `add` returns the message it completed (0 or 1 of them); `flush` returns the last
    one. A message's size is tracked exactly from each entry's ``ByteSize`` (tag,
    length prefix and body), plus `first_use_cost` the first time a field is used in a
    message (a ``data_elements`` entry, or a wrapper message's tag and length).
    """

    def __init__(
        self,
        factory: Callable[[], M],
        budget: int,
        *,
        first_use_cost: int = 0,
        finish: Callable[[M, list[str]], None] | None = None,
    ) -> None:
        self._factory = factory
        self._budget = budget
        self._first_use_cost = first_use_cost
        self._finish = finish
        self._current: M | None = None
        self._size = 0
        self._count = 0
        self._fields: list[str] = []
        self._numbers: dict[str, int] = {}

    def add(self, path: str, fill: Fill, *args: Any, **kwargs: Any) -> list[M]:
        done: list[M] = []
        current = self._current if self._current is not None else self._start()
        cost = self._append(current, path, fill, args, kwargs)
        if self._count and self._size + cost > self._budget:
            del self._repeated(current, path)[-1]
            done.append(self._complete())
            current = self._start()
            cost = self._append(current, path, fill, args, kwargs)
        self._size += cost
        self._count += 1
        if path not in self._fields:
            self._fields.append(path)
        return done

    def flush(self) -> list[M]:
        return [self._complete()] if self._count else []

    def _start(self) -> M:
        self._current = self._factory()
        self._size = self._current.ByteSize()
        self._count = 0
        self._fields = []
        return self._current

    def _complete(self) -> M:
        message = self._current
        assert message is not None
        if self._finish is not None:
            self._finish(message, self._fields)
        self._current = None
        self._count = 0
        self._fields = []
        return message

    @staticmethod
    def _repeated(message: Message, path: str) -> Any:
        target: Any = message
        for name in path.split("."):
            target = getattr(target, name)
        return target

    def _append(
        self, message: Message, path: str, fill: Fill, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> int:
        entry = self._repeated(message, path).add()
        fill(entry, *args, **kwargs)
        size: int = entry.ByteSize()
        number = self._numbers.get(path)
        if number is None:
            parent: Any = message
            *parents, last = path.split(".")
            for name in parents:
                parent = getattr(parent, name)
            number = int(parent.DESCRIPTOR.fields_by_name[last].number)
            self._numbers[path] = number
        cost = varint_size(number << 3 | 2) + varint_size(size) + size
        if path not in self._fields:
            cost += self._first_use_cost
        return cost


def monitoring_batcher(
    customer_id: str, timestamp: int, budget: int
) -> Batcher[mon.MonitoringInformation]:
    def factory() -> mon.MonitoringInformation:
        return mon.MonitoringInformation(customer_id=customer_id, timestamp=timestamp)

    def finish(message: mon.MonitoringInformation, fields: list[str]) -> None:
        message.data_elements.extend(enum(DATA_ELEMENTS[name]) for name in fields)

    # Each distinct field costs one data_elements entry: tag (1 byte) + enum value (1 byte).
    return Batcher(factory, budget, first_use_cost=2, finish=finish)


# -- monitoring state ---------------------------------------------------------------


def enum(value: int) -> Any:
    """An int for a proto2 enum field (the stubs type enum fields with their wrapper class)."""
    return value


def set_ip(target: Any, raw: bytes) -> None:
    """A monitoring `IpAddress`: af 2 (AF_INET) or 10 (AF_INET6), network-order bytes."""
    target.af = mon.IpAddress.ADDR_FAMILY_INET if len(raw) == 4 else mon.IpAddress.ADDR_FAMILY_INET6
    target.addr = raw


def _status(up: bool) -> mon.Status:
    return mon.UP if up else mon.DOWN


# Estate attributes that a message carries under the same name, copied as they are.
_WIRELESS_CLIENT_FIELDS = ("manufacturer", "os_type", "connection", "maxspeed", "vlan")
_UPLINK_FIELDS = ("link_index", "name", "description", "priority", "vlan")


def _copy_fields(m: Message, source: object, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(m, name, getattr(source, name))


def fill_swarm(m: mon.Swarm, site: Site, action: mon.Action, firmware: str) -> None:
    m.action = action
    m.swarm_id = site.swarm_id
    m.name = site.name
    m.status = mon.UP
    set_ip(m.ip_address, site.vc_ip)
    m.firmware_version = firmware


def _fill_device(
    m: mon.Ap | mon.Switch | mon.MobilityController,
    device: Device,
    action: mon.Action,
    up: bool,
) -> None:
    """The identity, address, model and firmware that every device-state message carries."""
    m.action = action
    m.serial = device.serial
    m.name = device.name
    m.macaddr.addr = device.mac
    m.model = device.model
    m.status = _status(up)
    set_ip(m.ip_address, device.ip)
    m.firmware_version = device.firmware


def fill_ap(m: mon.Ap, ap: AccessPoint, action: mon.Action, up: bool) -> None:
    _fill_device(m, ap, action, up)
    m.cluster_id = ap.site.swarm_id
    m.mesh_role = "none"
    m.mode = "access"
    m.swarm_master = ap.swarm_master
    m.modem_connected = False
    m.uplink_type = mon.Ap.ETHERNET


def fill_radio(m: mon.Radio, ap: AccessPoint, radio: Radio, action: mon.Action, up: bool) -> None:
    m.action = action
    m.device_id = ap.serial
    m.index = radio.index
    m.macaddr.addr = radio.mac
    m.status = _status(up)
    m.channel = radio.channel
    m.band = radio.band
    m.channel_width = radio.width
    m.ap_mac.addr = ap.mac


def fill_vap(
    m: mon.VapInfo,
    ap: AccessPoint,
    radio: Radio,
    ssid_index: int,
    *,
    essid: bytes,
    action: mon.Action,
) -> None:
    m.action = action
    m.device_id = ap.serial
    m.radio_mac.addr = radio.mac
    m.essid = essid
    m.ap_mac.addr = ap.mac
    m.bssid.addr = radio.bssid(ssid_index)


def fill_network(
    m: mon.Network, site: Site, ssid_index: int, ssid: str, action: mon.Action
) -> None:
    security, kind = ssid_security(ssid, ssid_index)
    m.action = action
    m.swarm_id = site.swarm_id
    m.essid = ssid.encode("utf-8")
    m.security = security
    m.type = kind


def fill_port(m: mon.Interface, port: Port, action: mon.Action, switch: bool) -> None:
    m.action = action
    m.device_id = port.device_serial
    m.macaddr.addr = port.mac
    m.status = _status(port.up)
    m.name = port.name
    m.port_number = str(port.index)
    m.type = mon.Interface.ETHERNET
    m.mode = "access" if port.vlan != 1 else "trunk"
    m.vlan = port.vlan
    m.oper_state = _status(port.up)
    m.admin_state = mon.UP
    m.speed = enum(port.speed)
    m.phy_type = mon.Interface.PT_RJ45 if port.speed != 5 else mon.Interface.PT_GBIC
    if switch:
        m.has_poe = mon.Interface.SUPPORTED if port.poe else mon.Interface.NOT_SUPPORTED
        if port.poe:
            m.poe_state = _status(port.up)
        m.vlan_mode = mon.Interface.ACCESS if port.vlan != 1 else mon.Interface.NATIVE_UNTAGGED
        m.slot = "1"
        if not port.up:
            m.state_down_reason = mon.Interface.WAITING_FOR_LINK
    if port.vlan == 1:
        m.allowed_vlan.extend([1, 10, 20, 30, 100])
        m.native_vlan = 1


def fill_ap_eth(m: mon.Interface, ap: AccessPoint, action: mon.Action) -> None:
    m.action = action
    m.device_id = ap.serial
    m.macaddr.addr = ap.mac
    m.status = _status(ap.up)
    set_ip(m.ipaddr, ap.ip)
    m.duplex_mode = mon.Interface.FULL
    m.name = "eth0"
    m.port_number = "0"
    m.type = mon.Interface.ETHERNET
    m.mode = "trunk"
    m.vlan = 1
    m.oper_state = _status(ap.up)
    m.admin_state = mon.UP
    m.speed = mon.Interface.SPEED_1000


def fill_tunnel(
    m: mon.Tunnel, site: Site, tunnel: SwarmTunnel, action: mon.Action, uptime: int
) -> None:
    m.action = action
    m.swarm_id = site.swarm_id
    m.index = enum(tunnel.index)
    m.crypto_type = enum(tunnel.crypto)
    m.peer_name = tunnel.peer_name
    set_ip(m.peer_tun_ip, tunnel.peer_ip)
    set_ip(m.tunnel_ip, tunnel.tunnel_ip)
    m.status = mon.UP
    m.active = tunnel.index == 0
    m.uptime = uptime
    m.tunnel_id = tunnel.tunnel_id


def fill_wireless_client(m: mon.WirelessClient, client: Client, action: mon.Action) -> None:
    m.action = action
    m.macaddr.addr = client.mac
    m.name = client.name
    set_ip(m.ip_address, client.ip)
    if client.username:
        m.username = client.username
    m.associated_device = client.ap.serial
    m.radio_mac.addr = client.radio.mac
    m.network = client.ssid.encode("utf-8")
    m.user_role = client.role
    _copy_fields(m, client, _WIRELESS_CLIENT_FIELDS)


def fill_switch(m: mon.Switch, switch: Switch, action: mon.Action) -> None:
    _fill_device(m, switch, action, switch.up)
    set_ip(m.default_gateway, switch.ip[:3] + b"\x01")
    m.device_mode = 1
    m.uplink_ports.extend(port.name for port in switch.ports[-2:])
    m.max_slots = 1
    m.used_slots.append("1")
    m.management_modules.add(index=1, status=mon.HardwareModule.ACTIVE)
    m.power_supplies.add(index=1, status=mon.HardwareModule.OK)


def fill_wired_client(m: mon.WiredClient, client: WiredClient, action: mon.Action) -> None:
    m.action = action
    m.macaddr.addr = client.mac
    m.name = client.name
    set_ip(m.ip_address, client.ip)
    m.associated_device = client.port.device_serial
    m.interface_mac.addr = client.port.mac
    m.user_role = client.role
    m.vlan = client.vlan
    m.auth_type = enum(client.auth_type)


def fill_controller(m: mon.MobilityController, gateway: Gateway, action: mon.Action) -> None:
    _fill_device(m, gateway, action, gateway.up)
    set_ip(m.public_ip_address, gateway.uplinks[0].public_ip)
    set_ip(m.default_gateway, gateway.uplinks[0].public_ip[:3] + b"\xfe")
    m.mode = mon.MobilityController.GATEWAY


def fill_uplink(m: mon.Uplink, gateway: Gateway, uplink: Uplink, action: mon.Action) -> None:
    m.action = action
    m.device_id = gateway.serial
    _copy_fields(m, uplink, _UPLINK_FIELDS)
    m.status = mon.UP
    m.wan_status = mon.UP
    m.vlan_description = f"VLAN{uplink.vlan}"
    set_ip(m.public_ip_address, uplink.public_ip)
    set_ip(m.private_ip_address, uplink.private_ip)


def fill_vlan(m: mon.Vlan, gateway: Gateway, vlan: int, action: mon.Action, timestamp: int) -> None:
    m.action = action
    m.vlan_id = vlan
    set_ip(m.ipv4, bytes([10, gateway.site.index, _vlan_octet(vlan), 1]))
    m.oper_state = mon.UP
    m.admin_state = mon.UP
    m.description = {1: "management", 100: "wired"}.get(vlan, f"wlan-{vlan}")
    m.addr_mode = "static"
    m.timestamp = timestamp
    m.device_id = gateway.serial


def _vlan_octet(vlan: int) -> int:
    """Third octet of a VLAN's subnet in the estate's addressing plan (10.<site>.<octet>.0)."""
    if vlan == WIRED_VLAN:
        return 16 * 9
    return 16 * (vlan // 10) if vlan > 1 else 0


def fill_neighbour(m: mon.DeviceNeighbours, port: Port, action: mon.Action) -> None:
    m.action = action
    m.device_id = port.device_serial
    m.port = port.name
    m.remote_device_id = port.neighbour or ""
    m.remote_port = port.neighbour_port or ""
    m.remote_port_number = "0"
    m.vlan_id = str(port.vlan)


def fill_notification(
    m: mon.Notification,
    *,
    notification_id: str,
    kind: str,
    device_id: str,
    severity: int,
    timestamp: int,
    state: int,
    description: str,
    extra: dict[str, str],
) -> None:
    m.id = notification_id
    m.type = kind
    m.setting_id = f"{kind}-default"
    m.device_id = device_id
    m.severity = enum(severity)
    m.timestamp = timestamp
    m.state = enum(state)
    m.description = description
    for key, value in extra.items():
        m.extra.add(key=key, value=value)


def fill_wids(
    m: mon.WIDSEvent,
    *,
    event_type: int,
    attack_type: int | None,
    mac: bytes,
    detected_ap: str,
    channel: str,
    essid: bytes,
) -> None:
    m.action = mon.ADD
    m.event_type = enum(event_type)
    m.macaddr.addr = mac
    m.detected_ap = detected_ap
    if attack_type is not None:
        m.attack_type = enum(attack_type)
    m.channel = channel
    m.network = essid


def fill_rogue(m: mon.RogueEvent, rogue: Rogue, detector: AccessPoint, action: mon.Action) -> None:
    """`rogue` as the AP `detector` (its air monitor too) sees it."""
    bssid = rogue.bssid
    m.action = action
    m.detected_ap = detector.name
    m.macaddr.addr = bssid
    m.channel = rogue.channel
    m.network = rogue.ssid.encode("utf-8")
    m.encr_type = enum(rogue.encryption)
    m.am_rogue.match_type = mon.AirMonitorRogueInfo.RAP_MT_ETH_WM
    m.am_rogue.match_mac.addr = bssid[:5] + bytes([(bssid[5] + 1) % 256])
    m.am_rogue.monitor_name = detector.name
    m.am_rogue.nat_match_type = mon.AirMonitorRogueInfo.RAP_NMT_PLUS_ONE


def set_fields(m: Any, values: dict[str, Any]) -> None:
    """Scalar fields from a dict (stats messages: values are computed before the fill)."""
    for name, value in values.items():
        setattr(m, name, value)


def fill_stats(
    m: Any, values: dict[str, Any], macs: dict[str, bytes], ips: dict[str, bytes]
) -> None:
    set_fields(m, values)
    for name, raw in macs.items():
        getattr(m, name).addr = raw
    for name, raw in ips.items():
        set_ip(getattr(m, name), raw)
