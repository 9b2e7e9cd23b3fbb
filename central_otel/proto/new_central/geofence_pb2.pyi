from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StreamGeofenceMessage(_message.Message):
    __slots__ = ("wifi_client_geofence",)
    WIFI_CLIENT_GEOFENCE_FIELD_NUMBER: _ClassVar[int]
    wifi_client_geofence: WifiClientGeofence
    def __init__(self, wifi_client_geofence: _Optional[_Union[WifiClientGeofence, _Mapping]] = ...) -> None: ...

class WifiClientGeofence(_message.Message):
    __slots__ = ("zone_id", "event_type", "sta_eth_mac", "assoc_bssid", "hashed_sta_eth_mac", "dwell_time_in_seconds")
    class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        EVENT_TYPE_UNSPECIFIED: _ClassVar[WifiClientGeofence.EventType]
        EVENT_TYPE_ENTER: _ClassVar[WifiClientGeofence.EventType]
        EVENT_TYPE_EXIT: _ClassVar[WifiClientGeofence.EventType]
    EVENT_TYPE_UNSPECIFIED: WifiClientGeofence.EventType
    EVENT_TYPE_ENTER: WifiClientGeofence.EventType
    EVENT_TYPE_EXIT: WifiClientGeofence.EventType
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    ASSOC_BSSID_FIELD_NUMBER: _ClassVar[int]
    HASHED_STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    DWELL_TIME_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    zone_id: str
    event_type: WifiClientGeofence.EventType
    sta_eth_mac: str
    assoc_bssid: str
    hashed_sta_eth_mac: str
    dwell_time_in_seconds: int
    def __init__(self, zone_id: _Optional[str] = ..., event_type: _Optional[_Union[WifiClientGeofence.EventType, str]] = ..., sta_eth_mac: _Optional[str] = ..., assoc_bssid: _Optional[str] = ..., hashed_sta_eth_mac: _Optional[str] = ..., dwell_time_in_seconds: _Optional[int] = ...) -> None: ...
