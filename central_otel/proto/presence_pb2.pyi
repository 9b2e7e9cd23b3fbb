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

class MacAddress(_message.Message):
    __slots__ = ("addr",)
    ADDR_FIELD_NUMBER: _ClassVar[int]
    addr: bytes
    def __init__(self, addr: _Optional[bytes] = ...) -> None: ...

class presence_event(_message.Message):
    __slots__ = ("timestamp", "customer_id", "event", "event_type", "pa_client_state", "pa_rssi_event", "pa_proximity_event")
    class presence_event_type(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        client_state: _ClassVar[presence_event.presence_event_type]
        rssi: _ClassVar[presence_event.presence_event_type]
        proximity: _ClassVar[presence_event.presence_event_type]
    client_state: presence_event.presence_event_type
    rssi: presence_event.presence_event_type
    proximity: presence_event.presence_event_type
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PA_CLIENT_STATE_FIELD_NUMBER: _ClassVar[int]
    PA_RSSI_EVENT_FIELD_NUMBER: _ClassVar[int]
    PA_PROXIMITY_EVENT_FIELD_NUMBER: _ClassVar[int]
    timestamp: int
    customer_id: str
    event: str
    event_type: presence_event.presence_event_type
    pa_client_state: pa_client_state
    pa_rssi_event: pa_rssi_event
    pa_proximity_event: pa_proximity_event
    def __init__(self, timestamp: _Optional[int] = ..., customer_id: _Optional[str] = ..., event: _Optional[str] = ..., event_type: _Optional[_Union[presence_event.presence_event_type, str]] = ..., pa_client_state: _Optional[_Union[pa_client_state, _Mapping]] = ..., pa_rssi_event: _Optional[_Union[pa_rssi_event, _Mapping]] = ..., pa_proximity_event: _Optional[_Union[pa_proximity_event, _Mapping]] = ...) -> None: ...

class pa_client_state(_message.Message):
    __slots__ = ("presence_client_state",)
    PRESENCE_CLIENT_STATE_FIELD_NUMBER: _ClassVar[int]
    presence_client_state: _containers.RepeatedCompositeFieldContainer[presence_client_state]
    def __init__(self, presence_client_state: _Optional[_Iterable[_Union[presence_client_state, _Mapping]]] = ...) -> None: ...

class presence_client_state(_message.Message):
    __slots__ = ("is_label", "label_id", "label_category_id", "state", "is_associated")
    class client_state(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        passerby: _ClassVar[presence_client_state.client_state]
        visitor: _ClassVar[presence_client_state.client_state]
        engaged: _ClassVar[presence_client_state.client_state]
    passerby: presence_client_state.client_state
    visitor: presence_client_state.client_state
    engaged: presence_client_state.client_state
    IS_LABEL_FIELD_NUMBER: _ClassVar[int]
    LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_CATEGORY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    IS_ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    is_label: bool
    label_id: int
    label_category_id: int
    state: presence_client_state.client_state
    is_associated: bool
    def __init__(self, is_label: _Optional[bool] = ..., label_id: _Optional[int] = ..., label_category_id: _Optional[int] = ..., state: _Optional[_Union[presence_client_state.client_state, str]] = ..., is_associated: _Optional[bool] = ...) -> None: ...

class pa_proximity_event(_message.Message):
    __slots__ = ("proximity",)
    PROXIMITY_FIELD_NUMBER: _ClassVar[int]
    proximity: _containers.RepeatedCompositeFieldContainer[proximity]
    def __init__(self, proximity: _Optional[_Iterable[_Union[proximity, _Mapping]]] = ...) -> None: ...

class proximity(_message.Message):
    __slots__ = ("device_id", "sta_eth_mac", "radio_mac", "rssi_val", "noise_floor", "associated", "ap_eth_mac")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_FIELD_NUMBER: _ClassVar[int]
    RSSI_VAL_FIELD_NUMBER: _ClassVar[int]
    NOISE_FLOOR_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    AP_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    sta_eth_mac: mac_address
    radio_mac: mac_address
    rssi_val: int
    noise_floor: int
    associated: bool
    ap_eth_mac: mac_address
    def __init__(self, device_id: _Optional[str] = ..., sta_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ..., radio_mac: _Optional[_Union[mac_address, _Mapping]] = ..., rssi_val: _Optional[int] = ..., noise_floor: _Optional[int] = ..., associated: _Optional[bool] = ..., ap_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ...) -> None: ...

class pa_rssi_event(_message.Message):
    __slots__ = ("rssi",)
    RSSI_FIELD_NUMBER: _ClassVar[int]
    rssi: _containers.RepeatedCompositeFieldContainer[rssi]
    def __init__(self, rssi: _Optional[_Iterable[_Union[rssi, _Mapping]]] = ...) -> None: ...

class rssi(_message.Message):
    __slots__ = ("sta_eth_mac", "radio_mac", "rssi_val", "noise_floor", "associated", "is_ap", "age", "device_id", "ap_eth_mac")
    STA_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    RADIO_MAC_FIELD_NUMBER: _ClassVar[int]
    RSSI_VAL_FIELD_NUMBER: _ClassVar[int]
    NOISE_FLOOR_FIELD_NUMBER: _ClassVar[int]
    ASSOCIATED_FIELD_NUMBER: _ClassVar[int]
    IS_AP_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    AP_ETH_MAC_FIELD_NUMBER: _ClassVar[int]
    sta_eth_mac: mac_address
    radio_mac: mac_address
    rssi_val: int
    noise_floor: int
    associated: bool
    is_ap: bool
    age: int
    device_id: str
    ap_eth_mac: mac_address
    def __init__(self, sta_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ..., radio_mac: _Optional[_Union[mac_address, _Mapping]] = ..., rssi_val: _Optional[int] = ..., noise_floor: _Optional[int] = ..., associated: _Optional[bool] = ..., is_ap: _Optional[bool] = ..., age: _Optional[int] = ..., device_id: _Optional[str] = ..., ap_eth_mac: _Optional[_Union[mac_address, _Mapping]] = ...) -> None: ...
