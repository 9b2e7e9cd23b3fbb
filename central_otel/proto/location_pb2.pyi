from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class target_dev_type(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TARGET_TYPE_UNKNOWN: _ClassVar[target_dev_type]
    TARGET_TYPE_STATION: _ClassVar[target_dev_type]
    TARGET_TYPE_TAG: _ClassVar[target_dev_type]
    TARGET_TYPE_ROGUE: _ClassVar[target_dev_type]

class algorithm(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALGORITHM_TRIANGULATION: _ClassVar[algorithm]
    ALGORITHM_AP_PLACEMENT: _ClassVar[algorithm]
    ALGORITHM_CALIBRATION: _ClassVar[algorithm]
    ALGORITHM_ESTIMATION: _ClassVar[algorithm]
    ALGORITHM_LOW_DENSITY: _ClassVar[algorithm]

class measurement_unit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METERS: _ClassVar[measurement_unit]
    FEET: _ClassVar[measurement_unit]
    PIXELS: _ClassVar[measurement_unit]

class error_code(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERROR_CODE_NO_ERROR: _ClassVar[error_code]
    ERROR_CODE_0_RSSI: _ClassVar[error_code]
    ERROR_CODE_ONLY_1_RSSI: _ClassVar[error_code]
    ERROR_CODE_ONLY_2_RSSI: _ClassVar[error_code]
    ERROR_CODE_RSSI_QUALITY: _ClassVar[error_code]
    ERROR_CODE_RSSI_OLD_TIMESTAMP: _ClassVar[error_code]
    ERROR_CODE_RSSI_CLOSE_TIMESTAMP: _ClassVar[error_code]
    ERROR_CODE_LEGACY: _ClassVar[error_code]

class zone_event(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ZONE_IN: _ClassVar[zone_event]
    ZONE_OUT: _ClassVar[zone_event]
TARGET_TYPE_UNKNOWN: target_dev_type
TARGET_TYPE_STATION: target_dev_type
TARGET_TYPE_TAG: target_dev_type
TARGET_TYPE_ROGUE: target_dev_type
ALGORITHM_TRIANGULATION: algorithm
ALGORITHM_AP_PLACEMENT: algorithm
ALGORITHM_CALIBRATION: algorithm
ALGORITHM_ESTIMATION: algorithm
ALGORITHM_LOW_DENSITY: algorithm
METERS: measurement_unit
FEET: measurement_unit
PIXELS: measurement_unit
ERROR_CODE_NO_ERROR: error_code
ERROR_CODE_0_RSSI: error_code
ERROR_CODE_ONLY_1_RSSI: error_code
ERROR_CODE_ONLY_2_RSSI: error_code
ERROR_CODE_RSSI_QUALITY: error_code
ERROR_CODE_RSSI_OLD_TIMESTAMP: error_code
ERROR_CODE_RSSI_CLOSE_TIMESTAMP: error_code
ERROR_CODE_LEGACY: error_code
ZONE_IN: zone_event
ZONE_OUT: zone_event

class mac_address(_message.Message):
    __slots__ = ("addr",)
    ADDR_FIELD_NUMBER: _ClassVar[int]
    addr: bytes
    def __init__(self, addr: _Optional[bytes] = ...) -> None: ...

class record(_message.Message):
    __slots__ = ("timestamp", "radio_mac", "rssi_val", "channel")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_FIELD_NUMBER: _ClassVar[int]
    RSSI_VAL_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    timestamp: int
    radio_mac: mac_address
    rssi_val: int
    channel: int
    def __init__(self, timestamp: _Optional[int] = ..., radio_mac: _Optional[_Union[mac_address, _Mapping]] = ..., rssi_val: _Optional[int] = ..., channel: _Optional[int] = ...) -> None: ...

class stream_location(_message.Message):
    __slots__ = ("sta_location_x", "sta_location_y", "error_level", "hashed_sta_eth_mac", "geofence_ids", "loc_algorithm", "longitude", "latitude", "altitude", "unit", "sta_eth_mac", "campus_id_string", "building_id_string", "floor_id_string", "target_type", "associated", "err_code", "records")
    STA_LOCATION_X_FIELD_NUMBER: _ClassVar[int]
    STA_LOCATION_Y_FIELD_NUMBER: _ClassVar[int]
    ERROR_LEVEL_FIELD_NUMBER: _ClassVar[int]
    HASHED_STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    GEOFENCE_IDS_FIELD_NUMBER: _ClassVar[int]
    LOC_ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    ALTITUDE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    CAMPUS_ID_STRING_FIELD_NUMBER: _ClassVar[int]
    BUILDING_ID_STRING_FIELD_NUMBER: _ClassVar[int]
    FLOOR_ID_STRING_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    ERR_CODE_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    sta_location_x: float
    sta_location_y: float
    error_level: int
    hashed_sta_eth_mac: str
    geofence_ids: _containers.RepeatedScalarFieldContainer[str]
    loc_algorithm: algorithm
    longitude: float
    latitude: float
    altitude: float
    unit: measurement_unit
    sta_eth_mac: mac_address
    campus_id_string: str
    building_id_string: str
    floor_id_string: str
    target_type: target_dev_type
    associated: bool
    err_code: error_code
    records: _containers.RepeatedCompositeFieldContainer[record]
    def __init__(self, sta_location_x: _Optional[float] = ..., sta_location_y: _Optional[float] = ..., error_level: _Optional[int] = ..., hashed_sta_eth_mac: _Optional[str] = ..., geofence_ids: _Optional[_Iterable[str]] = ..., loc_algorithm: _Optional[_Union[algorithm, str]] = ..., longitude: _Optional[float] = ..., latitude: _Optional[float] = ..., altitude: _Optional[float] = ..., unit: _Optional[_Union[measurement_unit, str]] = ..., sta_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ..., campus_id_string: _Optional[str] = ..., building_id_string: _Optional[str] = ..., floor_id_string: _Optional[str] = ..., target_type: _Optional[_Union[target_dev_type, str]] = ..., associated: _Optional[bool] = ..., err_code: _Optional[_Union[error_code, str]] = ..., records: _Optional[_Iterable[_Union[record, _Mapping]]] = ...) -> None: ...

class stream_geofence_notify(_message.Message):
    __slots__ = ("geofence_event", "geofence_id", "geofence_name", "sta_eth_mac", "associated", "dwell_time", "hashed_sta_eth_mac")
    GEOFENCE_EVENT_FIELD_NUMBER: _ClassVar[int]
    GEOFENCE_ID_FIELD_NUMBER: _ClassVar[int]
    GEOFENCE_NAME_FIELD_NUMBER: _ClassVar[int]
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    DWELL_TIME_FIELD_NUMBER: _ClassVar[int]
    HASHED_STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    geofence_event: zone_event
    geofence_id: bytes
    geofence_name: str
    sta_eth_mac: mac_address
    associated: bool
    dwell_time: int
    hashed_sta_eth_mac: str
    def __init__(self, geofence_event: _Optional[_Union[zone_event, str]] = ..., geofence_id: _Optional[bytes] = ..., geofence_name: _Optional[str] = ..., sta_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ..., associated: _Optional[bool] = ..., dwell_time: _Optional[int] = ..., hashed_sta_eth_mac: _Optional[str] = ...) -> None: ...
