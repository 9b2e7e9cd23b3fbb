from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Action(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADD: _ClassVar[Action]
    DELETE: _ClassVar[Action]
    UPDATE: _ClassVar[Action]
ADD: Action
DELETE: Action
UPDATE: Action

class MacAddress(_message.Message):
    __slots__ = ("addr",)
    ADDR_FIELD_NUMBER: _ClassVar[int]
    addr: bytes
    def __init__(self, addr: _Optional[bytes] = ...) -> None: ...

class RapidsStreamingEvent(_message.Message):
    __slots__ = ("cust_id", "rogue", "idsEvent")
    CUST_ID_FIELD_NUMBER: _ClassVar[int]
    ROGUE_FIELD_NUMBER: _ClassVar[int]
    IDSEVENT_FIELD_NUMBER: _ClassVar[int]
    cust_id: str
    rogue: _containers.RepeatedCompositeFieldContainer[RogueEvent]
    idsEvent: _containers.RepeatedCompositeFieldContainer[WIDSEvent]
    def __init__(self, cust_id: _Optional[str] = ..., rogue: _Optional[_Iterable[_Union[RogueEvent, _Mapping]]] = ..., idsEvent: _Optional[_Iterable[_Union[WIDSEvent, _Mapping]]] = ...) -> None: ...

class RogueEvent(_message.Message):
    __slots__ = ("rogue_id", "classification", "first_seen", "last_seen", "rogue_name", "ssid", "lan_mac", "first_det_device", "last_det_device", "encryption", "port", "containment_status", "mac_vendor")
    ROGUE_ID_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEEN_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_FIELD_NUMBER: _ClassVar[int]
    ROGUE_NAME_FIELD_NUMBER: _ClassVar[int]
    SSID_FIELD_NUMBER: _ClassVar[int]
    LAN_MAC_FIELD_NUMBER: _ClassVar[int]
    FIRST_DET_DEVICE_FIELD_NUMBER: _ClassVar[int]
    LAST_DET_DEVICE_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTION_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    CONTAINMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    MAC_VENDOR_FIELD_NUMBER: _ClassVar[int]
    rogue_id: MacAddress
    classification: int
    first_seen: str
    last_seen: str
    rogue_name: str
    ssid: str
    lan_mac: str
    first_det_device: str
    last_det_device: str
    encryption: int
    port: str
    containment_status: str
    mac_vendor: str
    def __init__(self, rogue_id: _Optional[_Union[MacAddress, _Mapping]] = ..., classification: _Optional[int] = ..., first_seen: _Optional[str] = ..., last_seen: _Optional[str] = ..., rogue_name: _Optional[str] = ..., ssid: _Optional[str] = ..., lan_mac: _Optional[str] = ..., first_det_device: _Optional[str] = ..., last_det_device: _Optional[str] = ..., encryption: _Optional[int] = ..., port: _Optional[str] = ..., containment_status: _Optional[str] = ..., mac_vendor: _Optional[str] = ...) -> None: ...

class WIDSEvent(_message.Message):
    __slots__ = ("device_id", "event_number", "event_type", "attack_type", "description", "detected_ap", "mac_addr", "radio_band", "level")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ATTACK_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AP_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDR_FIELD_NUMBER: _ClassVar[int]
    RADIO_BAND_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    event_number: int
    event_type: str
    attack_type: str
    description: str
    detected_ap: str
    mac_addr: MacAddress
    radio_band: str
    level: str
    def __init__(self, device_id: _Optional[str] = ..., event_number: _Optional[int] = ..., event_type: _Optional[str] = ..., attack_type: _Optional[str] = ..., description: _Optional[str] = ..., detected_ap: _Optional[str] = ..., mac_addr: _Optional[_Union[MacAddress, _Mapping]] = ..., radio_band: _Optional[str] = ..., level: _Optional[str] = ...) -> None: ...
