"""The simulated estate's traffic as New Central CloudEvents.

The Classic simulator's topic streams already turn the estate (devices, radios,
clients, counters, joins and leaves, alerts, audit records, locations) into Classic
messages. Each is re-expressed here as the New Central payload that reports the same
thing, so both platforms are simulated from the same estate and show the same values:
the bridge's `central_otel.new_central.translate` maps them back onto the same series.
Where New Central's schema is richer (sites, floats), the estate fills it in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from google.protobuf.message import Message

from central_otel.new_central.decoding import AP_TYPE_PREFIX
from central_otel.new_central.topics import NewCentralTopic
from central_otel.normalize import essid_text, ip_from_bytes, mac_colon
from central_otel.proto import audit_pb2, location_pb2, presence_pb2
from central_otel.proto import monitoring_pb2 as mon
from central_otel.proto.new_central import alert_pb2, audit_trail_pb2, client_pb2, event_pb2
from central_otel.proto.new_central import ap_events_pb2 as ap
from central_otel.proto.new_central import geofence_pb2 as geo
from central_otel.proto.new_central import location_analytics_pb2 as rssi
from central_otel.proto.new_central import location_pb2 as loc
from central_otel.proto.new_central import sw_pb2 as sw
from central_otel.simulator.estate import AccessPoint, Estate, Radio, Site
from central_otel.topics import Topic

# Which Classic topic's stream feeds each New Central topic.
SOURCES: dict[NewCentralTopic, Topic] = {
    NewCentralTopic.AP_EVENTS: Topic.MONITORING,
    NewCentralTopic.SWITCH_EVENTS: Topic.MONITORING,
    NewCentralTopic.CLIENTS_EVENTS: Topic.MONITORING,
    NewCentralTopic.ALERT_EVENTS: Topic.MONITORING,
    NewCentralTopic.AUDIT_TRAIL_EVENTS: Topic.AUDIT,
    NewCentralTopic.LOCATION: Topic.LOCATION,
    NewCentralTopic.GEOFENCE: Topic.LOCATION,
    NewCentralTopic.RSSI_EVENTS: Topic.PRESENCE,
}

AP_OPERATIONS = {mon.ADD: 1, mon.UPDATE: 2, mon.DELETE: 3}  # AP EventOperation
SWITCH_OPERATIONS = {mon.ADD: 1, mon.DELETE: 2, mon.UPDATE: 3}  # switch EventOperation
BANDS = {0: ap.RADIO_BAND_24GHZ, 1: ap.RADIO_BAND_5GHZ, 2: ap.RADIO_BAND_6GHZ}
WIDTHS = {
    20: ap.CHANNEL_BANDWIDTH_20MHZ,
    40: ap.CHANNEL_BANDWIDTH_40MHZ_ABOVE,
    80: ap.CHANNEL_BANDWIDTH_80MHZ,
    160: ap.CHANNEL_BANDWIDTH_160MHZ,
}
NC = "com.hpe.greenlake.network-monitoring.v1"
SERVICES = "com.hpe.greenlake.network-services.v1alpha1"
FEET = 0.3048  # the estate's floor plans are in feet; New Central reports metres


@dataclass(frozen=True, slots=True)
class Event:
    payload: Message
    type: str  # CloudEvent.type


def site_id(site: Site) -> str:
    return f"site-{site.index + 1:03d}"


class _Address(Protocol):
    """A monitoring, location or presence MAC or IP address message."""

    @property
    def addr(self) -> bytes: ...


def _mac(address: _Address) -> str:
    """A monitoring MAC address as New Central writes it ("" when unset)."""
    return mac_colon(bytes(address.addr)) or ""


def _ip(address: _Address) -> str:
    return ip_from_bytes(bytes(address.addr)) or ""


def _ap_status(status: int) -> ap.Status:
    return ap.STATUS_UP if status == mon.UP else ap.STATUS_DOWN


def _switch_status(status: int) -> sw.Status:
    return sw.STATUS_UP if status == mon.UP else sw.STATUS_DOWN


class Converter:
    """Classic messages of one customer's estate as New Central events."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate

    def _kind(self, serial: str) -> str | None:
        for device in self.estate.devices:
            if device.serial == serial:
                return type(device).__name__
        return None

    def _site(self, serial: str) -> Site | None:
        for device in self.estate.devices:
            if device.serial == serial:
                return device.site
        return None

    def _site_name(self, serial: str) -> str:
        site = self._site(serial)
        return site.name if site else ""

    def events(self, topic: NewCentralTopic, message: Message) -> Iterator[Event]:
        if isinstance(message, mon.MonitoringInformation):
            yield from self._monitoring(topic, message)
        elif isinstance(message, audit_pb2.audit_message):
            if topic is NewCentralTopic.AUDIT_TRAIL_EVENTS:
                yield self._audit(message)
        elif isinstance(message, location_pb2.stream_location):
            if topic is NewCentralTopic.LOCATION:
                yield self._location(message)
        elif isinstance(message, location_pb2.stream_geofence_notify):
            if topic is NewCentralTopic.GEOFENCE:
                yield self._geofence(message)
        elif (
            isinstance(message, presence_pb2.presence_event)
            and topic is NewCentralTopic.RSSI_EVENTS
        ):
            yield from self._rssi(message)

    # -- monitoring -------------------------------------------------------------------

    def _monitoring(
        self, topic: NewCentralTopic, info: mon.MonitoringInformation
    ) -> Iterator[Event]:
        if topic is NewCentralTopic.AP_EVENTS:
            yield from self._aps(info)
        elif topic is NewCentralTopic.SWITCH_EVENTS:
            yield from self._switches(info)
        elif topic is NewCentralTopic.CLIENTS_EVENTS:
            yield from self._clients(info)
        elif topic is NewCentralTopic.ALERT_EVENTS:
            for note in info.notification:
                yield self._alert(note)

    def _aps(self, info: mon.MonitoringInformation) -> Iterator[Event]:
        for a in info.aps:
            yield Event(
                ap.APInfo(
                    operation=AP_OPERATIONS[a.action],  # type: ignore[arg-type]
                    serial_number=a.serial,
                    mac_address=_mac(a.macaddr),
                    device_name=a.name,
                    model=a.model,
                    ip_v4=_ip(a.ip_address),
                    status=a.status == mon.UP,
                    firmware_version=a.firmware_version,
                ),
                f"{AP_TYPE_PREFIX}state.device",
            )
        for r in info.radios:
            radio = self._radio(r.device_id, bytes(r.macaddr.addr))
            message = ap.RadioInfo(
                operation=AP_OPERATIONS[r.action],  # type: ignore[arg-type]
                serial_number=r.device_id,
                radio_mac_address=_mac(r.macaddr),
                radio_number=r.index,
                channel=r.channel,
                band=BANDS.get(r.band, ap.RADIO_BAND_UNSPECIFIED),
                bandwidth=WIDTHS.get(r.channel_width, ap.CHANNEL_BANDWIDTH_UNSPECIFIED),
                status=_ap_status(r.status),
            )
            if radio is not None:
                message.transmit_power = radio.tx_power
            yield Event(message, f"{AP_TYPE_PREFIX}state.radio")
        for v in info.vaps:
            yield Event(
                ap.VapInfo(
                    operation=AP_OPERATIONS[v.action],  # type: ignore[arg-type]
                    serial_number=v.device_id,
                    radio_mac_address=_mac(v.radio_mac),
                    bssid=_mac(v.bssid),
                    essid=essid_text(v.essid),
                ),
                f"{AP_TYPE_PREFIX}state.virtual_access_point",
            )
        for i in info.interfaces:
            if self._kind(i.device_id) == "AccessPoint":
                port = ap.PortInfo(
                    operation=AP_OPERATIONS[i.action],  # type: ignore[arg-type]
                    serial_number=i.device_id,
                    port_mac_address=_mac(i.macaddr),
                    port_name=i.name,
                    operate_state=i.oper_state == mon.UP,
                    admin_state=i.admin_state == mon.UP,
                    status=_ap_status(i.status),
                )
                if i.port_number.isdigit():
                    port.port_index = int(i.port_number)
                yield Event(port, f"{AP_TYPE_PREFIX}state.port")
        for d in info.device_stats:
            if self._kind(d.device_id) == "AccessPoint":
                stat = ap.APSystemStat(serial_number=d.device_id, timestamp=str(d.timestamp))
                if d.HasField("cpu_utilization"):
                    stat.cpu_utilization = float(d.cpu_utilization)
                if d.HasField("mem_utilization"):
                    stat.memory_utilization = float(d.mem_utilization)
                elif d.HasField("mem_total") and d.mem_total:
                    used = 100.0 * (d.mem_total - d.mem_free) / d.mem_total
                    stat.memory_utilization = round(used)
                if d.HasField("power_consumption"):
                    stat.power_consumption = float(d.power_consumption)
                yield Event(stat, f"{AP_TYPE_PREFIX}stats.device")
        for s in info.radio_stats:
            stat_r = ap.RadioStat(
                serial_number=s.device_id,
                radio_mac_address=_mac(s.macaddr),
                timestamp=str(s.timestamp),
                tx_bytes=s.tx_bytes,
                rx_bytes=s.rx_bytes,
                noise_floor=-s.noise_floor,
                total_utilization=s.utilization,
                total_frame_drops=s.tx_drops,
            )
            yield Event(stat_r, f"{AP_TYPE_PREFIX}stats.radio")
        for vs in info.vap_stats:
            yield Event(
                ap.VapStat(
                    serial_number=vs.device_id,
                    radio_mac_address=_mac(vs.radio_mac),
                    essid=essid_text(vs.network),
                    tx_bytes=vs.tx_bytes,
                    rx_bytes=vs.rx_bytes,
                ),
                f"{AP_TYPE_PREFIX}stats.virtual_access_point",
            )
        for st in info.interface_stats:
            if self._kind(st.device_id) == "AccessPoint":
                yield Event(
                    ap.PortStat(
                        serial_number=st.device_id,
                        port_mac_address=_mac(st.macaddr),
                        tx_bytes=st.tx_bytes,
                        rx_bytes=st.rx_bytes,
                        tx_pkts=st.out_packets,
                        rx_pkts=st.in_packets,
                        total_frame_errors=st.in_errors,
                        total_frame_drops=st.in_discards,
                    ),
                    f"{AP_TYPE_PREFIX}stats.port",
                )
        for ss in info.ssid_stats:
            if self._kind(ss.device_id) == "AccessPoint":
                yield Event(
                    ap.SsidStat(
                        serial_number=ss.device_id,
                        ssid=essid_text(ss.essid),
                        tx_bytes=ss.tx_bytes,
                        rx_bytes=ss.rx_bytes,
                    ),
                    f"{AP_TYPE_PREFIX}stats.ssid",
                )

    def _radio(self, serial: str, mac: bytes) -> Radio | None:
        for device in self.estate.devices:
            if device.serial == serial and isinstance(device, AccessPoint):
                for radio in device.radios:
                    if radio.mac == mac:
                        return radio
        return None

    def _switches(self, info: mon.MonitoringInformation) -> Iterator[Event]:
        for s in info.switches:
            yield Event(
                sw.StreamSwitchMessage(
                    switch_state=sw.Switch(
                        operation=SWITCH_OPERATIONS[s.action],  # type: ignore[arg-type]
                        serial_number=s.serial,
                        site_name=self._site_name(s.serial),
                        device_name=s.name,
                        mac_address=_mac(s.macaddr),
                        model=s.model,
                        status=_switch_status(s.status),
                        ipv4=_ip(s.ip_address),
                        firmware_version=s.firmware_version,
                    )
                ),
                f"{NC}.switches.state",
            )
        for i in info.interfaces:
            if self._kind(i.device_id) != "Switch":
                continue
            yield Event(
                sw.StreamSwitchMessage(
                    interface_state=sw.Interface(
                        operation=SWITCH_OPERATIONS[i.action],  # type: ignore[arg-type]
                        serial_number=i.device_id,
                        site_name=self._site_name(i.device_id),
                        name=i.name,
                        mac_address=_mac(i.macaddr),
                        port_number=i.port_number,
                        status=_switch_status(i.status),
                        oper_status=_switch_status(i.oper_state),
                        admin_status=_switch_status(i.admin_state),
                        vlan=i.vlan,
                    )
                ),
                f"{NC}.interfaces.state",
            )
        for d in info.device_stats:
            if self._kind(d.device_id) != "Switch":
                continue
            stats = sw.DeviceStats(
                serial_number=d.device_id, site_name=self._site_name(d.device_id)
            )
            for name in ("cpu_utilization", "mem_total", "mem_free", "mem_utilization",
                         "power_consumption", "fan_speed", "temperature", "max_power",
                         "poe_consumption", "uptime"):  # fmt: skip
                if d.HasField(name):
                    setattr(stats, name, getattr(d, name))
            yield Event(sw.StreamSwitchMessage(device_stats=stats), f"{NC}.switches.stats")
        for st in info.interface_stats:
            if self._kind(st.device_id) != "Switch":
                continue
            counters = sw.InterfaceStats(
                serial_number=st.device_id,
                site_name=self._site_name(st.device_id),
                mac_address=_mac(st.macaddr),
            )
            for field, value in st.ListFields():
                if field.name in sw.InterfaceStats.DESCRIPTOR.fields_by_name and field.name not in (
                    "timestamp",
                    "mac_address",
                ):
                    setattr(counters, field.name, value)
            yield Event(sw.StreamSwitchMessage(interface_stats=counters), f"{NC}.interfaces.stats")

    def _clients(self, info: mon.MonitoringInformation) -> Iterator[Event]:
        for c in info.wireless_clients:
            yield self._client_state(c, client_pb2.CLIENT_TYPE_WIRELESS)
        for w in info.wired_clients:
            yield self._client_state(w, client_pb2.CLIENT_TYPE_WIRED)
        for s in info.client_stats:
            site = self._site(s.device_id)
            stats = client_pb2.ClientStats(
                mac_address=_mac(s.macaddr),
                site_id=site_id(site) if site else "",
                connected_device_serial=s.device_id,
                tx_bytes=s.tx_bytes,
                rx_bytes=s.rx_bytes,
                tx_retry_frames=s.tx_retries,
                rx_retry_frames=s.rx_retries,
                speed=s.speed,
                snr=s.snr,
            )
            if s.HasField("timestamp"):
                stats.timestamp.seconds = s.timestamp
            yield Event(client_pb2.StreamClientMessage(client_stats=stats), f"{NC}.clients.stats")

    def _client_state(self, c: mon.WirelessClient | mon.WiredClient, kind: int) -> Event:
        site = self._site(c.associated_device)
        gone = c.HasField("action") and c.action == mon.DELETE
        details = client_pb2.ClientDetails(
            mac_address=_mac(c.macaddr),
            site_id=site_id(site) if site else "",
            client_name=c.name,
            status=(
                client_pb2.CLIENT_STATUS_DISCONNECTED
                if gone
                else client_pb2.CLIENT_STATUS_CONNECTED
            ),
            connected_device_serial=c.associated_device,
            user_name=c.username,
            ipv4=_ip(c.ip_address),
            role=c.user_role,
            vlan_id=c.vlan,
        )
        state = client_pb2.ClientState(client_details=details, type=kind)  # type: ignore[arg-type]
        if isinstance(c, mon.WirelessClient):
            state.radio_mac_address = _mac(c.radio_mac)
            state.wlan_name = essid_text(c.network)
        return Event(client_pb2.StreamClientMessage(client_state=state), f"{NC}.clients.state")

    def _alert(self, n: mon.Notification) -> Event:
        site = self._site(n.device_id)
        message = alert_pb2.AlertStreamingMessage(
            id=n.id,
            alert_id=n.id,
            name=n.type,
            category="Device",
            severity=mon.Notification.Severity.Name(n.severity) if n.HasField("severity") else "",
            state="Cleared"
            if n.HasField("state") and n.state == mon.Notification.Close
            else "Active",
            summary=n.description,
        )
        if n.HasField("timestamp"):
            message.time.seconds = n.timestamp
        if n.device_id:
            message.impacted_entities.device_serial.append(n.device_id)
        if site is not None:
            message.site_id = site_id(site)
            message.site_name = site.name
        return Event(message, "com.hpe.greenlake.network-notifications.v1.alerts")

    # -- the other topics ---------------------------------------------------------------

    def _audit(self, a: audit_pb2.audit_message) -> Event:
        info = next(
            (getattr(a, n) for n in ("config_info", "firmware_info", "dm_info") if a.HasField(n)),
            None,
        )
        service = audit_pb2.classification.Name(a.service) if a.HasField("service") else ""
        trail = audit_trail_pb2.AuditTrail(
            tenant_id=a.customer_id,
            occurred_on=a.timestamp * 1000 if a.timestamp < 10**11 else a.timestamp,
            action="update",
            category=service.lower(),
            destination=a.target,
            description=info.data if info is not None else "",
            ip_address=_ip(a.client_ip) if a.HasField("client_ip") else "",
            service_name=service.lower(),
        )
        return Event(trail, f"{SERVICES}.audit-trail.{service.lower().replace('_', '-')}")

    def _location(self, s: location_pb2.stream_location) -> Event:
        where = loc.WifiClientLocation(
            x=s.sta_location_x * FEET,
            y=s.sta_location_y * FEET,
            sta_eth_mac=_mac(s.sta_eth_mac),
            building_id=s.building_id_string,
            floor_id=s.floor_id_string,
            associated=s.associated,
        )
        if s.HasField("error_level"):
            where.error_level = s.error_level * FEET
        return Event(
            loc.StreamLocationMessage(wifi_client_location=where),
            f"{SERVICES}.wifi-client-locations.created",
        )

    def _geofence(self, g: location_pb2.stream_geofence_notify) -> Event:
        crossing = geo.WifiClientGeofence(
            zone_id=bytes(g.geofence_id).hex(),
            event_type=(
                geo.WifiClientGeofence.EVENT_TYPE_ENTER
                if g.geofence_event == location_pb2.ZONE_IN
                else geo.WifiClientGeofence.EVENT_TYPE_EXIT
            ),
            sta_eth_mac=_mac(g.sta_eth_mac),
            dwell_time_in_seconds=g.dwell_time,
        )
        return Event(
            geo.StreamGeofenceMessage(wifi_client_geofence=crossing),
            f"{SERVICES}.wifi-client-geofence-crossed",
        )

    def _rssi(self, p: presence_pb2.presence_event) -> Iterator[Event]:
        for item in p.pa_rssi_event.rssi:
            if item.is_ap:
                continue
            heard = rssi.ClientRssi(
                client_mac=_mac(item.sta_eth_mac),
                ap_serial=item.device_id,
                rssi_val=-abs(item.rssi_val),
                associated=item.associated,
            )
            yield Event(rssi.RssiEvent(raw_rssi=heard), f"{SERVICES}.rssi.raw-rssi")


def cloud_event(event: Event, *, event_id: str, tenant: str, time_ns: int) -> bytes:
    """One WebSocket frame: the CloudEvent carrying `event`."""
    cloud = event_pb2.CloudEvent(
        id=event_id, source="//central.simulator", specversion="1.0", type=event.type
    )
    cloud.proto_data.Pack(event.payload)
    cloud.time.FromNanoseconds(time_ns)
    cloud.attributes["subject"].ce_string = tenant
    cloud.datacontenttype = "application/protobuf"
    return cloud.SerializeToString()
