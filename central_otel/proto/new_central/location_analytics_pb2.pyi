from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FirmwareVersion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FIRMWARE_VERSION_UNSPECIFIED: _ClassVar[FirmwareVersion]
    FIRMWARE_VERSION_CLIENT_8X_RSSI: _ClassVar[FirmwareVersion]
    FIRMWARE_VERSION_CLIENT_10X_RSSI: _ClassVar[FirmwareVersion]
FIRMWARE_VERSION_UNSPECIFIED: FirmwareVersion
FIRMWARE_VERSION_CLIENT_8X_RSSI: FirmwareVersion
FIRMWARE_VERSION_CLIENT_10X_RSSI: FirmwareVersion

class ClientRssi(_message.Message):
    __slots__ = ("client_mac", "ap_serial", "ap_mac", "radio_mac", "rssi_val", "associated", "assoc_bssid", "age", "noise_floor", "ap_ip", "ap_name")
    CLIENT_MAC_FIELD_NUMBER: _ClassVar[int]
    AP_SERIAL_FIELD_NUMBER: _ClassVar[int]
    AP_MAC_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_FIELD_NUMBER: _ClassVar[int]
    RSSI_VAL_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    ASSOC_BSSID_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    NOISE_FLOOR_FIELD_NUMBER: _ClassVar[int]
    AP_IP_FIELD_NUMBER: _ClassVar[int]
    AP_NAME_FIELD_NUMBER: _ClassVar[int]
    client_mac: str
    ap_serial: str
    ap_mac: str
    radio_mac: str
    rssi_val: int
    associated: bool
    assoc_bssid: str
    age: int
    noise_floor: int
    ap_ip: str
    ap_name: str
    def __init__(self, client_mac: _Optional[str] = ..., ap_serial: _Optional[str] = ..., ap_mac: _Optional[str] = ..., radio_mac: _Optional[str] = ..., rssi_val: _Optional[int] = ..., associated: _Optional[bool] = ..., assoc_bssid: _Optional[str] = ..., age: _Optional[int] = ..., noise_floor: _Optional[int] = ..., ap_ip: _Optional[str] = ..., ap_name: _Optional[str] = ...) -> None: ...

class RssiEvent(_message.Message):
    __slots__ = ("firmware_version", "raw_rssi", "proximity_rssi")
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    RAW_RSSI_FIELD_NUMBER: _ClassVar[int]
    PROXIMITY_RSSI_FIELD_NUMBER: _ClassVar[int]
    firmware_version: FirmwareVersion
    raw_rssi: ClientRssi
    proximity_rssi: ClientRssi
    def __init__(self, firmware_version: _Optional[_Union[FirmwareVersion, str]] = ..., raw_rssi: _Optional[_Union[ClientRssi, _Mapping]] = ..., proximity_rssi: _Optional[_Union[ClientRssi, _Mapping]] = ...) -> None: ...
