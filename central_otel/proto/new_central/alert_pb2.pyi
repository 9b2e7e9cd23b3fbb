import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertStreamingMessage(_message.Message):
    __slots__ = ("id", "alert_id", "tenant_id", "tenant_name", "msp_id", "msp_name", "name", "category", "device_type", "severity", "time", "operation", "state", "site_id", "config_scope", "summary", "site_name", "notes", "impacted_entities", "additional_details", "priority")
    ID_FIELD_NUMBER: _ClassVar[int]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_NAME_FIELD_NUMBER: _ClassVar[int]
    MSP_ID_FIELD_NUMBER: _ClassVar[int]
    MSP_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SCOPE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    IMPACTED_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_DETAILS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    id: str
    alert_id: str
    tenant_id: str
    tenant_name: str
    msp_id: str
    msp_name: str
    name: str
    category: str
    device_type: str
    severity: str
    time: _timestamp_pb2.Timestamp
    operation: str
    state: str
    site_id: str
    config_scope: str
    summary: str
    site_name: str
    notes: str
    impacted_entities: ImpactedEntities
    additional_details: _containers.RepeatedCompositeFieldContainer[AdditionalDetail]
    priority: str
    def __init__(self, id: _Optional[str] = ..., alert_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., tenant_name: _Optional[str] = ..., msp_id: _Optional[str] = ..., msp_name: _Optional[str] = ..., name: _Optional[str] = ..., category: _Optional[str] = ..., device_type: _Optional[str] = ..., severity: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operation: _Optional[str] = ..., state: _Optional[str] = ..., site_id: _Optional[str] = ..., config_scope: _Optional[str] = ..., summary: _Optional[str] = ..., site_name: _Optional[str] = ..., notes: _Optional[str] = ..., impacted_entities: _Optional[_Union[ImpactedEntities, _Mapping]] = ..., additional_details: _Optional[_Iterable[_Union[AdditionalDetail, _Mapping]]] = ..., priority: _Optional[str] = ...) -> None: ...

class AdditionalDetail(_message.Message):
    __slots__ = ("entries",)
    class EntriesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.ScalarMap[str, str]
    def __init__(self, entries: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ImpactedEntities(_message.Message):
    __slots__ = ("device_serial", "client_mac")
    DEVICE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MAC_FIELD_NUMBER: _ClassVar[int]
    device_serial: _containers.RepeatedScalarFieldContainer[str]
    client_mac: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, device_serial: _Optional[_Iterable[str]] = ..., client_mac: _Optional[_Iterable[str]] = ...) -> None: ...
