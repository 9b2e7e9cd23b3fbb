"""Where New Central's streams feed each metric and state-change event, for the docs.

New Central's state and statistics are translated into the Classic messages the
catalogue reads (`central_otel.new_central.translate`), so a metric has one spec and
two sources; this table names the New Central one (docs/metrics.md shows both). An
empty entry: New Central's streams carry nothing for it. A test keeps the table and the
catalogue in step. Events whose New Central payload is mapped directly name it in
their own sources.
"""

from __future__ import annotations

NONE = ""

METRIC_SOURCES: dict[str, str] = {
    "system.cpu.utilization": "ap-events: APSystemStat.cpu_utilization (rounded); "
    "switch-events: DeviceStats.cpu_utilization",
    "system.memory.usage": "switch-events: DeviceStats: mem_total - mem_free, mem_free",
    "system.memory.limit": "switch-events: DeviceStats.mem_total",
    "system.memory.utilization": "ap-events: APSystemStat.memory_utilization (rounded); "
    "switch-events: DeviceStats.mem_utilization",
    "system.uptime": "switch-events: DeviceStats.uptime",
    "aruba.device.power": "ap-events: APSystemStat.power_consumption (rounded); "
    "switch-events: DeviceStats.power_consumption",
    "aruba.device.power.limit": "switch-events: DeviceStats.max_power",
    "aruba.device.temperature": "switch-events: DeviceStats.temperature",
    "aruba.device.fan.speed": "switch-events: DeviceStats.fan_speed",
    "aruba.poe.usage": "switch-events: DeviceStats.poe_consumption",
    "aruba.poe.limit": NONE,
    "aruba.device.status": "ap-events: APInfo.status; switch-events: Switch.status",
    "aruba.radio.io": "ap-events: RadioStat: tx_bytes, rx_bytes",
    "aruba.radio.packet.dropped": "ap-events: RadioStat.total_frame_drops",
    "aruba.radio.errors": NONE,
    "aruba.radio.utilization": "ap-events: RadioStat.total_utilization",
    "aruba.radio.noise_floor": "ap-events: RadioStat.noise_floor",
    "aruba.radio.tx_power": "ap-events: RadioInfo.transmit_power (state, carried to the "
    "radio's stats)",
    "system.network.io": "ap-events: PortStat: tx_bytes, rx_bytes; switch-events: "
    "InterfaceStats: tx_bytes, rx_bytes",
    "system.network.packet.count": "ap-events: PortStat: tx_pkts, rx_pkts; switch-events: "
    "InterfaceStats: out_packets, in_packets",
    "system.network.errors": "ap-events: PortStat.total_frame_errors (receive); "
    "switch-events: InterfaceStats: out_errors, in_errors",
    "system.network.packet.dropped": "ap-events: PortStat.total_frame_drops (receive); "
    "switch-events: InterfaceStats: out_discards, in_discards",
    "aruba.interface.power": "switch-events: InterfaceStats.power_consumption",
    "aruba.interface.status": "ap-events: PortInfo.operate_state; switch-events: "
    "Interface.oper_status",
    "aruba.vap.io": "ap-events: VapStat: tx_bytes, rx_bytes",
    "aruba.ssid.io": "ap-events: SsidStat: tx_bytes, rx_bytes",
    "aruba.role.io": "ap-events: RoleStat: tx_bytes, rx_bytes",
    "aruba.vlan.io": "ap-events: VlanStat: tx_bytes, rx_bytes",
    "aruba.modem.io": "ap-events: ModemStat: tx_bytes, rx_bytes",
    "aruba.client.io": "clients-events: ClientStats: tx_bytes, rx_bytes",
    "aruba.client.retries": "clients-events: ClientStats: tx_retry_frames, rx_retry_frames",
    "aruba.client.signal_strength": NONE,
    "aruba.client.snr": "clients-events: ClientStats.snr",
    "aruba.client.link_speed": "clients-events: ClientStats.speed",
    "aruba.tunnel.io": "ap-events: TunnelStat: tx_bytes, rx_bytes (the AP's serial as "
    "`aruba.swarm.id`, the tunnel index as `aruba.tunnel.id`)",
    "aruba.tunnel.status": "ap-events: TunnelInfo.status (CONNECTED: up)",
    "aruba.tunnel.probe.loss": "ap-events: IPProbeStat.loss_percentage",
    "aruba.uplink.io": NONE,
    "aruba.uplink.tunnel.io": NONE,
    "aruba.uplink.wan.io": NONE,
    "aruba.uplink.latency": NONE,
    "aruba.uplink.jitter": NONE,
    "aruba.uplink.loss": NONE,
    "aruba.uplink.mos": NONE,
    "aruba.uplink.speedtest.bandwidth": NONE,
    "aruba.uplink.status": NONE,
    "aruba.presence.station.count": NONE,
    "aruba.client.count": "clients-events: ClientState (wireless, CONNECTED)",
    "aruba.wired_client.count": "clients-events: ClientState (wired, CONNECTED)",
}

# The state-change events (message-borne ones name their New Central payload in their
# own sources).
EVENT_SOURCES: dict[str, str] = {
    "aruba.client.connected": "clients-events: ClientState (status CONNECTED)",
    "aruba.client.disconnected": "clients-events: ClientState (status DISCONNECTED, "
    "FAILED or BLOCKED)",
    "aruba.device.down": "ap-events: APInfo.status; switch-events: Switch.status",
    "aruba.device.up": "ap-events: APInfo.status; switch-events: Switch.status",
    "aruba.interface.down": "ap-events: PortInfo.operate_state; switch-events: "
    "Interface.oper_status",
    "aruba.interface.up": "ap-events: PortInfo.operate_state; switch-events: Interface.oper_status",
    "aruba.tunnel.down": "ap-events: TunnelInfo.status",
    "aruba.tunnel.up": "ap-events: TunnelInfo.status",
}
