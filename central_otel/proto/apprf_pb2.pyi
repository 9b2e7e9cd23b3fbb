from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class mac_address(_message.Message):
    __slots__ = ("addr",)
    ADDR_FIELD_NUMBER: _ClassVar[int]
    addr: bytes
    def __init__(self, addr: _Optional[bytes] = ...) -> None: ...

class ip_address(_message.Message):
    __slots__ = ("af", "addr")
    class addr_family(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        ADDR_FAMILY_UNSPEC: _ClassVar[ip_address.addr_family]
        ADDR_FAMILY_INET: _ClassVar[ip_address.addr_family]
        ADDR_FAMILY_INET6: _ClassVar[ip_address.addr_family]
    ADDR_FAMILY_UNSPEC: ip_address.addr_family
    ADDR_FAMILY_INET: ip_address.addr_family
    ADDR_FAMILY_INET6: ip_address.addr_family
    AF_FIELD_NUMBER: _ClassVar[int]
    ADDR_FIELD_NUMBER: _ClassVar[int]
    af: ip_address.addr_family
    addr: bytes
    def __init__(self, af: _Optional[_Union[ip_address.addr_family, str]] = ..., addr: _Optional[bytes] = ...) -> None: ...

class apprf_session(_message.Message):
    __slots__ = ("customer_id", "timestamp", "serial_number", "client_firewall_session", "url_detail_record", "ap_name", "session_duration")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_FIREWALL_SESSION_FIELD_NUMBER: _ClassVar[int]
    URL_DETAIL_RECORD_FIELD_NUMBER: _ClassVar[int]
    AP_NAME_FIELD_NUMBER: _ClassVar[int]
    SESSION_DURATION_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    timestamp: int
    serial_number: str
    client_firewall_session: _containers.RepeatedCompositeFieldContainer[client_firewall_session]
    url_detail_record: _containers.RepeatedCompositeFieldContainer[url_detail_record]
    ap_name: str
    session_duration: int
    def __init__(self, customer_id: _Optional[str] = ..., timestamp: _Optional[int] = ..., serial_number: _Optional[str] = ..., client_firewall_session: _Optional[_Iterable[_Union[client_firewall_session, _Mapping]]] = ..., url_detail_record: _Optional[_Iterable[_Union[url_detail_record, _Mapping]]] = ..., ap_name: _Optional[str] = ..., session_duration: _Optional[int] = ...) -> None: ...

class client_firewall_session(_message.Message):
    __slots__ = ("client_ip", "client_mac", "dest_ip", "ingress_type", "ip_proto", "vlan", "uplink_id", "uplink_name", "app_id", "app_name", "app_cat_id", "app_cat", "web_cat_id", "web_cat", "web_rep_score", "web_rep", "dest_url_prefix", "domain", "session_flags", "tx_bytes", "rx_bytes", "rtt", "c2s_rtt", "s2c_rtt", "packet_loss", "c2s_packet_loss", "s2c_packet_loss", "ssid", "user_name", "user_role", "device_type", "timestamp", "preauth_flag", "dest_port")
    class ingress_type_t(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        INGRESS_WLAN: _ClassVar[client_firewall_session.ingress_type_t]
        INGRESS_WIRED: _ClassVar[client_firewall_session.ingress_type_t]
        INGRESS_VPN: _ClassVar[client_firewall_session.ingress_type_t]
    INGRESS_WLAN: client_firewall_session.ingress_type_t
    INGRESS_WIRED: client_firewall_session.ingress_type_t
    INGRESS_VPN: client_firewall_session.ingress_type_t
    class app_enforcement_status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        ENF_PERMIT: _ClassVar[client_firewall_session.app_enforcement_status]
        ENF_DENY: _ClassVar[client_firewall_session.app_enforcement_status]
    ENF_PERMIT: client_firewall_session.app_enforcement_status
    ENF_DENY: client_firewall_session.app_enforcement_status
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MAC_FIELD_NUMBER: _ClassVar[int]
    DEST_IP_FIELD_NUMBER: _ClassVar[int]
    INGRESS_TYPE_FIELD_NUMBER: _ClassVar[int]
    IP_PROTO_FIELD_NUMBER: _ClassVar[int]
    VLAN_FIELD_NUMBER: _ClassVar[int]
    UPLINK_ID_FIELD_NUMBER: _ClassVar[int]
    UPLINK_NAME_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    APP_NAME_FIELD_NUMBER: _ClassVar[int]
    APP_CAT_ID_FIELD_NUMBER: _ClassVar[int]
    APP_CAT_FIELD_NUMBER: _ClassVar[int]
    WEB_CAT_ID_FIELD_NUMBER: _ClassVar[int]
    WEB_CAT_FIELD_NUMBER: _ClassVar[int]
    WEB_REP_SCORE_FIELD_NUMBER: _ClassVar[int]
    WEB_REP_FIELD_NUMBER: _ClassVar[int]
    DEST_URL_PREFIX_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    SESSION_FLAGS_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RTT_FIELD_NUMBER: _ClassVar[int]
    C2S_RTT_FIELD_NUMBER: _ClassVar[int]
    S2C_RTT_FIELD_NUMBER: _ClassVar[int]
    PACKET_LOSS_FIELD_NUMBER: _ClassVar[int]
    C2S_PACKET_LOSS_FIELD_NUMBER: _ClassVar[int]
    S2C_PACKET_LOSS_FIELD_NUMBER: _ClassVar[int]
    SSID_FIELD_NUMBER: _ClassVar[int]
    USER_NAME_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    PREAUTH_FLAG_FIELD_NUMBER: _ClassVar[int]
    DEST_PORT_FIELD_NUMBER: _ClassVar[int]
    client_ip: ip_address
    client_mac: mac_address
    dest_ip: ip_address
    ingress_type: client_firewall_session.ingress_type_t
    ip_proto: int
    vlan: str
    uplink_id: int
    uplink_name: str
    app_id: int
    app_name: str
    app_cat_id: int
    app_cat: str
    web_cat_id: int
    web_cat: str
    web_rep_score: int
    web_rep: str
    dest_url_prefix: str
    domain: str
    session_flags: client_firewall_session.app_enforcement_status
    tx_bytes: int
    rx_bytes: int
    rtt: int
    c2s_rtt: int
    s2c_rtt: int
    packet_loss: int
    c2s_packet_loss: int
    s2c_packet_loss: int
    ssid: str
    user_name: str
    user_role: str
    device_type: str
    timestamp: int
    preauth_flag: bool
    dest_port: int
    def __init__(self, client_ip: _Optional[_Union[ip_address, _Mapping]] = ..., client_mac: _Optional[_Union[mac_address, _Mapping]] = ..., dest_ip: _Optional[_Union[ip_address, _Mapping]] = ..., ingress_type: _Optional[_Union[client_firewall_session.ingress_type_t, str]] = ..., ip_proto: _Optional[int] = ..., vlan: _Optional[str] = ..., uplink_id: _Optional[int] = ..., uplink_name: _Optional[str] = ..., app_id: _Optional[int] = ..., app_name: _Optional[str] = ..., app_cat_id: _Optional[int] = ..., app_cat: _Optional[str] = ..., web_cat_id: _Optional[int] = ..., web_cat: _Optional[str] = ..., web_rep_score: _Optional[int] = ..., web_rep: _Optional[str] = ..., dest_url_prefix: _Optional[str] = ..., domain: _Optional[str] = ..., session_flags: _Optional[_Union[client_firewall_session.app_enforcement_status, str]] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., rtt: _Optional[int] = ..., c2s_rtt: _Optional[int] = ..., s2c_rtt: _Optional[int] = ..., packet_loss: _Optional[int] = ..., c2s_packet_loss: _Optional[int] = ..., s2c_packet_loss: _Optional[int] = ..., ssid: _Optional[str] = ..., user_name: _Optional[str] = ..., user_role: _Optional[str] = ..., device_type: _Optional[str] = ..., timestamp: _Optional[int] = ..., preauth_flag: _Optional[bool] = ..., dest_port: _Optional[int] = ...) -> None: ...

class url_detail_record(_message.Message):
    __slots__ = ("client_ip", "dest_ip", "client_mac", "dest_url_prefix", "hit_count", "http_method", "last_hit_timestamp")
    class url_http_method(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        NON_HTTP: _ClassVar[url_detail_record.url_http_method]
        HTTP_GET: _ClassVar[url_detail_record.url_http_method]
        HTTP_PUT: _ClassVar[url_detail_record.url_http_method]
        HTTP_POST: _ClassVar[url_detail_record.url_http_method]
        HTTP_HEAD: _ClassVar[url_detail_record.url_http_method]
    NON_HTTP: url_detail_record.url_http_method
    HTTP_GET: url_detail_record.url_http_method
    HTTP_PUT: url_detail_record.url_http_method
    HTTP_POST: url_detail_record.url_http_method
    HTTP_HEAD: url_detail_record.url_http_method
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    DEST_IP_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MAC_FIELD_NUMBER: _ClassVar[int]
    DEST_URL_PREFIX_FIELD_NUMBER: _ClassVar[int]
    HIT_COUNT_FIELD_NUMBER: _ClassVar[int]
    HTTP_METHOD_FIELD_NUMBER: _ClassVar[int]
    LAST_HIT_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    client_ip: ip_address
    dest_ip: ip_address
    client_mac: mac_address
    dest_url_prefix: bytes
    hit_count: int
    http_method: url_detail_record.url_http_method
    last_hit_timestamp: int
    def __init__(self, client_ip: _Optional[_Union[ip_address, _Mapping]] = ..., dest_ip: _Optional[_Union[ip_address, _Mapping]] = ..., client_mac: _Optional[_Union[mac_address, _Mapping]] = ..., dest_url_prefix: _Optional[bytes] = ..., hit_count: _Optional[int] = ..., http_method: _Optional[_Union[url_detail_record.url_http_method, str]] = ..., last_hit_timestamp: _Optional[int] = ...) -> None: ...
