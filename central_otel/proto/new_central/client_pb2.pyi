import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClientType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLIENT_TYPE_UNSPECIFIED: _ClassVar[ClientType]
    CLIENT_TYPE_WIRELESS: _ClassVar[ClientType]
    CLIENT_TYPE_WIRED: _ClassVar[ClientType]
    CLIENT_TYPE_REMOTE: _ClassVar[ClientType]

class ClientStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLIENT_STATUS_UNSPECIFIED: _ClassVar[ClientStatus]
    CLIENT_STATUS_CONNECTING: _ClassVar[ClientStatus]
    CLIENT_STATUS_CONNECTED: _ClassVar[ClientStatus]
    CLIENT_STATUS_DISCONNECTED: _ClassVar[ClientStatus]
    CLIENT_STATUS_FAILED: _ClassVar[ClientStatus]
    CLIENT_STATUS_BLOCKED: _ClassVar[ClientStatus]

class AuthType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUTH_TYPE_UNSPECIFIED: _ClassVar[AuthType]
    AUTH_TYPE_CAPTIVE_PORTAL: _ClassVar[AuthType]
    AUTH_TYPE_MAC: _ClassVar[AuthType]
    AUTH_TYPE_VPN: _ClassVar[AuthType]
    AUTH_TYPE_DOT1X: _ClassVar[AuthType]
    AUTH_TYPE_STATEFUL_KERBEROS: _ClassVar[AuthType]
    AUTH_TYPE_RADIUS_ACCOUNTING: _ClassVar[AuthType]
    AUTH_TYPE_SECURE_ID: _ClassVar[AuthType]
    AUTH_TYPE_STATEFUL_RADIUS: _ClassVar[AuthType]
    AUTH_TYPE_SWITCH_MANAGEMENT: _ClassVar[AuthType]
    AUTH_TYPE_DOT1X_MACHINE: _ClassVar[AuthType]
    AUTH_TYPE_DOT1X_USER: _ClassVar[AuthType]
    AUTH_TYPE_DOT1X_WIRED_MACHINE: _ClassVar[AuthType]
    AUTH_TYPE_DOT1X_WIRED_USER: _ClassVar[AuthType]
    AUTH_TYPE_PUB_COOKIE: _ClassVar[AuthType]
    AUTH_TYPE_TACACS_PLUS: _ClassVar[AuthType]
    AUTH_TYPE_XSEC: _ClassVar[AuthType]
    AUTH_TYPE_XSEC_MACHINE: _ClassVar[AuthType]
    AUTH_TYPE_XSEC_USER: _ClassVar[AuthType]
    AUTH_TYPE_XSEC_WIRED: _ClassVar[AuthType]
    AUTH_TYPE_XSEC_WIRED_MACHINE: _ClassVar[AuthType]
    AUTH_TYPE_XSEC_WIRED_USER: _ClassVar[AuthType]
    AUTH_TYPE_STATEFUL_NTLM: _ClassVar[AuthType]
    AUTH_TYPE_RAP_AP: _ClassVar[AuthType]
    AUTH_TYPE_VIA_WEB: _ClassVar[AuthType]
    AUTH_TYPE_GIS: _ClassVar[AuthType]
    AUTH_TYPE_TRANSPORT_VPN: _ClassVar[AuthType]
    AUTH_TYPE_VIA_VPN: _ClassVar[AuthType]
    AUTH_TYPE_PUTN_DOT1X: _ClassVar[AuthType]
    AUTH_TYPE_PUTN_MAC: _ClassVar[AuthType]
    AUTH_TYPE_PUTN_CP: _ClassVar[AuthType]
    AUTH_TYPE_PUTN_LMA: _ClassVar[AuthType]
    AUTH_TYPE_TELNET: _ClassVar[AuthType]
    AUTH_TYPE_WEBUI: _ClassVar[AuthType]
    AUTH_TYPE_SSH: _ClassVar[AuthType]
    AUTH_TYPE_WEB: _ClassVar[AuthType]
    AUTH_TYPE_SNMP: _ClassVar[AuthType]
    AUTH_TYPE_SSH_NONE: _ClassVar[AuthType]
    AUTH_TYPE_LMA: _ClassVar[AuthType]
CLIENT_TYPE_UNSPECIFIED: ClientType
CLIENT_TYPE_WIRELESS: ClientType
CLIENT_TYPE_WIRED: ClientType
CLIENT_TYPE_REMOTE: ClientType
CLIENT_STATUS_UNSPECIFIED: ClientStatus
CLIENT_STATUS_CONNECTING: ClientStatus
CLIENT_STATUS_CONNECTED: ClientStatus
CLIENT_STATUS_DISCONNECTED: ClientStatus
CLIENT_STATUS_FAILED: ClientStatus
CLIENT_STATUS_BLOCKED: ClientStatus
AUTH_TYPE_UNSPECIFIED: AuthType
AUTH_TYPE_CAPTIVE_PORTAL: AuthType
AUTH_TYPE_MAC: AuthType
AUTH_TYPE_VPN: AuthType
AUTH_TYPE_DOT1X: AuthType
AUTH_TYPE_STATEFUL_KERBEROS: AuthType
AUTH_TYPE_RADIUS_ACCOUNTING: AuthType
AUTH_TYPE_SECURE_ID: AuthType
AUTH_TYPE_STATEFUL_RADIUS: AuthType
AUTH_TYPE_SWITCH_MANAGEMENT: AuthType
AUTH_TYPE_DOT1X_MACHINE: AuthType
AUTH_TYPE_DOT1X_USER: AuthType
AUTH_TYPE_DOT1X_WIRED_MACHINE: AuthType
AUTH_TYPE_DOT1X_WIRED_USER: AuthType
AUTH_TYPE_PUB_COOKIE: AuthType
AUTH_TYPE_TACACS_PLUS: AuthType
AUTH_TYPE_XSEC: AuthType
AUTH_TYPE_XSEC_MACHINE: AuthType
AUTH_TYPE_XSEC_USER: AuthType
AUTH_TYPE_XSEC_WIRED: AuthType
AUTH_TYPE_XSEC_WIRED_MACHINE: AuthType
AUTH_TYPE_XSEC_WIRED_USER: AuthType
AUTH_TYPE_STATEFUL_NTLM: AuthType
AUTH_TYPE_RAP_AP: AuthType
AUTH_TYPE_VIA_WEB: AuthType
AUTH_TYPE_GIS: AuthType
AUTH_TYPE_TRANSPORT_VPN: AuthType
AUTH_TYPE_VIA_VPN: AuthType
AUTH_TYPE_PUTN_DOT1X: AuthType
AUTH_TYPE_PUTN_MAC: AuthType
AUTH_TYPE_PUTN_CP: AuthType
AUTH_TYPE_PUTN_LMA: AuthType
AUTH_TYPE_TELNET: AuthType
AUTH_TYPE_WEBUI: AuthType
AUTH_TYPE_SSH: AuthType
AUTH_TYPE_WEB: AuthType
AUTH_TYPE_SNMP: AuthType
AUTH_TYPE_SSH_NONE: AuthType
AUTH_TYPE_LMA: AuthType

class StreamClientMessage(_message.Message):
    __slots__ = ("client_state", "client_stats")
    CLIENT_STATE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_STATS_FIELD_NUMBER: _ClassVar[int]
    client_state: ClientState
    client_stats: ClientStats
    def __init__(self, client_state: _Optional[_Union[ClientState, _Mapping]] = ..., client_stats: _Optional[_Union[ClientStats, _Mapping]] = ...) -> None: ...

class CpdiInfo(_message.Message):
    __slots__ = ("client_function", "client_vendor", "client_operating_system", "client_mac_vendor", "client_category")
    CLIENT_FUNCTION_FIELD_NUMBER: _ClassVar[int]
    CLIENT_VENDOR_FIELD_NUMBER: _ClassVar[int]
    CLIENT_OPERATING_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MAC_VENDOR_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    client_function: str
    client_vendor: str
    client_operating_system: str
    client_mac_vendor: str
    client_category: str
    def __init__(self, client_function: _Optional[str] = ..., client_vendor: _Optional[str] = ..., client_operating_system: _Optional[str] = ..., client_mac_vendor: _Optional[str] = ..., client_category: _Optional[str] = ...) -> None: ...

class ClientDetails(_message.Message):
    __slots__ = ("mac_address", "tenant_id", "site_id", "client_name", "status", "connected_device_serial", "host_name", "user_name", "authentication_type", "ipv4", "ipv6", "device_name", "role", "vlan_id", "vlan_name", "port", "cpdi", "connected_since", "last_seen")
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    HOST_NAME_FIELD_NUMBER: _ClassVar[int]
    USER_NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    IPV4_FIELD_NUMBER: _ClassVar[int]
    IPV6_FIELD_NUMBER: _ClassVar[int]
    DEVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    VLAN_ID_FIELD_NUMBER: _ClassVar[int]
    VLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    CPDI_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_SINCE_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_FIELD_NUMBER: _ClassVar[int]
    mac_address: str
    tenant_id: str
    site_id: str
    client_name: str
    status: ClientStatus
    connected_device_serial: str
    host_name: str
    user_name: str
    authentication_type: AuthType
    ipv4: str
    ipv6: str
    device_name: str
    role: str
    vlan_id: int
    vlan_name: str
    port: str
    cpdi: CpdiInfo
    connected_since: _timestamp_pb2.Timestamp
    last_seen: _timestamp_pb2.Timestamp
    def __init__(self, mac_address: _Optional[str] = ..., tenant_id: _Optional[str] = ..., site_id: _Optional[str] = ..., client_name: _Optional[str] = ..., status: _Optional[_Union[ClientStatus, str]] = ..., connected_device_serial: _Optional[str] = ..., host_name: _Optional[str] = ..., user_name: _Optional[str] = ..., authentication_type: _Optional[_Union[AuthType, str]] = ..., ipv4: _Optional[str] = ..., ipv6: _Optional[str] = ..., device_name: _Optional[str] = ..., role: _Optional[str] = ..., vlan_id: _Optional[int] = ..., vlan_name: _Optional[str] = ..., port: _Optional[str] = ..., cpdi: _Optional[_Union[CpdiInfo, _Mapping]] = ..., connected_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClientState(_message.Message):
    __slots__ = ("client_details", "type", "radio_mac_address", "wlan_name", "wireless_band", "wireless_channel", "phy_type", "key_management", "wireless_security", "snr")
    CLIENT_DETAILS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    WIRELESS_BAND_FIELD_NUMBER: _ClassVar[int]
    WIRELESS_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PHY_TYPE_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGEMENT_FIELD_NUMBER: _ClassVar[int]
    WIRELESS_SECURITY_FIELD_NUMBER: _ClassVar[int]
    SNR_FIELD_NUMBER: _ClassVar[int]
    client_details: ClientDetails
    type: ClientType
    radio_mac_address: str
    wlan_name: str
    wireless_band: str
    wireless_channel: str
    phy_type: str
    key_management: str
    wireless_security: str
    snr: int
    def __init__(self, client_details: _Optional[_Union[ClientDetails, _Mapping]] = ..., type: _Optional[_Union[ClientType, str]] = ..., radio_mac_address: _Optional[str] = ..., wlan_name: _Optional[str] = ..., wireless_band: _Optional[str] = ..., wireless_channel: _Optional[str] = ..., phy_type: _Optional[str] = ..., key_management: _Optional[str] = ..., wireless_security: _Optional[str] = ..., snr: _Optional[int] = ...) -> None: ...

class ClientStats(_message.Message):
    __slots__ = ("tenant_id", "site_id", "mac_address", "client_name", "timestamp", "connected_device_serial", "port", "wlan_name", "tx_bytes", "rx_bytes", "tx_data_frames", "rx_data_frames", "tx_error_frames", "rx_error_frames", "tx_drop_frames", "rx_drop_frames", "tx_retry_frames", "rx_retry_frames", "speed", "duplex", "snr")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    WLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    TX_DATA_FRAMES_FIELD_NUMBER: _ClassVar[int]
    RX_DATA_FRAMES_FIELD_NUMBER: _ClassVar[int]
    TX_ERROR_FRAMES_FIELD_NUMBER: _ClassVar[int]
    RX_ERROR_FRAMES_FIELD_NUMBER: _ClassVar[int]
    TX_DROP_FRAMES_FIELD_NUMBER: _ClassVar[int]
    RX_DROP_FRAMES_FIELD_NUMBER: _ClassVar[int]
    TX_RETRY_FRAMES_FIELD_NUMBER: _ClassVar[int]
    RX_RETRY_FRAMES_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    DUPLEX_FIELD_NUMBER: _ClassVar[int]
    SNR_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    site_id: str
    mac_address: str
    client_name: str
    timestamp: _timestamp_pb2.Timestamp
    connected_device_serial: str
    port: str
    wlan_name: str
    tx_bytes: int
    rx_bytes: int
    tx_data_frames: int
    rx_data_frames: int
    tx_error_frames: int
    rx_error_frames: int
    tx_drop_frames: int
    rx_drop_frames: int
    tx_retry_frames: int
    rx_retry_frames: int
    speed: int
    duplex: str
    snr: int
    def __init__(self, tenant_id: _Optional[str] = ..., site_id: _Optional[str] = ..., mac_address: _Optional[str] = ..., client_name: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., connected_device_serial: _Optional[str] = ..., port: _Optional[str] = ..., wlan_name: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., tx_data_frames: _Optional[int] = ..., rx_data_frames: _Optional[int] = ..., tx_error_frames: _Optional[int] = ..., rx_error_frames: _Optional[int] = ..., tx_drop_frames: _Optional[int] = ..., rx_drop_frames: _Optional[int] = ..., tx_retry_frames: _Optional[int] = ..., rx_retry_frames: _Optional[int] = ..., speed: _Optional[int] = ..., duplex: _Optional[str] = ..., snr: _Optional[int] = ...) -> None: ...
