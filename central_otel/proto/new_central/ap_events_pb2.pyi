from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventOperation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_OPERATION_UNSPECIFIED: _ClassVar[EventOperation]
    EVENT_OPERATION_ADD: _ClassVar[EventOperation]
    EVENT_OPERATION_UPDATE: _ClassVar[EventOperation]
    EVENT_OPERATION_DELETE: _ClassVar[EventOperation]

class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATUS_UNSPECIFIED: _ClassVar[Status]
    STATUS_UP: _ClassVar[Status]
    STATUS_DOWN: _ClassVar[Status]
    STATUS_DISABLED: _ClassVar[Status]

class APMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AP_MODE_UNSPECIFIED: _ClassVar[APMode]
    AP_MODE_ACCESS: _ClassVar[APMode]
    AP_MODE_MONITOR: _ClassVar[APMode]
    AP_MODE_DEDICATED_SPECTRUM: _ClassVar[APMode]
    AP_MODE_HYBRID_SPECTRUM: _ClassVar[APMode]

class APRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AP_ROLE_UNSPECIFIED: _ClassVar[APRole]
    AP_ROLE_MEMBER: _ClassVar[APRole]
    AP_ROLE_CONDUCTOR: _ClassVar[APRole]

class APOpMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AP_OP_MODE_UNSPECIFIED: _ClassVar[APOpMode]
    AP_OP_MODE_CLUSTER: _ClassVar[APOpMode]
    AP_OP_MODE_STANDALONE: _ClassVar[APOpMode]

class MeshRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESH_ROLE_UNSPECIFIED: _ClassVar[MeshRole]
    MESH_ROLE_POINT: _ClassVar[MeshRole]
    MESH_ROLE_PORTAL: _ClassVar[MeshRole]
    MESH_ROLE_AUTO_ROLE: _ClassVar[MeshRole]

class UplinkType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UPLINK_TYPE_UNSPECIFIED: _ClassVar[UplinkType]
    UPLINK_TYPE_ETH: _ClassVar[UplinkType]
    UPLINK_TYPE_MESH: _ClassVar[UplinkType]
    UPLINK_TYPE_STA: _ClassVar[UplinkType]
    UPLINK_TYPE_3G: _ClassVar[UplinkType]
    UPLINK_TYPE_DUMMY: _ClassVar[UplinkType]

class DeviceDownReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_DOWN_REASON_UNSPECIFIED: _ClassVar[DeviceDownReason]
    DEVICE_DOWN_REASON_LICENSE_UNASSIGNED: _ClassVar[DeviceDownReason]
    DEVICE_DOWN_REASON_AP_REBOOT: _ClassVar[DeviceDownReason]

class RadioBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RADIO_BAND_UNSPECIFIED: _ClassVar[RadioBand]
    RADIO_BAND_24GHZ: _ClassVar[RadioBand]
    RADIO_BAND_5GHZ: _ClassVar[RadioBand]
    RADIO_BAND_6GHZ: _ClassVar[RadioBand]

class BandRange(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BAND_RANGE_UNSPECIFIED: _ClassVar[BandRange]
    BAND_RANGE_FULL: _ClassVar[BandRange]
    BAND_RANGE_LOWER: _ClassVar[BandRange]
    BAND_RANGE_MIDDLE: _ClassVar[BandRange]
    BAND_RANGE_UPPER: _ClassVar[BandRange]

class RadioMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RADIO_MODE_UNSPECIFIED: _ClassVar[RadioMode]
    RADIO_MODE_AIR_MONITOR: _ClassVar[RadioMode]
    RADIO_MODE_CLIENT_ACCESS: _ClassVar[RadioMode]
    RADIO_MODE_SPECTRUM_ANALYSIS: _ClassVar[RadioMode]
    RADIO_MODE_MESH_PORTAL: _ClassVar[RadioMode]
    RADIO_MODE_MESH_POINT: _ClassVar[RadioMode]

class ChannelBandwidth(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_BANDWIDTH_UNSPECIFIED: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_20MHZ: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_40MHZ_ABOVE: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_40MHZ_BELOW: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_80MHZ: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_160MHZ: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_80PLUS80MHZ: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_320MHZ_1: _ClassVar[ChannelBandwidth]
    CHANNEL_BANDWIDTH_320MHZ_2: _ClassVar[ChannelBandwidth]

class HTType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HT_TYPE_UNSPECIFIED: _ClassVar[HTType]
    HT_TYPE_20MZ: _ClassVar[HTType]
    HT_TYPE_40MZ: _ClassVar[HTType]
    HT_TYPE_VHT_20MZ: _ClassVar[HTType]
    HT_TYPE_VHT_40MZ: _ClassVar[HTType]
    HT_TYPE_VHT_80MZ: _ClassVar[HTType]
    HT_TYPE_VHT_160MZ: _ClassVar[HTType]
    HT_TYPE_VHT_80PLUS80MZ: _ClassVar[HTType]
    HT_TYPE_HE_20MZ: _ClassVar[HTType]
    HT_TYPE_HE_40MZ: _ClassVar[HTType]
    HT_TYPE_HE_80MZ: _ClassVar[HTType]
    HT_TYPE_HE_160MZ: _ClassVar[HTType]
    HT_TYPE_HE_80PLUS80MZ: _ClassVar[HTType]
    HT_TYPE_EHT_20MZ: _ClassVar[HTType]
    HT_TYPE_EHT_40MZ: _ClassVar[HTType]
    HT_TYPE_EHT_80MZ: _ClassVar[HTType]
    HT_TYPE_EHT_160MZ: _ClassVar[HTType]
    HT_TYPE_EHT_80PLUS80MZ: _ClassVar[HTType]
    HT_TYPE_EHT_320MZ: _ClassVar[HTType]

class PHYType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PHY_TYPE_UNSPECIFIED: _ClassVar[PHYType]
    PHY_TYPE_80211B: _ClassVar[PHYType]
    PHY_TYPE_80211A: _ClassVar[PHYType]
    PHY_TYPE_80211G: _ClassVar[PHYType]
    PHY_TYPE_80211AG: _ClassVar[PHYType]
    PHY_TYPE_80211_6GHZ: _ClassVar[PHYType]

class ChangeReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_REASON_UNSPECIFIED: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM: _ClassVar[ChangeReason]
    CHANGE_REASON_RADAR_DETECTED: _ClassVar[ChangeReason]
    CHANGE_REASON_RADAR_CLEARED: _ClassVar[ChangeReason]
    CHANGE_REASON_TX_HANG: _ClassVar[ChangeReason]
    CHANGE_REASON_TX_CLEAR: _ClassVar[ChangeReason]
    CHANGE_REASON_40MHZ_INTOL: _ClassVar[ChangeReason]
    CHANGE_REASON_CANCEL_40MHZ_INTOL: _ClassVar[ChangeReason]
    CHANGE_REASON_40MHZ_ALIGN: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_INTERFERENCE: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_INVALID_CH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_ERROR_THRESH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_NOISE_THRESH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_EMPTY_CH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_ROGUE_CONT: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_DECREASE_POWER: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_INCREASE_POWER: _ClassVar[ChangeReason]
    CHANGE_REASON_RADAR_TURN_OFF_RADIO: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_TURN_ON_RADIO: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_CHANNEL_QUALITY_THRESH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_DYNAMIC_BW: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_INTERFERENCE_CCA: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_NOISE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_SOLVER: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_FREEZE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_UNFREEZE: _ClassVar[ChangeReason]
    CHANGE_REASON_SAPM_RANDOM: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_INIT: _ClassVar[ChangeReason]
    CHANGE_REASON_UNKNOWN: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_NOISE_CLEARED: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_ROGUE_CONTAINMENT: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_REGDOM_PROFILE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_DRT_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_MIN_CBW_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_MAX_CBW_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_AP_CACHE: _ClassVar[ChangeReason]
    CHANGE_REASON_AP_CONFIG: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_EIRP_MIN_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_EIRP_MAX_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_DYNAMIC_MODE_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_OPMODE_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_MODE_AWARE_TURN_OFF_RADIO: _ClassVar[ChangeReason]
    CHANGE_REASON_RADIO_MODE_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_APM_DUE_TO_CONFIG: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_CLIENT_PREF_CHANGE: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_EMPTY_CO_CH: _ClassVar[ChangeReason]
    CHANGE_REASON_ARM_CBW: _ClassVar[ChangeReason]
    CHANGE_REASON_UTB_CHANNEL_DETECTED: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_CHANNEL_QUALITY_THRESHOLD: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_LTE_NOISE: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_LTE_NOISE_CLEARED: _ClassVar[ChangeReason]
    CHANGE_REASON_AIRMATCH_APM_DUE_TO_LTE: _ClassVar[ChangeReason]
    CHANGE_REASON_AFC_AM_TURN_OFF_RADIO: _ClassVar[ChangeReason]
    CHANGE_REASON_AFC_AM_UPDATE: _ClassVar[ChangeReason]

class RadioType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RADIO_TYPE_UNSPECIFIED: _ClassVar[RadioType]
    RADIO_TYPE_80211N: _ClassVar[RadioType]
    RADIO_TYPE_80211AC: _ClassVar[RadioType]
    RADIO_TYPE_80211AX: _ClassVar[RadioType]
    RADIO_TYPE_80211BE: _ClassVar[RadioType]

class RadioAntenna(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RADIO_ANTENNA_TYPE_UNSPECIFIED: _ClassVar[RadioAntenna]
    RADIO_ANTENNA_TYPE_INTERNAL: _ClassVar[RadioAntenna]
    RADIO_ANTENNA_TYPE_EXTERNAL: _ClassVar[RadioAntenna]

class PortType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PORT_TYPE_UNSPECIFIED: _ClassVar[PortType]
    PORT_TYPE_FAST: _ClassVar[PortType]
    PORT_TYPE_GIG: _ClassVar[PortType]
    PORT_TYPE_XGIG: _ClassVar[PortType]
    PORT_TYPE_2_GIG: _ClassVar[PortType]
    PORT_TYPE_5_GIG: _ClassVar[PortType]
    PORT_TYPE_USB: _ClassVar[PortType]

class PortMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PORT_MODE_UNSPECIFIED: _ClassVar[PortMode]
    PORT_MODE_STANDBY: _ClassVar[PortMode]
    PORT_MODE_TUNNEL: _ClassVar[PortMode]
    PORT_MODE_BRIDGE: _ClassVar[PortMode]
    PORT_MODE_NA: _ClassVar[PortMode]
    PORT_MODE_SPLIT: _ClassVar[PortMode]

class PortMaxSpeed(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PORT_MAX_SPEED_UNSPECIFIED: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_10: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_100: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_1000: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_AUTO: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_2500: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_5000: _ClassVar[PortMaxSpeed]
    PORT_MAX_SPEED_10000: _ClassVar[PortMaxSpeed]

class PortDuplex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PORT_DUPLEX_UNSPECIFIED: _ClassVar[PortDuplex]
    PORT_DUPLEX_HALF: _ClassVar[PortDuplex]
    PORT_DUPLEX_FULL: _ClassVar[PortDuplex]
    PORT_DUPLEX_AUTO: _ClassVar[PortDuplex]

class PortVLANMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PORT_VLAN_MODE_UNSPECIFIED: _ClassVar[PortVLANMode]
    PORT_VLAN_MODE_ACCESS: _ClassVar[PortVLANMode]
    PORT_VLAN_MODE_TRUNK: _ClassVar[PortVLANMode]

class WlanOpMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WLAN_OP_MODE_UNSPECIFIED: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_OPEN_SYSTEM: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_STATIC_WEP: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_DYNAMIC_WEP_WITH_8021X: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA_PERSONAL_TKIP: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA_ENTERPRISE_TKIP: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA2_PERSONAL_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_BOTH_WPA2_AND_WPA: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA2_ENTERPRISE_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA_PERSONAL_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA_PERSONAL_TKIP_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA_ENTERPRISE_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_BOTH_WPA_WPA2_PERSONAL_TKIP_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA2_ENTERPRISE_TKIP: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_BOTH_WPA2_AND_WPA_ENTERPRISE: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_ENHANCED_OPEN: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA3_PERSONAL: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA3_ENTERPRISE_SUITEB: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA3_AES_CCM_128: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_MPSK_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_WPA3_AES_GCM_256_NON_CNSA: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_DPP: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_DPP_WPA2_PERSONAL_AES: _ClassVar[WlanOpMode]
    WLAN_OP_MODE_DPP_WPA2_ENTERPRISE_AES: _ClassVar[WlanOpMode]

class WlanType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WLAN_TYPE_UNSPECIFIED: _ClassVar[WlanType]
    WLAN_TYPE_EMPLOYEE: _ClassVar[WlanType]
    WLAN_TYPE_GUEST: _ClassVar[WlanType]
    WLAN_TYPE_VOICE: _ClassVar[WlanType]
    WLAN_TYPE_LOCAL: _ClassVar[WlanType]

class WlanBand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WLAN_BAND_UNSPECIFIED: _ClassVar[WlanBand]
    WLAN_BAND_24GHZ: _ClassVar[WlanBand]
    WLAN_BAND_5GHZ: _ClassVar[WlanBand]
    WLAN_BAND_6GHZ: _ClassVar[WlanBand]
    WLAN_BAND_24GHZ_5GHZ: _ClassVar[WlanBand]
    WLAN_BAND_24GHZ_6GHZ: _ClassVar[WlanBand]
    WLAN_BAND_5GHZ_6GHZ: _ClassVar[WlanBand]
    WLAN_BAND_ALL: _ClassVar[WlanBand]

class TunnelIndex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TUNNEL_INDEX_UNSPECIFIED: _ClassVar[TunnelIndex]
    TUNNEL_INDEX_PRIMARY: _ClassVar[TunnelIndex]
    TUNNEL_INDEX_BACKUP: _ClassVar[TunnelIndex]

class TunnelType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TUNNEL_TYPE_UNSPECIFIED: _ClassVar[TunnelType]
    TUNNEL_TYPE_ARUBA_IPSEC: _ClassVar[TunnelType]
    TUNNEL_TYPE_ARUBA_GRE: _ClassVar[TunnelType]
    TUNNEL_TYPE_MANUAL_GRE: _ClassVar[TunnelType]

class TunnelCryptoType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TUNNEL_CRYPTO_TYPE_UNSPECIFIED: _ClassVar[TunnelCryptoType]
    TUNNEL_CRYPTO_TYPE_CERTIFICATE: _ClassVar[TunnelCryptoType]
    TUNNEL_CRYPTO_TYPE_PSK: _ClassVar[TunnelCryptoType]

class TunnelStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TUNNEL_STATUS_UNSPECIFIED: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_INIT: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_CONNECTING: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_CONNECTED: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_SWITCHING_TO_SURVIVE: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_REKEYING: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_SURVIVING: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_SURVIVED: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_SURVIVE_REKEYING: _ClassVar[TunnelStatus]
    TUNNEL_STATUS_DISCONNECTED: _ClassVar[TunnelStatus]

class ProbeOwner(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROBE_OWNER_UNSPECIFIED: _ClassVar[ProbeOwner]
    PROBE_OWNER_VPN: _ClassVar[ProbeOwner]
    PROBE_OWNER_UPLINK: _ClassVar[ProbeOwner]
    PROBE_OWNER_GW: _ClassVar[ProbeOwner]

class ProbeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROBE_STATUS_UNSPECIFIED: _ClassVar[ProbeStatus]
    PROBE_STATUS_SUCCESS: _ClassVar[ProbeStatus]
    PROBE_STATUS_FAILURE: _ClassVar[ProbeStatus]
EVENT_OPERATION_UNSPECIFIED: EventOperation
EVENT_OPERATION_ADD: EventOperation
EVENT_OPERATION_UPDATE: EventOperation
EVENT_OPERATION_DELETE: EventOperation
STATUS_UNSPECIFIED: Status
STATUS_UP: Status
STATUS_DOWN: Status
STATUS_DISABLED: Status
AP_MODE_UNSPECIFIED: APMode
AP_MODE_ACCESS: APMode
AP_MODE_MONITOR: APMode
AP_MODE_DEDICATED_SPECTRUM: APMode
AP_MODE_HYBRID_SPECTRUM: APMode
AP_ROLE_UNSPECIFIED: APRole
AP_ROLE_MEMBER: APRole
AP_ROLE_CONDUCTOR: APRole
AP_OP_MODE_UNSPECIFIED: APOpMode
AP_OP_MODE_CLUSTER: APOpMode
AP_OP_MODE_STANDALONE: APOpMode
MESH_ROLE_UNSPECIFIED: MeshRole
MESH_ROLE_POINT: MeshRole
MESH_ROLE_PORTAL: MeshRole
MESH_ROLE_AUTO_ROLE: MeshRole
UPLINK_TYPE_UNSPECIFIED: UplinkType
UPLINK_TYPE_ETH: UplinkType
UPLINK_TYPE_MESH: UplinkType
UPLINK_TYPE_STA: UplinkType
UPLINK_TYPE_3G: UplinkType
UPLINK_TYPE_DUMMY: UplinkType
DEVICE_DOWN_REASON_UNSPECIFIED: DeviceDownReason
DEVICE_DOWN_REASON_LICENSE_UNASSIGNED: DeviceDownReason
DEVICE_DOWN_REASON_AP_REBOOT: DeviceDownReason
RADIO_BAND_UNSPECIFIED: RadioBand
RADIO_BAND_24GHZ: RadioBand
RADIO_BAND_5GHZ: RadioBand
RADIO_BAND_6GHZ: RadioBand
BAND_RANGE_UNSPECIFIED: BandRange
BAND_RANGE_FULL: BandRange
BAND_RANGE_LOWER: BandRange
BAND_RANGE_MIDDLE: BandRange
BAND_RANGE_UPPER: BandRange
RADIO_MODE_UNSPECIFIED: RadioMode
RADIO_MODE_AIR_MONITOR: RadioMode
RADIO_MODE_CLIENT_ACCESS: RadioMode
RADIO_MODE_SPECTRUM_ANALYSIS: RadioMode
RADIO_MODE_MESH_PORTAL: RadioMode
RADIO_MODE_MESH_POINT: RadioMode
CHANNEL_BANDWIDTH_UNSPECIFIED: ChannelBandwidth
CHANNEL_BANDWIDTH_20MHZ: ChannelBandwidth
CHANNEL_BANDWIDTH_40MHZ_ABOVE: ChannelBandwidth
CHANNEL_BANDWIDTH_40MHZ_BELOW: ChannelBandwidth
CHANNEL_BANDWIDTH_80MHZ: ChannelBandwidth
CHANNEL_BANDWIDTH_160MHZ: ChannelBandwidth
CHANNEL_BANDWIDTH_80PLUS80MHZ: ChannelBandwidth
CHANNEL_BANDWIDTH_320MHZ_1: ChannelBandwidth
CHANNEL_BANDWIDTH_320MHZ_2: ChannelBandwidth
HT_TYPE_UNSPECIFIED: HTType
HT_TYPE_20MZ: HTType
HT_TYPE_40MZ: HTType
HT_TYPE_VHT_20MZ: HTType
HT_TYPE_VHT_40MZ: HTType
HT_TYPE_VHT_80MZ: HTType
HT_TYPE_VHT_160MZ: HTType
HT_TYPE_VHT_80PLUS80MZ: HTType
HT_TYPE_HE_20MZ: HTType
HT_TYPE_HE_40MZ: HTType
HT_TYPE_HE_80MZ: HTType
HT_TYPE_HE_160MZ: HTType
HT_TYPE_HE_80PLUS80MZ: HTType
HT_TYPE_EHT_20MZ: HTType
HT_TYPE_EHT_40MZ: HTType
HT_TYPE_EHT_80MZ: HTType
HT_TYPE_EHT_160MZ: HTType
HT_TYPE_EHT_80PLUS80MZ: HTType
HT_TYPE_EHT_320MZ: HTType
PHY_TYPE_UNSPECIFIED: PHYType
PHY_TYPE_80211B: PHYType
PHY_TYPE_80211A: PHYType
PHY_TYPE_80211G: PHYType
PHY_TYPE_80211AG: PHYType
PHY_TYPE_80211_6GHZ: PHYType
CHANGE_REASON_UNSPECIFIED: ChangeReason
CHANGE_REASON_ARM: ChangeReason
CHANGE_REASON_RADAR_DETECTED: ChangeReason
CHANGE_REASON_RADAR_CLEARED: ChangeReason
CHANGE_REASON_TX_HANG: ChangeReason
CHANGE_REASON_TX_CLEAR: ChangeReason
CHANGE_REASON_40MHZ_INTOL: ChangeReason
CHANGE_REASON_CANCEL_40MHZ_INTOL: ChangeReason
CHANGE_REASON_40MHZ_ALIGN: ChangeReason
CHANGE_REASON_ARM_INTERFERENCE: ChangeReason
CHANGE_REASON_ARM_INVALID_CH: ChangeReason
CHANGE_REASON_ARM_ERROR_THRESH: ChangeReason
CHANGE_REASON_ARM_NOISE_THRESH: ChangeReason
CHANGE_REASON_ARM_EMPTY_CH: ChangeReason
CHANGE_REASON_ARM_ROGUE_CONT: ChangeReason
CHANGE_REASON_ARM_DECREASE_POWER: ChangeReason
CHANGE_REASON_ARM_INCREASE_POWER: ChangeReason
CHANGE_REASON_RADAR_TURN_OFF_RADIO: ChangeReason
CHANGE_REASON_ARM_TURN_ON_RADIO: ChangeReason
CHANGE_REASON_ARM_CHANNEL_QUALITY_THRESH: ChangeReason
CHANGE_REASON_ARM_DYNAMIC_BW: ChangeReason
CHANGE_REASON_ARM_INTERFERENCE_CCA: ChangeReason
CHANGE_REASON_AIRMATCH_NOISE: ChangeReason
CHANGE_REASON_AIRMATCH_SOLVER: ChangeReason
CHANGE_REASON_AIRMATCH_FREEZE: ChangeReason
CHANGE_REASON_AIRMATCH_UNFREEZE: ChangeReason
CHANGE_REASON_SAPM_RANDOM: ChangeReason
CHANGE_REASON_AIRMATCH_INIT: ChangeReason
CHANGE_REASON_UNKNOWN: ChangeReason
CHANGE_REASON_AIRMATCH_NOISE_CLEARED: ChangeReason
CHANGE_REASON_AIRMATCH_ROGUE_CONTAINMENT: ChangeReason
CHANGE_REASON_AIRMATCH_REGDOM_PROFILE: ChangeReason
CHANGE_REASON_AIRMATCH_DRT_CHANGE: ChangeReason
CHANGE_REASON_AIRMATCH_MIN_CBW_CHANGE: ChangeReason
CHANGE_REASON_AIRMATCH_MAX_CBW_CHANGE: ChangeReason
CHANGE_REASON_AP_CACHE: ChangeReason
CHANGE_REASON_AP_CONFIG: ChangeReason
CHANGE_REASON_AIRMATCH_EIRP_MIN_CHANGE: ChangeReason
CHANGE_REASON_AIRMATCH_EIRP_MAX_CHANGE: ChangeReason
CHANGE_REASON_DYNAMIC_MODE_CHANGE: ChangeReason
CHANGE_REASON_OPMODE_CHANGE: ChangeReason
CHANGE_REASON_ARM_MODE_AWARE_TURN_OFF_RADIO: ChangeReason
CHANGE_REASON_RADIO_MODE_CHANGE: ChangeReason
CHANGE_REASON_APM_DUE_TO_CONFIG: ChangeReason
CHANGE_REASON_AIRMATCH_CLIENT_PREF_CHANGE: ChangeReason
CHANGE_REASON_ARM_EMPTY_CO_CH: ChangeReason
CHANGE_REASON_ARM_CBW: ChangeReason
CHANGE_REASON_UTB_CHANNEL_DETECTED: ChangeReason
CHANGE_REASON_AIRMATCH_CHANNEL_QUALITY_THRESHOLD: ChangeReason
CHANGE_REASON_AIRMATCH_LTE_NOISE: ChangeReason
CHANGE_REASON_AIRMATCH_LTE_NOISE_CLEARED: ChangeReason
CHANGE_REASON_AIRMATCH_APM_DUE_TO_LTE: ChangeReason
CHANGE_REASON_AFC_AM_TURN_OFF_RADIO: ChangeReason
CHANGE_REASON_AFC_AM_UPDATE: ChangeReason
RADIO_TYPE_UNSPECIFIED: RadioType
RADIO_TYPE_80211N: RadioType
RADIO_TYPE_80211AC: RadioType
RADIO_TYPE_80211AX: RadioType
RADIO_TYPE_80211BE: RadioType
RADIO_ANTENNA_TYPE_UNSPECIFIED: RadioAntenna
RADIO_ANTENNA_TYPE_INTERNAL: RadioAntenna
RADIO_ANTENNA_TYPE_EXTERNAL: RadioAntenna
PORT_TYPE_UNSPECIFIED: PortType
PORT_TYPE_FAST: PortType
PORT_TYPE_GIG: PortType
PORT_TYPE_XGIG: PortType
PORT_TYPE_2_GIG: PortType
PORT_TYPE_5_GIG: PortType
PORT_TYPE_USB: PortType
PORT_MODE_UNSPECIFIED: PortMode
PORT_MODE_STANDBY: PortMode
PORT_MODE_TUNNEL: PortMode
PORT_MODE_BRIDGE: PortMode
PORT_MODE_NA: PortMode
PORT_MODE_SPLIT: PortMode
PORT_MAX_SPEED_UNSPECIFIED: PortMaxSpeed
PORT_MAX_SPEED_10: PortMaxSpeed
PORT_MAX_SPEED_100: PortMaxSpeed
PORT_MAX_SPEED_1000: PortMaxSpeed
PORT_MAX_SPEED_AUTO: PortMaxSpeed
PORT_MAX_SPEED_2500: PortMaxSpeed
PORT_MAX_SPEED_5000: PortMaxSpeed
PORT_MAX_SPEED_10000: PortMaxSpeed
PORT_DUPLEX_UNSPECIFIED: PortDuplex
PORT_DUPLEX_HALF: PortDuplex
PORT_DUPLEX_FULL: PortDuplex
PORT_DUPLEX_AUTO: PortDuplex
PORT_VLAN_MODE_UNSPECIFIED: PortVLANMode
PORT_VLAN_MODE_ACCESS: PortVLANMode
PORT_VLAN_MODE_TRUNK: PortVLANMode
WLAN_OP_MODE_UNSPECIFIED: WlanOpMode
WLAN_OP_MODE_OPEN_SYSTEM: WlanOpMode
WLAN_OP_MODE_STATIC_WEP: WlanOpMode
WLAN_OP_MODE_DYNAMIC_WEP_WITH_8021X: WlanOpMode
WLAN_OP_MODE_WPA_PERSONAL_TKIP: WlanOpMode
WLAN_OP_MODE_WPA_ENTERPRISE_TKIP: WlanOpMode
WLAN_OP_MODE_WPA2_PERSONAL_AES: WlanOpMode
WLAN_OP_MODE_BOTH_WPA2_AND_WPA: WlanOpMode
WLAN_OP_MODE_WPA2_ENTERPRISE_AES: WlanOpMode
WLAN_OP_MODE_WPA_PERSONAL_AES: WlanOpMode
WLAN_OP_MODE_WPA_PERSONAL_TKIP_AES: WlanOpMode
WLAN_OP_MODE_WPA_ENTERPRISE_AES: WlanOpMode
WLAN_OP_MODE_BOTH_WPA_WPA2_PERSONAL_TKIP_AES: WlanOpMode
WLAN_OP_MODE_WPA2_ENTERPRISE_TKIP: WlanOpMode
WLAN_OP_MODE_BOTH_WPA2_AND_WPA_ENTERPRISE: WlanOpMode
WLAN_OP_MODE_ENHANCED_OPEN: WlanOpMode
WLAN_OP_MODE_WPA3_PERSONAL: WlanOpMode
WLAN_OP_MODE_WPA3_ENTERPRISE_SUITEB: WlanOpMode
WLAN_OP_MODE_WPA3_AES_CCM_128: WlanOpMode
WLAN_OP_MODE_MPSK_AES: WlanOpMode
WLAN_OP_MODE_WPA3_AES_GCM_256_NON_CNSA: WlanOpMode
WLAN_OP_MODE_DPP: WlanOpMode
WLAN_OP_MODE_DPP_WPA2_PERSONAL_AES: WlanOpMode
WLAN_OP_MODE_DPP_WPA2_ENTERPRISE_AES: WlanOpMode
WLAN_TYPE_UNSPECIFIED: WlanType
WLAN_TYPE_EMPLOYEE: WlanType
WLAN_TYPE_GUEST: WlanType
WLAN_TYPE_VOICE: WlanType
WLAN_TYPE_LOCAL: WlanType
WLAN_BAND_UNSPECIFIED: WlanBand
WLAN_BAND_24GHZ: WlanBand
WLAN_BAND_5GHZ: WlanBand
WLAN_BAND_6GHZ: WlanBand
WLAN_BAND_24GHZ_5GHZ: WlanBand
WLAN_BAND_24GHZ_6GHZ: WlanBand
WLAN_BAND_5GHZ_6GHZ: WlanBand
WLAN_BAND_ALL: WlanBand
TUNNEL_INDEX_UNSPECIFIED: TunnelIndex
TUNNEL_INDEX_PRIMARY: TunnelIndex
TUNNEL_INDEX_BACKUP: TunnelIndex
TUNNEL_TYPE_UNSPECIFIED: TunnelType
TUNNEL_TYPE_ARUBA_IPSEC: TunnelType
TUNNEL_TYPE_ARUBA_GRE: TunnelType
TUNNEL_TYPE_MANUAL_GRE: TunnelType
TUNNEL_CRYPTO_TYPE_UNSPECIFIED: TunnelCryptoType
TUNNEL_CRYPTO_TYPE_CERTIFICATE: TunnelCryptoType
TUNNEL_CRYPTO_TYPE_PSK: TunnelCryptoType
TUNNEL_STATUS_UNSPECIFIED: TunnelStatus
TUNNEL_STATUS_INIT: TunnelStatus
TUNNEL_STATUS_CONNECTING: TunnelStatus
TUNNEL_STATUS_CONNECTED: TunnelStatus
TUNNEL_STATUS_SWITCHING_TO_SURVIVE: TunnelStatus
TUNNEL_STATUS_REKEYING: TunnelStatus
TUNNEL_STATUS_SURVIVING: TunnelStatus
TUNNEL_STATUS_SURVIVED: TunnelStatus
TUNNEL_STATUS_SURVIVE_REKEYING: TunnelStatus
TUNNEL_STATUS_DISCONNECTED: TunnelStatus
PROBE_OWNER_UNSPECIFIED: ProbeOwner
PROBE_OWNER_VPN: ProbeOwner
PROBE_OWNER_UPLINK: ProbeOwner
PROBE_OWNER_GW: ProbeOwner
PROBE_STATUS_UNSPECIFIED: ProbeStatus
PROBE_STATUS_SUCCESS: ProbeStatus
PROBE_STATUS_FAILURE: ProbeStatus

class ClusterInfo(_message.Message):
    __slots__ = ("cluster_id", "name", "ip_v4")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    IP_V4_FIELD_NUMBER: _ClassVar[int]
    cluster_id: str
    name: str
    ip_v4: str
    def __init__(self, cluster_id: _Optional[str] = ..., name: _Optional[str] = ..., ip_v4: _Optional[str] = ...) -> None: ...

class APInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "device_name", "model", "ip_v4", "ip_v6", "public_ip", "uptime", "mode", "status", "operating_mode", "cluster", "elected_role", "mesh_mode", "current_uplink_inuse", "firmware_version", "zone", "drt_version", "country_code", "down_reason", "modem_status")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    IP_V4_FIELD_NUMBER: _ClassVar[int]
    IP_V6_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_IP_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OPERATING_MODE_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_FIELD_NUMBER: _ClassVar[int]
    ELECTED_ROLE_FIELD_NUMBER: _ClassVar[int]
    MESH_MODE_FIELD_NUMBER: _ClassVar[int]
    CURRENT_UPLINK_INUSE_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ZONE_FIELD_NUMBER: _ClassVar[int]
    DRT_VERSION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    DOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    MODEM_STATUS_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    device_name: str
    model: str
    ip_v4: str
    ip_v6: str
    public_ip: str
    uptime: int
    mode: APMode
    status: bool
    operating_mode: APOpMode
    cluster: ClusterInfo
    elected_role: APRole
    mesh_mode: MeshRole
    current_uplink_inuse: UplinkType
    firmware_version: str
    zone: str
    drt_version: str
    country_code: str
    down_reason: DeviceDownReason
    modem_status: bool
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., device_name: _Optional[str] = ..., model: _Optional[str] = ..., ip_v4: _Optional[str] = ..., ip_v6: _Optional[str] = ..., public_ip: _Optional[str] = ..., uptime: _Optional[int] = ..., mode: _Optional[_Union[APMode, str]] = ..., status: _Optional[bool] = ..., operating_mode: _Optional[_Union[APOpMode, str]] = ..., cluster: _Optional[_Union[ClusterInfo, _Mapping]] = ..., elected_role: _Optional[_Union[APRole, str]] = ..., mesh_mode: _Optional[_Union[MeshRole, str]] = ..., current_uplink_inuse: _Optional[_Union[UplinkType, str]] = ..., firmware_version: _Optional[str] = ..., zone: _Optional[str] = ..., drt_version: _Optional[str] = ..., country_code: _Optional[str] = ..., down_reason: _Optional[_Union[DeviceDownReason, str]] = ..., modem_status: _Optional[bool] = ...) -> None: ...

class RadioInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "radio_mac_address", "channel", "transmit_power", "radio_number", "band", "band_range", "mode", "status", "ht_type", "phy_type", "chan_reason", "eirp_reason", "eirp_resolution", "eirp", "primary_chan", "secondary_chan", "bandwidth", "spatial_stream", "radio_type", "antenna")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TRANSMIT_POWER_FIELD_NUMBER: _ClassVar[int]
    RADIO_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    BAND_RANGE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PHY_TYPE_FIELD_NUMBER: _ClassVar[int]
    CHAN_REASON_FIELD_NUMBER: _ClassVar[int]
    EIRP_REASON_FIELD_NUMBER: _ClassVar[int]
    EIRP_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    EIRP_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_CHAN_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_CHAN_FIELD_NUMBER: _ClassVar[int]
    BANDWIDTH_FIELD_NUMBER: _ClassVar[int]
    SPATIAL_STREAM_FIELD_NUMBER: _ClassVar[int]
    RADIO_TYPE_FIELD_NUMBER: _ClassVar[int]
    ANTENNA_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    radio_mac_address: str
    channel: str
    transmit_power: int
    radio_number: int
    band: RadioBand
    band_range: BandRange
    mode: RadioMode
    status: Status
    ht_type: HTType
    phy_type: PHYType
    chan_reason: ChangeReason
    eirp_reason: ChangeReason
    eirp_resolution: int
    eirp: int
    primary_chan: int
    secondary_chan: int
    bandwidth: ChannelBandwidth
    spatial_stream: str
    radio_type: RadioType
    antenna: RadioAntenna
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., radio_mac_address: _Optional[str] = ..., channel: _Optional[str] = ..., transmit_power: _Optional[int] = ..., radio_number: _Optional[int] = ..., band: _Optional[_Union[RadioBand, str]] = ..., band_range: _Optional[_Union[BandRange, str]] = ..., mode: _Optional[_Union[RadioMode, str]] = ..., status: _Optional[_Union[Status, str]] = ..., ht_type: _Optional[_Union[HTType, str]] = ..., phy_type: _Optional[_Union[PHYType, str]] = ..., chan_reason: _Optional[_Union[ChangeReason, str]] = ..., eirp_reason: _Optional[_Union[ChangeReason, str]] = ..., eirp_resolution: _Optional[int] = ..., eirp: _Optional[int] = ..., primary_chan: _Optional[int] = ..., secondary_chan: _Optional[int] = ..., bandwidth: _Optional[_Union[ChannelBandwidth, str]] = ..., spatial_stream: _Optional[str] = ..., radio_type: _Optional[_Union[RadioType, str]] = ..., antenna: _Optional[_Union[RadioAntenna, str]] = ...) -> None: ...

class VapInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "radio_mac_address", "bssid", "essid")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BSSID_FIELD_NUMBER: _ClassVar[int]
    ESSID_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    radio_mac_address: str
    bssid: str
    essid: str
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., radio_mac_address: _Optional[str] = ..., bssid: _Optional[str] = ..., essid: _Optional[str] = ...) -> None: ...

class PortInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "port_index", "port_name", "port_mac_address", "status", "admin_state", "operate_state", "type", "mode", "speed", "duplex", "vlan_mode", "access_vlan", "native_vlan", "allowed_vlan", "is_uplink")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PORT_INDEX_FIELD_NUMBER: _ClassVar[int]
    PORT_NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ADMIN_STATE_FIELD_NUMBER: _ClassVar[int]
    OPERATE_STATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    DUPLEX_FIELD_NUMBER: _ClassVar[int]
    VLAN_MODE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_VLAN_FIELD_NUMBER: _ClassVar[int]
    NATIVE_VLAN_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_VLAN_FIELD_NUMBER: _ClassVar[int]
    IS_UPLINK_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    port_index: int
    port_name: str
    port_mac_address: str
    status: Status
    admin_state: bool
    operate_state: bool
    type: PortType
    mode: PortMode
    speed: PortMaxSpeed
    duplex: PortDuplex
    vlan_mode: PortVLANMode
    access_vlan: int
    native_vlan: int
    allowed_vlan: str
    is_uplink: bool
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., port_index: _Optional[int] = ..., port_name: _Optional[str] = ..., port_mac_address: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., admin_state: _Optional[bool] = ..., operate_state: _Optional[bool] = ..., type: _Optional[_Union[PortType, str]] = ..., mode: _Optional[_Union[PortMode, str]] = ..., speed: _Optional[_Union[PortMaxSpeed, str]] = ..., duplex: _Optional[_Union[PortDuplex, str]] = ..., vlan_mode: _Optional[_Union[PortVLANMode, str]] = ..., access_vlan: _Optional[int] = ..., native_vlan: _Optional[int] = ..., allowed_vlan: _Optional[str] = ..., is_uplink: _Optional[bool] = ...) -> None: ...

class WlanInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "essid", "vlan", "wlan_op_mode", "wlan_type", "wlan_band", "status")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ESSID_FIELD_NUMBER: _ClassVar[int]
    VLAN_FIELD_NUMBER: _ClassVar[int]
    WLAN_OP_MODE_FIELD_NUMBER: _ClassVar[int]
    WLAN_TYPE_FIELD_NUMBER: _ClassVar[int]
    WLAN_BAND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    essid: str
    vlan: str
    wlan_op_mode: WlanOpMode
    wlan_type: WlanType
    wlan_band: WlanBand
    status: bool
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., essid: _Optional[str] = ..., vlan: _Optional[str] = ..., wlan_op_mode: _Optional[_Union[WlanOpMode, str]] = ..., wlan_type: _Optional[_Union[WlanType, str]] = ..., wlan_band: _Optional[_Union[WlanBand, str]] = ..., status: _Optional[bool] = ...) -> None: ...

class TunnelInfo(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "mac_address", "index", "tunnel_name", "crypto_type", "peer_ip", "ip", "status", "active", "uptime", "peer_name")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    CRYPTO_TYPE_FIELD_NUMBER: _ClassVar[int]
    PEER_IP_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    PEER_NAME_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    index: TunnelIndex
    tunnel_name: str
    crypto_type: TunnelCryptoType
    peer_ip: str
    ip: str
    status: TunnelStatus
    active: bool
    uptime: int
    peer_name: str
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., index: _Optional[_Union[TunnelIndex, str]] = ..., tunnel_name: _Optional[str] = ..., crypto_type: _Optional[_Union[TunnelCryptoType, str]] = ..., peer_ip: _Optional[str] = ..., ip: _Optional[str] = ..., status: _Optional[_Union[TunnelStatus, str]] = ..., active: _Optional[bool] = ..., uptime: _Optional[int] = ..., peer_name: _Optional[str] = ...) -> None: ...

class APSystemStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "cpu_utilization", "memory_utilization", "power_consumption")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CPU_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    MEMORY_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    POWER_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    cpu_utilization: float
    memory_utilization: float
    power_consumption: float
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., cpu_utilization: _Optional[float] = ..., memory_utilization: _Optional[float] = ..., power_consumption: _Optional[float] = ...) -> None: ...

class RadioStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "radio_mac_address", "band", "band_range", "tx_bytes", "rx_bytes", "noise_floor", "channel_quality", "total_utilization", "tx_utilization", "rx_utilization", "non_wifi_interference", "total_frame_retries", "frame_retries", "total_frame_drops", "frame_drops")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    BAND_RANGE_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    NOISE_FLOOR_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_QUALITY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    TX_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    RX_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    NON_WIFI_INTERFERENCE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FRAME_RETRIES_FIELD_NUMBER: _ClassVar[int]
    FRAME_RETRIES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FRAME_DROPS_FIELD_NUMBER: _ClassVar[int]
    FRAME_DROPS_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    radio_mac_address: str
    band: RadioBand
    band_range: BandRange
    tx_bytes: int
    rx_bytes: int
    noise_floor: int
    channel_quality: int
    total_utilization: int
    tx_utilization: int
    rx_utilization: int
    non_wifi_interference: int
    total_frame_retries: int
    frame_retries: float
    total_frame_drops: int
    frame_drops: float
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., radio_mac_address: _Optional[str] = ..., band: _Optional[_Union[RadioBand, str]] = ..., band_range: _Optional[_Union[BandRange, str]] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., noise_floor: _Optional[int] = ..., channel_quality: _Optional[int] = ..., total_utilization: _Optional[int] = ..., tx_utilization: _Optional[int] = ..., rx_utilization: _Optional[int] = ..., non_wifi_interference: _Optional[int] = ..., total_frame_retries: _Optional[int] = ..., frame_retries: _Optional[float] = ..., total_frame_drops: _Optional[int] = ..., frame_drops: _Optional[float] = ...) -> None: ...

class VapStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "radio_mac_address", "bssid", "essid", "tx_bytes", "rx_bytes")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BSSID_FIELD_NUMBER: _ClassVar[int]
    ESSID_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    radio_mac_address: str
    bssid: str
    essid: str
    tx_bytes: int
    rx_bytes: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., radio_mac_address: _Optional[str] = ..., bssid: _Optional[str] = ..., essid: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ...) -> None: ...

class PortStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "port_mac_address", "port_index", "duplex", "speed", "tx_bytes", "rx_bytes", "tx_pkts", "rx_pkts", "total_frame_errors", "frame_error", "total_frame_drops", "frame_drops", "total_crc", "crc", "total_collision", "collision")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PORT_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PORT_INDEX_FIELD_NUMBER: _ClassVar[int]
    DUPLEX_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    TX_PKTS_FIELD_NUMBER: _ClassVar[int]
    RX_PKTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FRAME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    FRAME_ERROR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FRAME_DROPS_FIELD_NUMBER: _ClassVar[int]
    FRAME_DROPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_CRC_FIELD_NUMBER: _ClassVar[int]
    CRC_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COLLISION_FIELD_NUMBER: _ClassVar[int]
    COLLISION_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    port_mac_address: str
    port_index: int
    duplex: PortDuplex
    speed: PortMaxSpeed
    tx_bytes: int
    rx_bytes: int
    tx_pkts: int
    rx_pkts: int
    total_frame_errors: int
    frame_error: float
    total_frame_drops: int
    frame_drops: float
    total_crc: int
    crc: float
    total_collision: int
    collision: float
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., port_mac_address: _Optional[str] = ..., port_index: _Optional[int] = ..., duplex: _Optional[_Union[PortDuplex, str]] = ..., speed: _Optional[_Union[PortMaxSpeed, str]] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., tx_pkts: _Optional[int] = ..., rx_pkts: _Optional[int] = ..., total_frame_errors: _Optional[int] = ..., frame_error: _Optional[float] = ..., total_frame_drops: _Optional[int] = ..., frame_drops: _Optional[float] = ..., total_crc: _Optional[int] = ..., crc: _Optional[float] = ..., total_collision: _Optional[int] = ..., collision: _Optional[float] = ...) -> None: ...

class ModemStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "tx_bytes", "rx_bytes", "cellular_signal", "cellular_sinr")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    CELLULAR_SIGNAL_FIELD_NUMBER: _ClassVar[int]
    CELLULAR_SINR_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    tx_bytes: int
    rx_bytes: int
    cellular_signal: int
    cellular_sinr: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., cellular_signal: _Optional[int] = ..., cellular_sinr: _Optional[int] = ...) -> None: ...

class TunnelStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "tunnel_index", "tunnel_name", "tun_type", "tx_bytes", "rx_bytes", "tx_pkts", "rx_pkts")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_INDEX_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    TUN_TYPE_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    TX_PKTS_FIELD_NUMBER: _ClassVar[int]
    RX_PKTS_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    tunnel_index: TunnelIndex
    tunnel_name: str
    tun_type: TunnelType
    tx_bytes: int
    rx_bytes: int
    tx_pkts: int
    rx_pkts: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., tunnel_index: _Optional[_Union[TunnelIndex, str]] = ..., tunnel_name: _Optional[str] = ..., tun_type: _Optional[_Union[TunnelType, str]] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., tx_pkts: _Optional[int] = ..., rx_pkts: _Optional[int] = ...) -> None: ...

class IPProbeStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "owner", "ip", "src_interface", "tunnel_index", "tunnel_name", "status", "loss_percentage", "latency", "jitter", "mos")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    SRC_INTERFACE_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_INDEX_FIELD_NUMBER: _ClassVar[int]
    TUNNEL_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LOSS_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    JITTER_FIELD_NUMBER: _ClassVar[int]
    MOS_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    owner: ProbeOwner
    ip: str
    src_interface: int
    tunnel_index: TunnelIndex
    tunnel_name: str
    status: ProbeStatus
    loss_percentage: int
    latency: int
    jitter: int
    mos: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., owner: _Optional[_Union[ProbeOwner, str]] = ..., ip: _Optional[str] = ..., src_interface: _Optional[int] = ..., tunnel_index: _Optional[_Union[TunnelIndex, str]] = ..., tunnel_name: _Optional[str] = ..., status: _Optional[_Union[ProbeStatus, str]] = ..., loss_percentage: _Optional[int] = ..., latency: _Optional[int] = ..., jitter: _Optional[int] = ..., mos: _Optional[int] = ...) -> None: ...

class RoleStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "user_role", "tx_bytes", "rx_bytes")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    user_role: str
    tx_bytes: int
    rx_bytes: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., user_role: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ...) -> None: ...

class SsidStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "ssid", "tx_bytes", "rx_bytes")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SSID_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    ssid: str
    tx_bytes: int
    rx_bytes: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., ssid: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ...) -> None: ...

class VlanStat(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "mac_address", "vlan", "tx_bytes", "rx_bytes")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    VLAN_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    timestamp: str
    tenant_id: str
    serial_number: str
    mac_address: str
    vlan: int
    tx_bytes: int
    rx_bytes: int
    def __init__(self, timestamp: _Optional[str] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., mac_address: _Optional[str] = ..., vlan: _Optional[int] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ...) -> None: ...
