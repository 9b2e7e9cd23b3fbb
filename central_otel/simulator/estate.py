"""A synthetic Aruba estate: sites, APs with radios and VAPs, switches, gateways, clients.

Everything is derived from a seeded `random.Random`, so the same scale and seed give
the same serials, MACs, IPs and names on every run. Addresses come from ranges that
cannot reach anything real: 10.0.0.0/8 inside sites, 2001:db8::/32 for IPv6, and the
documentation ranges 203.0.113.0/24 and 198.51.100.0/24 for "public" uplink IPs.

Encodings chosen here where Aruba does not document them (see docs/simulator.md):
radio ``band`` 0 = 2.4 GHz, 1 = 5 GHz, 2 = 6 GHz; ``channel_width`` in MHz; radio
``index`` 0 = 5 GHz, 1 = 2.4 GHz, 2 = 6 GHz (Aruba's radio numbering).
"""

from __future__ import annotations

import ipaddress
import random
import string
from dataclasses import dataclass, field
from typing import ClassVar

BAND_2_4GHZ = 0
BAND_5GHZ = 1
BAND_6GHZ = 2
BAND_NAMES = {BAND_2_4GHZ: "2.4GHz", BAND_5GHZ: "5GHz", BAND_6GHZ: "6GHz"}

# Interface.SpeedType values of monitoring.proto (kept numeric: no proto import here).
SPEED_1000 = 4
SPEED_10000 = 5

DEFAULT_SSIDS: tuple[str, ...] = ("Corp", "Café-Guest", "IoT")
MAX_SSIDS = 8  # one radio MAC block holds 8 BSSIDs
MAX_SITES = 250  # one 10.<site>.0.0/16 each

# Aruba (HPE) OUIs for infrastructure; client OUIs of common vendors.
_ARUBA_AP_OUIS = ("20:4c:03", "24:de:c6", "6c:f3:7f", "94:b4:0f", "d8:c7:c8", "f0:5c:19")
_ARUBA_SWITCH_OUIS = ("38:21:c7", "88:3a:30", "b8:3a:5a")
_ARUBA_GATEWAY_OUIS = ("00:0b:86", "20:4c:03")
_ROGUE_OUIS = ("50:c7:bf", "a0:40:a0", "24:a4:3c", "00:1d:7e", "c8:3a:35")

# (os_type, manufacturer, OUI or None for a randomised (locally administered) MAC, name style)
_DEVICE_KINDS: tuple[tuple[str, str, str | None, str], ...] = (
    ("iOS", "Apple", None, "iphone"),
    ("iOS", "Apple", "3c:22:fb", "iphone"),
    ("macOS", "Apple", "a4:83:e7", "macbook"),
    ("macOS", "Apple", "f0:18:98", "macbook"),
    ("Android", "Samsung", None, "galaxy"),
    ("Android", "Google", "3c:5a:b4", "pixel"),
    ("Windows 11", "Intel", "00:1b:21", "laptop"),
    ("Windows 10", "Dell", "f8:bc:12", "laptop"),
    ("ChromeOS", "Google", None, "chromebook"),
    ("Linux", "Raspberry Pi", "b8:27:eb", "linux"),
)
_IOT_KINDS: tuple[tuple[str, str, str | None, str], ...] = (
    ("Embedded", "Espressif", "24:0a:c4", "esp"),
    ("Embedded", "HP", "3c:d9:2b", "printer"),
    ("Linux", "Raspberry Pi", "dc:a6:32", "linux"),
)
_WIRED_KINDS: tuple[tuple[str, str, str | None, str], ...] = (
    ("Windows 11", "Dell", "f8:bc:12", "desktop"),
    ("Embedded", "HP", "3c:d9:2b", "printer"),
    ("Embedded", "Poly", "64:16:7f", "phone"),
)
_FIRST_NAMES = (
    "ana", "ben", "chloe", "david", "elif", "femi", "grace", "hiro", "ines", "jonas",
    "kavya", "lea", "mateo", "nora", "omar", "priya", "quentin", "rosa", "sven", "tariq",
    "uma", "vera", "wei", "xavier", "yara", "zoe",
)  # fmt: skip
_LAST_NAMES = (
    "smith", "muller", "garcia", "rossi", "kowalski", "tanaka", "nguyen", "silva", "dubois",
    "jensen", "okafor", "haddad", "novak", "larsen", "moreau", "schmidt",
)  # fmt: skip
_SITE_NAMES = (
    ("HQ", "hq"), ("Zürich", "zrh"), ("Lyon", "lyo"), ("Austin", "aus"), ("Osaka", "osa"),
    ("São Paulo", "sao"), ("Berlin", "ber"), ("Toronto", "yyz"), ("Nairobi", "nbo"),
    ("Melbourne", "mel"), ("Dublin", "dub"), ("Pune", "pnq"),
)  # fmt: skip
_ROGUE_SSIDS = (
    "FreeWiFi", "DIRECT-7F-HP M479 LaserJet", "AndroidAP_4821", "xfinitywifi",
    "Linksys01234", "NETGEAR-5G", "iPhone de Marie",
)  # fmt: skip
_CHANNELS = {
    BAND_2_4GHZ: (("1", 20), ("6", 20), ("11", 20)),
    BAND_5GHZ: (("36", 80), ("52", 80), ("100", 80), ("116", 80), ("149", 80), ("44", 40)),
    BAND_6GHZ: (("37", 160), ("69", 160), ("101", 160), ("133", 160), ("5", 80), ("21", 80)),
}
_PHY = {BAND_2_4GHZ: ("802.11n", 144), BAND_5GHZ: ("802.11ax", 1201), BAND_6GHZ: ("802.11ax", 2402)}
AP_FIRMWARE = "10.6.0.3_91264"
GATEWAY_FIRMWARE = "10.6.0.3_91264"
SWITCH_FIRMWARE = "FL.10.13.1010"
VPNC_IPS = (bytes([172, 16, 0, 1]), bytes([172, 16, 0, 2]))
WIRED_VLAN = 100
MGMT_VLAN = 1


@dataclass(frozen=True, slots=True)
class EstateScale:
    """How big the simulated estate is. Presets: `small` (the default), `medium`, `large`."""

    sites: int = 1
    aps_per_site: int = 4
    switches_per_site: int = 1
    gateways_per_site: int = 1
    clients_per_ap: int = 5
    ssids: tuple[str, ...] = DEFAULT_SSIDS
    radios_per_ap: int = 3
    wired_clients_per_switch: int = 2
    ports_per_switch: int = 24

    PRESETS: ClassVar[tuple[str, ...]] = ("small", "medium", "large")

    def __post_init__(self) -> None:
        object.__setattr__(self, "ssids", tuple(self.ssids))
        limits = {
            "sites": (1, MAX_SITES),
            "aps_per_site": (0, 2000),
            "switches_per_site": (0, 40),
            "gateways_per_site": (0, 4),
            "clients_per_ap": (0, 200),
            "wired_clients_per_switch": (0, 48),
            "ports_per_switch": (8, 52),
        }
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"EstateScale.{name} must be an integer in {low}..{high}")
        if self.radios_per_ap not in (2, 3):
            raise ValueError("EstateScale.radios_per_ap must be 2 (2.4/5 GHz) or 3 (+6 GHz)")
        if not 1 <= len(self.ssids) <= MAX_SSIDS:
            raise ValueError(f"EstateScale.ssids must name 1..{MAX_SSIDS} SSIDs")
        if len(set(self.ssids)) != len(self.ssids):
            raise ValueError("EstateScale.ssids must be unique")
        for ssid in self.ssids:
            text: object = ssid
            if not isinstance(text, str) or not 1 <= len(text.encode("utf-8")) <= 32:
                raise ValueError(f"SSID {ssid!r} must be 1..32 bytes of UTF-8")
        if self.aps_per_site * self.clients_per_ap > 4000:
            raise ValueError(
                "at most 4000 wireless clients per site (aps_per_site * clients_per_ap)"
            )

    @classmethod
    def small(cls) -> EstateScale:
        """1 site, 4 APs, 1 switch, 1 gateway, 5 clients per AP (20 clients)."""
        return cls()

    @classmethod
    def medium(cls) -> EstateScale:
        """10 sites, 200 APs, 20 switches, 10 gateways, 3000 clients."""
        return cls(10, 20, 2, 1, 15, wired_clients_per_switch=4, ports_per_switch=48)

    @classmethod
    def large(cls) -> EstateScale:
        """200 sites, 10 000 APs, 800 switches, 400 gateways, 200 000 clients."""
        return cls(200, 50, 4, 2, 20, wired_clients_per_switch=8, ports_per_switch=48)

    @classmethod
    def preset(cls, name: str) -> EstateScale:
        """The preset called `name` (``small``, ``medium`` or ``large``)."""
        if name not in cls.PRESETS:
            raise ValueError(
                f"unknown estate scale {name!r} (choose from {', '.join(cls.PRESETS)})"
            )
        scale: EstateScale = getattr(cls, name)()
        return scale

    @property
    def ap_count(self) -> int:
        return self.sites * self.aps_per_site

    @property
    def client_count(self) -> int:
        return self.ap_count * self.clients_per_ap


@dataclass(slots=True)
class Zone:
    """A geofence zone on a site's floor plan (coordinates in feet)."""

    zone_id: bytes
    name: str
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass(slots=True)
class Rogue:
    """A neighbouring AP that is not ours."""

    bssid: bytes
    ssid: str
    channel: int
    encryption: int  # RogueEvent.wms_snmp_encr_protocol: 0 open .. 3 WPA2
    vendor: str


@dataclass(slots=True)
class Radio:
    index: int
    band: int
    mac: bytes
    channel: str
    width: int  # MHz
    tx_power: int  # dBm
    noise_floor: int  # magnitude of the dBm value, as monitoring's uint32 carries it
    up: bool = True

    def bssid(self, ssid_index: int) -> bytes:
        """The BSSID of the VAP for SSID number `ssid_index`: the radio MAC plus the index."""
        return _mac_plus(self.mac, ssid_index)


@dataclass(slots=True)
class Port:
    """A switch or gateway port (an `Interface` in monitoring)."""

    device_serial: str
    name: str
    index: int
    mac: bytes
    speed: int  # Interface.SpeedType
    vlan: int
    poe: bool
    up: bool
    neighbour: str | None = None  # serial of the device plugged in (LLDP)
    neighbour_port: str | None = None


@dataclass(slots=True, eq=False)
class Device:
    """What every managed device has: its identity, address, model and software, its site,
    when it booted and whether it is up."""

    serial: str
    name: str
    mac: bytes
    ip: bytes
    model: str
    firmware: str
    site: Site = field(repr=False)
    boot_time: float
    up: bool = field(default=True, kw_only=True)


@dataclass(slots=True, eq=False)
class AccessPoint(Device):
    radios: list[Radio]
    swarm_master: bool
    x: float
    y: float
    uplink: Port | None = field(default=None, repr=False)
    clients: dict[bytes, Client] = field(default_factory=dict, repr=False)


@dataclass(slots=True, eq=False)
class Switch(Device):
    ports: list[Port]


@dataclass(slots=True)
class Uplink:
    link_index: int
    name: str
    description: str
    vlan: int
    priority: int
    public_ip: bytes
    private_ip: bytes


@dataclass(slots=True)
class GatewayTunnel:
    """An IPsec tunnel from a gateway uplink to the data-centre VPNC."""

    tunnel_id: int
    name: str
    index: int  # TunnelIndex: 0 primary, 1 backup
    link_index: int
    peer_ip: bytes


@dataclass(slots=True, eq=False)
class Gateway(Device):
    ports: list[Port]
    uplinks: list[Uplink]
    tunnels: list[GatewayTunnel]
    vlans: list[int]
    modem: bool


@dataclass(slots=True)
class SwarmTunnel:
    """A tunnel from a site's Instant AP cluster (swarm) to one of its gateways."""

    tunnel_id: int
    index: int  # TunnelIndex
    peer_name: str
    peer_ip: bytes
    tunnel_ip: bytes
    crypto: int  # CryptoType: 0 CA_CERT, 1 PSK


@dataclass(slots=True, eq=False)
class Site:
    index: int
    name: str
    slug: str
    swarm_id: str
    vc_ip: bytes
    campus_id: str
    building_id: str
    floor_id: str
    width: float
    height: float
    zones: list[Zone] = field(default_factory=list)
    aps: list[AccessPoint] = field(default_factory=list, repr=False)
    switches: list[Switch] = field(default_factory=list, repr=False)
    gateways: list[Gateway] = field(default_factory=list, repr=False)
    tunnels: list[SwarmTunnel] = field(default_factory=list, repr=False)
    rogues: list[Rogue] = field(default_factory=list, repr=False)
    passersby: list[bytes] = field(default_factory=list, repr=False)
    next_client_host: int = 10


@dataclass(slots=True, eq=False)
class Client:
    """A wireless client associated to an AP radio on one SSID."""

    mac: bytes
    name: str
    ip4: bytes
    ip6: bytes | None  # set for clients that Central reports by their IPv6 address
    ssid_index: int
    ssid: str
    ap: AccessPoint = field(repr=False)
    radio: Radio = field(repr=False)
    os_type: str
    manufacturer: str
    username: str | None
    role: str
    vlan: int
    connection: str
    maxspeed: int
    x: float
    y: float
    since: float
    zone: Zone | None = field(default=None, repr=False)
    zone_since: float = 0.0

    @property
    def ip(self) -> bytes:
        """The address monitoring reports: IPv6 for the IPv6 clients, else IPv4."""
        return self.ip6 if self.ip6 is not None else self.ip4


@dataclass(slots=True, eq=False)
class WiredClient:
    mac: bytes
    name: str
    ip: bytes
    port: Port  # the switch access port it is plugged into
    role: str
    vlan: int
    auth_type: int  # monitoring AuthType: 2 MAC_AUTH, 23 DOT1X_WIRED
    manufacturer: str


def ssid_security(ssid: str, index: int) -> tuple[str, str]:
    """(security, type) of a WLAN as Central's `Network` reports them."""
    lowered = ssid.lower()
    if "guest" in lowered:
        return "enhanced-open", "guest"
    if "iot" in lowered:
        return "wpa2-psk-aes", "employee"
    return ("wpa3-aes-ccm-128" if index == 0 else "wpa2-aes"), "employee"


def _ssid_role(ssid: str, rng: random.Random) -> str:
    lowered = ssid.lower()
    if "guest" in lowered:
        return "guest"
    if "iot" in lowered:
        return "iot"
    return "contractor" if rng.random() < 0.1 else "employee"


def _mac_plus(mac: bytes, offset: int) -> bytes:
    return ((int.from_bytes(mac, "big") + offset) % (1 << 48)).to_bytes(6, "big")


def _oui(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def _ip4(value: int) -> bytes:
    return value.to_bytes(4, "big")


def _site_base(site: int) -> int:
    return (10 << 24) | (site << 16)


def _hex_id(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def _base36(value: int, width: int) -> str:
    digits = string.digits + string.ascii_uppercase
    out = ""
    for _ in range(width):
        value, digit = divmod(value, 36)
        out = digits[digit] + out
    return out


class Estate:
    """The devices and clients of one simulated customer.

    Built once per customer; the traffic generator then mutates it (clients join and
    leave, APs go down and come back) and reads it to produce every topic's messages.
    """

    def __init__(self, scale: EstateScale, seed: str, now: float) -> None:
        self.scale = scale
        self.rng = random.Random(f"{seed}:estate")
        self.sites: list[Site] = []
        self.aps: list[AccessPoint] = []
        self.switches: list[Switch] = []
        self.gateways: list[Gateway] = []
        self.clients: dict[bytes, Client] = {}
        self.wired_clients: list[WiredClient] = []
        self.aps_by_serial: dict[str, AccessPoint] = {}
        self._serial_prefix = self.rng.choice("BFHJKLMNPR") + self.rng.choice("0123456789")
        self._next_tunnel_id = 1
        self._nic_base = self.rng.randrange(1 << 18) << 6
        self._serial_base = self.rng.randrange(36**4)
        for index in range(scale.sites):
            self._build_site(index, now)

    # -- queries -----------------------------------------------------------------

    def ap(self, serial: str) -> AccessPoint:
        try:
            return self.aps_by_serial[serial]
        except KeyError:
            raise KeyError(f"no AP with serial {serial!r} in this estate") from None

    @property
    def devices(self) -> list[AccessPoint | Switch | Gateway]:
        return [*self.gateways, *self.switches, *self.aps]

    # -- clients -----------------------------------------------------------------

    def add_client(
        self, rng: random.Random, now: float, ap: AccessPoint | None = None
    ) -> Client | None:
        """A new wireless client on `ap` (default: a random AP that is up), or None if none is."""
        if ap is None:
            candidates = [candidate for candidate in self.aps if candidate.up]
            if not candidates:
                return None
            ap = rng.choice(candidates)
        elif not ap.up:
            return None
        client = self._make_client(rng, ap, now)
        ap.clients[client.mac] = client
        self.clients[client.mac] = client
        return client

    def attach(self, client: Client, now: float) -> bool:
        """Associate a known client again to its AP (after the AP came back)."""
        if client.mac in self.clients or not client.ap.up:
            return False
        client.since = now
        client.ap.clients[client.mac] = client
        self.clients[client.mac] = client
        return True

    def remove_client(self, mac: bytes) -> Client | None:
        client = self.clients.pop(mac, None)
        if client is not None:
            client.ap.clients.pop(mac, None)
        return client

    # -- building ----------------------------------------------------------------

    def _serial(self, kind: str, number: int) -> str:
        # 10 characters like Aruba's (e.g. CNF7JSS001): factory prefix, type, sequence.
        prefix = "SG" if kind == "S" else "CN"
        return f"{prefix}{self._serial_prefix}{kind}{_base36(self._serial_base + number, 5)}"

    def _build_site(self, index: int, now: float) -> None:
        rng = self.rng
        scale = self.scale
        if index < len(_SITE_NAMES):
            name, slug = _SITE_NAMES[index]
        else:
            name, slug = f"Site {index + 1:03d}", f"s{index + 1:03d}"
        base = _site_base(index)
        site = Site(
            index=index,
            name=name,
            slug=slug,
            swarm_id=_hex_id(rng, 40),
            vc_ip=_ip4(base + 256 + 2),
            campus_id=_hex_id(rng, 32),
            building_id=_hex_id(rng, 32),
            floor_id=_hex_id(rng, 32),
            width=240.0,
            height=160.0,
        )
        for zone_index, zone_name in enumerate(("Lobby", "Cafeteria", "Conference-A")):
            x0 = 10.0 + zone_index * 80.0
            site.zones.append(Zone(rng.randbytes(16), zone_name, x0, 10.0, x0 + 60.0, 70.0))
        self.sites.append(site)

        for number in range(scale.gateways_per_site):
            self._build_gateway(site, number, now)
        for number in range(scale.switches_per_site):
            self._build_switch(site, number, now)
        for number in range(scale.aps_per_site):
            self._build_ap(site, number, now)
        for number, gateway in enumerate(site.gateways):
            site.tunnels.append(
                SwarmTunnel(
                    tunnel_id=self._tunnel_id(),
                    index=0 if number == 0 else 1,
                    peer_name=gateway.name,
                    peer_ip=gateway.ip,
                    tunnel_ip=_ip4(base + 250 * 256 + 1 + number),
                    crypto=rng.choice((0, 1)),
                )
            )
        for _ in range(3):
            site.rogues.append(
                Rogue(
                    bssid=_oui(rng.choice(_ROGUE_OUIS)) + rng.randbytes(3),
                    ssid=rng.choice(_ROGUE_SSIDS),
                    channel=int(rng.choice(("1", "6", "11", "36", "149"))),
                    encryption=rng.choice((0, 2, 3, 3)),
                    vendor=rng.choice(("TP-Link", "NETGEAR", "Ubiquiti", "Linksys", "Cisco")),
                )
            )
        site.passersby = [_random_mac(rng) for _ in range(12)]
        for ap in site.aps:
            for _ in range(scale.clients_per_ap):
                self.add_client(rng, now, ap)
        for switch in site.switches:
            self._build_wired_clients(site, switch)

    def _nic(self, offset: int) -> bytes:
        """The NIC-specific half of an infrastructure MAC (distinct per device, per estate)."""
        return ((self._nic_base + offset) % (1 << 24)).to_bytes(3, "big")

    def _tunnel_id(self) -> int:
        value = self._next_tunnel_id
        self._next_tunnel_id += 1
        return value

    def _build_gateway(self, site: Site, number: int, now: float) -> None:
        rng = self.rng
        serial = self._serial("G", len(self.gateways))
        base = _site_base(site.index)
        mac = _oui(rng.choice(_ARUBA_GATEWAY_OUIS)) + self._nic((1 << 23) + len(self.gateways) * 8)
        modem = number == 0
        public_octet = (site.index * 4 + number * 2) % 250 + 1
        uplinks = [
            Uplink(1, "wan1", "Internet (fibre)", 4094, 1, bytes([203, 0, 113, public_octet]),
                   _ip4(base + 254 * 256 + 2 + number * 4)),
            Uplink(2, "wan2", "Internet (LTE backup)" if modem else "MPLS", 4093, 2,
                   bytes([198, 51, 100, public_octet]), _ip4(base + 253 * 256 + 2 + number * 4)),
        ]  # fmt: skip
        name = f"{site.slug}-gw-{number + 1:02d}"
        tunnels = [
            GatewayTunnel(
                self._tunnel_id(), f"{name}_{uplink.name}_vpnc", i, uplink.link_index, VPNC_IPS[i]
            )
            for i, uplink in enumerate(uplinks)
        ]
        ports = [
            Port(serial, f"0/0/{i}", i, _mac_plus(mac, i + 1), SPEED_1000, MGMT_VLAN, False, True)
            for i in range(4)
        ]
        gateway = Gateway(
            serial=serial,
            name=name,
            mac=mac,
            ip=_ip4(base + 1 + number),
            model="9004-LTE" if modem else "9012",
            firmware=GATEWAY_FIRMWARE,
            site=site,
            ports=ports,
            uplinks=uplinks,
            tunnels=tunnels,
            vlans=[MGMT_VLAN, *(10 * (i + 1) for i in range(len(self.scale.ssids))), WIRED_VLAN],
            modem=modem,
            boot_time=now - rng.uniform(3, 90) * 86400,
        )
        site.gateways.append(gateway)
        self.gateways.append(gateway)

    def _build_switch(self, site: Site, number: int, now: float) -> None:
        rng = self.rng
        serial = self._serial("S", len(self.switches))
        count = self.scale.ports_per_switch
        mac = _oui(rng.choice(_ARUBA_SWITCH_OUIS)) + self._nic(len(self.switches) * 64)
        model = (
            "6200F 24G CL4 PoE 4SFP+ 370W (JL725A)"
            if count <= 28
            else "6300M 48G CL4 PoE 4SFP56 (JL661A)"
        )
        switch = Switch(
            serial=serial,
            name=f"{site.slug}-sw-{number + 1:02d}",
            mac=mac,
            ip=_ip4(_site_base(site.index) + 10 + number),
            model=model,
            firmware=SWITCH_FIRMWARE,
            site=site,
            ports=_switch_ports(serial, mac, count),
            boot_time=now - rng.uniform(3, 120) * 86400,
        )
        site.switches.append(switch)
        self.switches.append(switch)

    def _build_ap(self, site: Site, number: int, now: float) -> None:
        rng = self.rng
        scale = self.scale
        serial = self._serial("J", len(self.aps))
        # A block of 32 MACs per AP: eth0, then one block of 8 per radio (radio MAC = BSSID 0).
        mac = _oui(rng.choice(_ARUBA_AP_OUIS)) + self._nic(len(self.aps) * 32)
        bands = (BAND_5GHZ, BAND_2_4GHZ, BAND_6GHZ)[: scale.radios_per_ap]
        radios = []
        for index, band in enumerate(bands):
            channel, width = rng.choice(_CHANNELS[band])
            radios.append(
                Radio(
                    index=index,
                    band=band,
                    mac=_mac_plus(mac, 8 * (index + 1)),
                    channel=channel,
                    width=width,
                    tx_power=rng.randint(9, 21),
                    noise_floor=rng.randint(91, 97),
                )
            )
        models = (
            ("AP-635", "AP-655") if scale.radios_per_ap == 3 else ("AP-505", "AP-515", "AP-535")
        )
        columns = max(1, round((scale.aps_per_site * site.width / site.height) ** 0.5))
        rows = max(1, -(-scale.aps_per_site // columns))
        ap = AccessPoint(
            serial=serial,
            name=f"{site.slug}-ap-{number + 1:02d}",
            mac=mac,
            ip=_ip4(_site_base(site.index) + 256 + 10 + number),
            model=rng.choice(models),
            firmware=AP_FIRMWARE,
            site=site,
            radios=radios,
            swarm_master=number == 0,
            x=round(site.width * ((number % columns) + 0.5) / columns, 1),
            y=round(site.height * ((number // columns) + 0.5) / rows, 1),
            boot_time=now - rng.uniform(1, 60) * 86400,
        )
        switches = site.switches
        if switches:
            switch = switches[number % len(switches)]
            slot = number // len(switches)
            if slot < len(switch.ports) - 2:
                port = switch.ports[slot]
                port.up = True
                port.neighbour, port.neighbour_port = ap.serial, "eth0"
                ap.uplink = port
        site.aps.append(ap)
        self.aps.append(ap)
        self.aps_by_serial[serial] = ap

    def _make_client(self, rng: random.Random, ap: AccessPoint, now: float) -> Client:
        site = ap.site
        ssids = self.scale.ssids
        ssid_index = rng.randrange(len(ssids))
        ssid = ssids[ssid_index]
        iot = "iot" in ssid.lower()
        os_type, manufacturer, oui, style = rng.choice(_IOT_KINDS if iot else _DEVICE_KINDS)
        while True:
            mac = _random_mac(rng) if oui is None else _oui(oui) + rng.randbytes(3)
            if mac not in self.clients:
                break
        radio = _pick_radio(rng, ap.radios, iot)
        role = _ssid_role(ssid, rng)
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        host = site.next_client_host
        site.next_client_host = 10 + (host - 10 + 1) % 4000
        vlan = 10 * (ssid_index + 1)
        ip4 = _ip4(_site_base(site.index) + ((16 * (ssid_index + 1)) << 8) + host)
        ip6 = None
        if not iot and rng.random() < 0.15:
            ip6 = ipaddress.IPv6Address(f"2001:db8:{site.index:x}:{vlan:x}::{host:x}").packed
        connection, maxspeed = _PHY[radio.band]
        return Client(
            mac=mac,
            name=_client_name(rng, style, first, mac),
            ip4=ip4,
            ip6=ip6,
            ssid_index=ssid_index,
            ssid=ssid,
            ap=ap,
            radio=radio,
            os_type=os_type,
            manufacturer=manufacturer,
            username=f"{first}.{last}@example.com" if role in ("employee", "contractor") else None,
            role=role,
            vlan=vlan,
            connection=connection,
            maxspeed=maxspeed,
            x=_clamp(ap.x + rng.gauss(0, 12), 0, site.width),
            y=_clamp(ap.y + rng.gauss(0, 12), 0, site.height),
            since=now,
        )

    def _build_wired_clients(self, site: Site, switch: Switch) -> None:
        rng = self.rng
        free = [port for port in switch.ports[:-2] if port.neighbour is None]
        for port in free[: self.scale.wired_clients_per_switch]:
            _os, manufacturer, oui, style = rng.choice(_WIRED_KINDS)
            mac = _oui(oui or "f8:bc:12") + rng.randbytes(3)
            port.up = True
            self.wired_clients.append(
                WiredClient(
                    mac=mac,
                    name=_client_name(rng, style, rng.choice(_FIRST_NAMES), mac),
                    ip=_ip4(
                        _site_base(site.index)
                        + ((16 * 9) << 8)
                        + 10
                        + len(self.wired_clients) % 4000
                    ),
                    port=port,
                    role="wired-employee" if style == "desktop" else "wired-device",
                    vlan=WIRED_VLAN,
                    auth_type=23 if style == "desktop" else 2,
                    manufacturer=manufacturer,
                )
            )


def _switch_ports(serial: str, mac: bytes, count: int) -> list[Port]:
    """Access ports (PoE, wired VLAN, down until something is plugged in), then the two
    uplinks (10G, management VLAN, up)."""
    ports = []
    for i in range(count):
        uplink = i >= count - 2
        ports.append(
            Port(
                device_serial=serial,
                name=f"1/1/{i + 1}",
                index=i + 1,
                mac=_mac_plus(mac, i + 1),
                speed=SPEED_10000 if uplink else SPEED_1000,
                vlan=MGMT_VLAN if uplink else WIRED_VLAN,
                poe=not uplink,
                up=uplink,
            )
        )
    return ports


def _pick_radio(rng: random.Random, radios: list[Radio], iot: bool) -> Radio:
    if iot:
        return next(radio for radio in radios if radio.band == BAND_2_4GHZ)
    weights = {BAND_5GHZ: 6, BAND_2_4GHZ: 2, BAND_6GHZ: 2}
    return rng.choices(radios, weights=[weights[radio.band] for radio in radios])[0]


def _random_mac(rng: random.Random) -> bytes:
    """A randomised (locally administered, unicast) MAC, as phones use per network."""
    first = (rng.randrange(256) & 0xFC) | 0x02
    return bytes([first]) + rng.randbytes(5)


def _client_name(rng: random.Random, style: str, first: str, mac: bytes) -> str:
    tail = mac[-3:].hex()
    match style:
        case "iphone":
            return f"{first.capitalize()}s-iPhone"
        case "macbook":
            return f"{first.capitalize()}s-MacBook-Pro"
        case "galaxy":
            return rng.choice(("Galaxy-S23", "Galaxy-A54", "Galaxy-S24-Ultra"))
        case "pixel":
            return rng.choice(("Pixel-8", "Pixel-7a"))
        case "laptop" | "desktop":
            return "LAPTOP-" + "".join(
                rng.choice(string.ascii_uppercase + string.digits) for _ in range(7)
            )
        case "chromebook":
            return f"chromebook-{tail}"
        case "esp":
            return f"esp32-{tail}"
        case "printer":
            return f"HP-LaserJet-{tail.upper()}"
        case "phone":
            return f"SEP{mac.hex().upper()}"
        case _:
            return f"raspberrypi-{tail}"


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(max(value, low), high), 1)
