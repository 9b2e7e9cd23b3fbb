from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditTrail(_message.Message):
    __slots__ = ("tenant_id", "occurred_on", "action", "category", "sub_category", "destination", "destination_name", "scope_info", "ip_address", "description", "source", "service_name", "log_details", "additional_info")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_ON_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUB_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_NAME_FIELD_NUMBER: _ClassVar[int]
    SCOPE_INFO_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    LOG_DETAILS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_INFO_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    occurred_on: int
    action: str
    category: str
    sub_category: str
    destination: str
    destination_name: str
    scope_info: ScopeInfo
    ip_address: str
    description: str
    source: str
    service_name: str
    log_details: LogDetails
    additional_info: str
    def __init__(self, tenant_id: _Optional[str] = ..., occurred_on: _Optional[int] = ..., action: _Optional[str] = ..., category: _Optional[str] = ..., sub_category: _Optional[str] = ..., destination: _Optional[str] = ..., destination_name: _Optional[str] = ..., scope_info: _Optional[_Union[ScopeInfo, _Mapping]] = ..., ip_address: _Optional[str] = ..., description: _Optional[str] = ..., source: _Optional[str] = ..., service_name: _Optional[str] = ..., log_details: _Optional[_Union[LogDetails, _Mapping]] = ..., additional_info: _Optional[str] = ...) -> None: ...

class ScopeInfo(_message.Message):
    __slots__ = ("scope_type", "scope_ids")
    SCOPE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_IDS_FIELD_NUMBER: _ClassVar[int]
    scope_type: str
    scope_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scope_type: _Optional[str] = ..., scope_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class LogDetails(_message.Message):
    __slots__ = ("changed_fields", "impact_radius", "changed_json")
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    IMPACT_RADIUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_JSON_FIELD_NUMBER: _ClassVar[int]
    changed_fields: _containers.RepeatedCompositeFieldContainer[ChangedField]
    impact_radius: _containers.RepeatedCompositeFieldContainer[ImpactRadius]
    changed_json: ChangedJSON
    def __init__(self, changed_fields: _Optional[_Iterable[_Union[ChangedField, _Mapping]]] = ..., impact_radius: _Optional[_Iterable[_Union[ImpactRadius, _Mapping]]] = ..., changed_json: _Optional[_Union[ChangedJSON, _Mapping]] = ...) -> None: ...

class ChangedField(_message.Message):
    __slots__ = ("field_label_key", "before_transaction", "after_transaction")
    FIELD_LABEL_KEY_FIELD_NUMBER: _ClassVar[int]
    BEFORE_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    AFTER_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    field_label_key: str
    before_transaction: _containers.RepeatedScalarFieldContainer[str]
    after_transaction: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, field_label_key: _Optional[str] = ..., before_transaction: _Optional[_Iterable[str]] = ..., after_transaction: _Optional[_Iterable[str]] = ...) -> None: ...

class ImpactRadius(_message.Message):
    __slots__ = ("context", "values")
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    context: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, context: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class ChangedJSON(_message.Message):
    __slots__ = ("before_transaction", "after_transaction")
    BEFORE_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    AFTER_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    before_transaction: _struct_pb2.Struct
    after_transaction: _struct_pb2.Struct
    def __init__(self, before_transaction: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., after_transaction: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
