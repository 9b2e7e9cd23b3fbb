from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StreamLocationMessage(_message.Message):
    __slots__ = ("wifi_client_location", "asset_tag_location")
    WIFI_CLIENT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    ASSET_TAG_LOCATION_FIELD_NUMBER: _ClassVar[int]
    wifi_client_location: WifiClientLocation
    asset_tag_location: AssetTagLocation
    def __init__(self, wifi_client_location: _Optional[_Union[WifiClientLocation, _Mapping]] = ..., asset_tag_location: _Optional[_Union[AssetTagLocation, _Mapping]] = ...) -> None: ...

class WifiClientLocation(_message.Message):
    __slots__ = ("x", "y", "error_level", "sta_eth_mac", "longitude", "latitude", "site_id", "building_id", "floor_id", "reporting_ap_serial", "associated", "assoc_bssid", "connected", "entered_zone_info")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    ERROR_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    BUILDING_ID_FIELD_NUMBER: _ClassVar[int]
    FLOOR_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTING_AP_SERIAL_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    ASSOC_BSSID_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_FIELD_NUMBER: _ClassVar[int]
    ENTERED_ZONE_INFO_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    error_level: float
    sta_eth_mac: str
    longitude: float
    latitude: float
    site_id: str
    building_id: str
    floor_id: str
    reporting_ap_serial: _containers.RepeatedScalarFieldContainer[str]
    associated: bool
    assoc_bssid: str
    connected: bool
    entered_zone_info: _containers.RepeatedCompositeFieldContainer[ZoneEntry]
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., error_level: _Optional[float] = ..., sta_eth_mac: _Optional[str] = ..., longitude: _Optional[float] = ..., latitude: _Optional[float] = ..., site_id: _Optional[str] = ..., building_id: _Optional[str] = ..., floor_id: _Optional[str] = ..., reporting_ap_serial: _Optional[_Iterable[str]] = ..., associated: _Optional[bool] = ..., assoc_bssid: _Optional[str] = ..., connected: _Optional[bool] = ..., entered_zone_info: _Optional[_Iterable[_Union[ZoneEntry, _Mapping]]] = ...) -> None: ...

class ZoneEntry(_message.Message):
    __slots__ = ("zone_id", "dwell_time_in_seconds")
    ZONE_ID_FIELD_NUMBER: _ClassVar[int]
    DWELL_TIME_IN_SECONDS_FIELD_NUMBER: _ClassVar[int]
    zone_id: str
    dwell_time_in_seconds: int
    def __init__(self, zone_id: _Optional[str] = ..., dwell_time_in_seconds: _Optional[int] = ...) -> None: ...

class AssetTagLocation(_message.Message):
    __slots__ = ("x", "y", "device_id", "device_mac", "entered_zone_info", "longitude", "latitude", "site_id", "building_id", "floor_id", "battery_level", "name", "custom_id", "label", "notes")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_MAC_FIELD_NUMBER: _ClassVar[int]
    ENTERED_ZONE_INFO_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    BUILDING_ID_FIELD_NUMBER: _ClassVar[int]
    FLOOR_ID_FIELD_NUMBER: _ClassVar[int]
    BATTERY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    x: float
    y: float
    device_id: str
    device_mac: str
    entered_zone_info: _containers.RepeatedCompositeFieldContainer[ZoneEntry]
    longitude: float
    latitude: float
    site_id: str
    building_id: str
    floor_id: str
    battery_level: float
    name: str
    custom_id: str
    label: _containers.RepeatedScalarFieldContainer[str]
    notes: str
    def __init__(self, x: _Optional[float] = ..., y: _Optional[float] = ..., device_id: _Optional[str] = ..., device_mac: _Optional[str] = ..., entered_zone_info: _Optional[_Iterable[_Union[ZoneEntry, _Mapping]]] = ..., longitude: _Optional[float] = ..., latitude: _Optional[float] = ..., site_id: _Optional[str] = ..., building_id: _Optional[str] = ..., floor_id: _Optional[str] = ..., battery_level: _Optional[float] = ..., name: _Optional[str] = ..., custom_id: _Optional[str] = ..., label: _Optional[_Iterable[str]] = ..., notes: _Optional[str] = ...) -> None: ...
