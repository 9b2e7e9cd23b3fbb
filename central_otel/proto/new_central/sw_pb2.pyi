import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventOperation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_OPERATION_UNSPECIFIED: _ClassVar[EventOperation]
    EVENT_OPERATION_ADD: _ClassVar[EventOperation]
    EVENT_OPERATION_DELETE: _ClassVar[EventOperation]
    EVENT_OPERATION_UPDATE: _ClassVar[EventOperation]

class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATUS_UNSPECIFIED: _ClassVar[Status]
    STATUS_UP: _ClassVar[Status]
    STATUS_DOWN: _ClassVar[Status]

class StateDownReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATE_DOWN_REASON_UNSPECIFIED: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_ADMIN_DOWN: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_LINK_DOWN: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_WAITING_FOR_LINK: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_BLOCKED: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_REMOTE_FAULT: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_NOT_PRESENT: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_HARDWARE_ABSENT: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_ERROR_DISABLED: _ClassVar[StateDownReason]
    STATE_DOWN_REASON_UNINITIALIZED: _ClassVar[StateDownReason]

class VlanModes(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VLAN_MODES_UNSPECIFIED: _ClassVar[VlanModes]
    VLAN_MODES_ACCESS: _ClassVar[VlanModes]
    VLAN_MODES_NATIVE_TAGGED: _ClassVar[VlanModes]
    VLAN_MODES_NATIVE_UNTAGGED: _ClassVar[VlanModes]
    VLAN_MODES_ROUTED: _ClassVar[VlanModes]
    VLAN_MODES_TRUNK: _ClassVar[VlanModes]

class VlanStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VLAN_STATUS_UNSPECIFIED: _ClassVar[VlanStatus]
    VLAN_STATUS_UP: _ClassVar[VlanStatus]
    VLAN_STATUS_DOWN: _ClassVar[VlanStatus]

class VlanType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VLAN_TYPE_UNSPECIFIED: _ClassVar[VlanType]
    VLAN_TYPE_STATIC: _ClassVar[VlanType]
    VLAN_TYPE_DYNAMIC: _ClassVar[VlanType]
    VLAN_TYPE_INTERNAL: _ClassVar[VlanType]
    VLAN_TYPE_DEFAULT: _ClassVar[VlanType]

class DeviceRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_ROLE_UNSPECIFIED: _ClassVar[DeviceRole]
    DEVICE_ROLE_PRIMARY: _ClassVar[DeviceRole]
    DEVICE_ROLE_SECONDARY: _ClassVar[DeviceRole]

class ISLPDeviceState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ISLP_DEVICE_STATE_UNSPECIFIED: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_WAITING_FOR_PEER: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_PEER_ESTABLISHED: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_SPLIT_SYSTEM_PRIMARY: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_SPLIT_SYSTEM_SECONDARY: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_SYNC_PRIMARY: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_SYNC_SECONDARY: _ClassVar[ISLPDeviceState]
    ISLP_DEVICE_STATE_SYNC_SECONDARY_LINKUP_DELAY: _ClassVar[ISLPDeviceState]

class ISLState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ISL_STATE_UNSPECIFIED: _ClassVar[ISLState]
    ISL_STATE_IN_SYNC: _ClassVar[ISLState]
    ISL_STATE_DISABLED: _ClassVar[ISLState]
    ISL_STATE_SW_IMAGE_VERSION_MISMATCH_ERROR: _ClassVar[ISLState]
    ISL_STATE_CONFLICTING_OR_MISSING_DEV_ROLES: _ClassVar[ISLState]
    ISL_STATE_PEER_DB_CONNECTION_ERROR: _ClassVar[ISLState]
    ISL_STATE_CONFIGURATION_SYNC_CONFLICT: _ClassVar[ISLState]
    ISL_STATE_CONFIGURATION_SYNC_MISSING_REFERENCE: _ClassVar[ISLState]
    ISL_STATE_PEER_REACHABLE: _ClassVar[ISLState]
    ISL_STATE_PEER_UNREACHABLE: _ClassVar[ISLState]
    ISL_STATE_OPERATIONAL: _ClassVar[ISLState]
    ISL_STATE_INTER_SWITCH_LINK_MGMT_INIT: _ClassVar[ISLState]
    ISL_STATE_INTER_SWITCH_LINK_DOWN: _ClassVar[ISLState]
    ISL_STATE_INTERNAL_ERROR: _ClassVar[ISLState]
EVENT_OPERATION_UNSPECIFIED: EventOperation
EVENT_OPERATION_ADD: EventOperation
EVENT_OPERATION_DELETE: EventOperation
EVENT_OPERATION_UPDATE: EventOperation
STATUS_UNSPECIFIED: Status
STATUS_UP: Status
STATUS_DOWN: Status
STATE_DOWN_REASON_UNSPECIFIED: StateDownReason
STATE_DOWN_REASON_ADMIN_DOWN: StateDownReason
STATE_DOWN_REASON_LINK_DOWN: StateDownReason
STATE_DOWN_REASON_WAITING_FOR_LINK: StateDownReason
STATE_DOWN_REASON_BLOCKED: StateDownReason
STATE_DOWN_REASON_REMOTE_FAULT: StateDownReason
STATE_DOWN_REASON_NOT_PRESENT: StateDownReason
STATE_DOWN_REASON_HARDWARE_ABSENT: StateDownReason
STATE_DOWN_REASON_ERROR_DISABLED: StateDownReason
STATE_DOWN_REASON_UNINITIALIZED: StateDownReason
VLAN_MODES_UNSPECIFIED: VlanModes
VLAN_MODES_ACCESS: VlanModes
VLAN_MODES_NATIVE_TAGGED: VlanModes
VLAN_MODES_NATIVE_UNTAGGED: VlanModes
VLAN_MODES_ROUTED: VlanModes
VLAN_MODES_TRUNK: VlanModes
VLAN_STATUS_UNSPECIFIED: VlanStatus
VLAN_STATUS_UP: VlanStatus
VLAN_STATUS_DOWN: VlanStatus
VLAN_TYPE_UNSPECIFIED: VlanType
VLAN_TYPE_STATIC: VlanType
VLAN_TYPE_DYNAMIC: VlanType
VLAN_TYPE_INTERNAL: VlanType
VLAN_TYPE_DEFAULT: VlanType
DEVICE_ROLE_UNSPECIFIED: DeviceRole
DEVICE_ROLE_PRIMARY: DeviceRole
DEVICE_ROLE_SECONDARY: DeviceRole
ISLP_DEVICE_STATE_UNSPECIFIED: ISLPDeviceState
ISLP_DEVICE_STATE_WAITING_FOR_PEER: ISLPDeviceState
ISLP_DEVICE_STATE_PEER_ESTABLISHED: ISLPDeviceState
ISLP_DEVICE_STATE_SPLIT_SYSTEM_PRIMARY: ISLPDeviceState
ISLP_DEVICE_STATE_SPLIT_SYSTEM_SECONDARY: ISLPDeviceState
ISLP_DEVICE_STATE_SYNC_PRIMARY: ISLPDeviceState
ISLP_DEVICE_STATE_SYNC_SECONDARY: ISLPDeviceState
ISLP_DEVICE_STATE_SYNC_SECONDARY_LINKUP_DELAY: ISLPDeviceState
ISL_STATE_UNSPECIFIED: ISLState
ISL_STATE_IN_SYNC: ISLState
ISL_STATE_DISABLED: ISLState
ISL_STATE_SW_IMAGE_VERSION_MISMATCH_ERROR: ISLState
ISL_STATE_CONFLICTING_OR_MISSING_DEV_ROLES: ISLState
ISL_STATE_PEER_DB_CONNECTION_ERROR: ISLState
ISL_STATE_CONFIGURATION_SYNC_CONFLICT: ISLState
ISL_STATE_CONFIGURATION_SYNC_MISSING_REFERENCE: ISLState
ISL_STATE_PEER_REACHABLE: ISLState
ISL_STATE_PEER_UNREACHABLE: ISLState
ISL_STATE_OPERATIONAL: ISLState
ISL_STATE_INTER_SWITCH_LINK_MGMT_INIT: ISLState
ISL_STATE_INTER_SWITCH_LINK_DOWN: ISLState
ISL_STATE_INTERNAL_ERROR: ISLState

class StreamSwitchMessage(_message.Message):
    __slots__ = ("switch_state", "interface_state", "lldp_state", "vlan_state", "vsx_state", "device_stats", "interface_stats", "stack_state")
    SWITCH_STATE_FIELD_NUMBER: _ClassVar[int]
    INTERFACE_STATE_FIELD_NUMBER: _ClassVar[int]
    LLDP_STATE_FIELD_NUMBER: _ClassVar[int]
    VLAN_STATE_FIELD_NUMBER: _ClassVar[int]
    VSX_STATE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_STATS_FIELD_NUMBER: _ClassVar[int]
    INTERFACE_STATS_FIELD_NUMBER: _ClassVar[int]
    STACK_STATE_FIELD_NUMBER: _ClassVar[int]
    switch_state: Switch
    interface_state: Interface
    lldp_state: Lldp
    vlan_state: Vlan
    vsx_state: Vsx
    device_stats: DeviceStats
    interface_stats: InterfaceStats
    stack_state: SwitchStack
    def __init__(self, switch_state: _Optional[_Union[Switch, _Mapping]] = ..., interface_state: _Optional[_Union[Interface, _Mapping]] = ..., lldp_state: _Optional[_Union[Lldp, _Mapping]] = ..., vlan_state: _Optional[_Union[Vlan, _Mapping]] = ..., vsx_state: _Optional[_Union[Vsx, _Mapping]] = ..., device_stats: _Optional[_Union[DeviceStats, _Mapping]] = ..., interface_stats: _Optional[_Union[InterfaceStats, _Mapping]] = ..., stack_state: _Optional[_Union[SwitchStack, _Mapping]] = ...) -> None: ...

class Switch(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "uptime_in_millis", "device_name", "firmware_version", "mac_address", "model", "stack_id", "status", "ipv4", "public_ip", "default_gateway", "stack_mac", "power_supplies")
    class PowerSupply(_message.Message):
        __slots__ = ("index", "status")
        class PowerSupplyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
            __slots__ = ()
            POWER_SUPPLY_STATUS_UNSPECIFIED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_NOT_PRESENT: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_NOT_PLUGGED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_POWERED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_FAILED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_PERMANENT_FAILURE: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_MAX: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_NO_AUX_POWER: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_NOT_POWERED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
            POWER_SUPPLY_STATUS_AUX_NOT_POWERED: _ClassVar[Switch.PowerSupply.PowerSupplyStatus]
        POWER_SUPPLY_STATUS_UNSPECIFIED: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_NOT_PRESENT: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_NOT_PLUGGED: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_POWERED: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_FAILED: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_PERMANENT_FAILURE: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_MAX: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_NO_AUX_POWER: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_NOT_POWERED: Switch.PowerSupply.PowerSupplyStatus
        POWER_SUPPLY_STATUS_AUX_NOT_POWERED: Switch.PowerSupply.PowerSupplyStatus
        INDEX_FIELD_NUMBER: _ClassVar[int]
        STATUS_FIELD_NUMBER: _ClassVar[int]
        index: int
        status: Switch.PowerSupply.PowerSupplyStatus
        def __init__(self, index: _Optional[int] = ..., status: _Optional[_Union[Switch.PowerSupply.PowerSupplyStatus, str]] = ...) -> None: ...
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    UPTIME_IN_MILLIS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    STACK_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IPV4_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_IP_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_GATEWAY_FIELD_NUMBER: _ClassVar[int]
    STACK_MAC_FIELD_NUMBER: _ClassVar[int]
    POWER_SUPPLIES_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    uptime_in_millis: int
    device_name: str
    firmware_version: str
    mac_address: str
    model: str
    stack_id: str
    status: Status
    ipv4: str
    public_ip: str
    default_gateway: str
    stack_mac: str
    power_supplies: _containers.RepeatedCompositeFieldContainer[Switch.PowerSupply]
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., uptime_in_millis: _Optional[int] = ..., device_name: _Optional[str] = ..., firmware_version: _Optional[str] = ..., mac_address: _Optional[str] = ..., model: _Optional[str] = ..., stack_id: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., ipv4: _Optional[str] = ..., public_ip: _Optional[str] = ..., default_gateway: _Optional[str] = ..., stack_mac: _Optional[str] = ..., power_supplies: _Optional[_Iterable[_Union[Switch.PowerSupply, _Mapping]]] = ...) -> None: ...

class Interface(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "name", "mac_address", "status", "ipv4", "duplex", "port_number", "type", "mode", "vlan", "has_poe", "poe_status", "oper_status", "admin_status", "speed", "mux", "trusted", "slot", "phy_type", "sub_type", "allowed_vlan", "native_vlan", "vsx_enabled", "state_down_reason", "vlan_mode")
    class Duplex(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        DUPLEX_UNSPECIFIED: _ClassVar[Interface.Duplex]
        DUPLEX_HALF: _ClassVar[Interface.Duplex]
        DUPLEX_FULL: _ClassVar[Interface.Duplex]
        DUPLEX_AUTO: _ClassVar[Interface.Duplex]
    DUPLEX_UNSPECIFIED: Interface.Duplex
    DUPLEX_HALF: Interface.Duplex
    DUPLEX_FULL: Interface.Duplex
    DUPLEX_AUTO: Interface.Duplex
    class IntfType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        INTF_TYPE_UNSPECIFIED: _ClassVar[Interface.IntfType]
        INTF_TYPE_ETHERNET: _ClassVar[Interface.IntfType]
        INTF_TYPE_LOOPBACK: _ClassVar[Interface.IntfType]
        INTF_TYPE_VLAN: _ClassVar[Interface.IntfType]
        INTF_TYPE_TUNNEL: _ClassVar[Interface.IntfType]
        INTF_TYPE_PORT_CHANNEL: _ClassVar[Interface.IntfType]
        INTF_TYPE_STANDBY: _ClassVar[Interface.IntfType]
        INTF_TYPE_BRIDGE: _ClassVar[Interface.IntfType]
        INTF_TYPE_SPLIT: _ClassVar[Interface.IntfType]
        INTF_TYPE_STACK: _ClassVar[Interface.IntfType]
        INTF_TYPE_MGMT: _ClassVar[Interface.IntfType]
        INTF_TYPE_NONE: _ClassVar[Interface.IntfType]
    INTF_TYPE_UNSPECIFIED: Interface.IntfType
    INTF_TYPE_ETHERNET: Interface.IntfType
    INTF_TYPE_LOOPBACK: Interface.IntfType
    INTF_TYPE_VLAN: Interface.IntfType
    INTF_TYPE_TUNNEL: Interface.IntfType
    INTF_TYPE_PORT_CHANNEL: Interface.IntfType
    INTF_TYPE_STANDBY: Interface.IntfType
    INTF_TYPE_BRIDGE: Interface.IntfType
    INTF_TYPE_SPLIT: Interface.IntfType
    INTF_TYPE_STACK: Interface.IntfType
    INTF_TYPE_MGMT: Interface.IntfType
    INTF_TYPE_NONE: Interface.IntfType
    class SpeedType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SPEED_TYPE_UNSPECIFIED: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_AUTO: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_10: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_100: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_1000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_10000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_25000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_40000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_50000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_100000: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_2500: _ClassVar[Interface.SpeedType]
        SPEED_TYPE_5000: _ClassVar[Interface.SpeedType]
    SPEED_TYPE_UNSPECIFIED: Interface.SpeedType
    SPEED_TYPE_AUTO: Interface.SpeedType
    SPEED_TYPE_10: Interface.SpeedType
    SPEED_TYPE_100: Interface.SpeedType
    SPEED_TYPE_1000: Interface.SpeedType
    SPEED_TYPE_10000: Interface.SpeedType
    SPEED_TYPE_25000: Interface.SpeedType
    SPEED_TYPE_40000: Interface.SpeedType
    SPEED_TYPE_50000: Interface.SpeedType
    SPEED_TYPE_100000: Interface.SpeedType
    SPEED_TYPE_2500: Interface.SpeedType
    SPEED_TYPE_5000: Interface.SpeedType
    class PortType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        PORT_TYPE_UNSPECIFIED: _ClassVar[Interface.PortType]
        PORT_TYPE_RJ45: _ClassVar[Interface.PortType]
        PORT_TYPE_GBIC: _ClassVar[Interface.PortType]
        PORT_TYPE_SERIAL: _ClassVar[Interface.PortType]
        PORT_TYPE_USB: _ClassVar[Interface.PortType]
        PORT_TYPE_X2: _ClassVar[Interface.PortType]
    PORT_TYPE_UNSPECIFIED: Interface.PortType
    PORT_TYPE_RJ45: Interface.PortType
    PORT_TYPE_GBIC: Interface.PortType
    PORT_TYPE_SERIAL: Interface.PortType
    PORT_TYPE_USB: Interface.PortType
    PORT_TYPE_X2: Interface.PortType
    class PoeSupport(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        POE_SUPPORT_UNSPECIFIED: _ClassVar[Interface.PoeSupport]
        POE_SUPPORT_SUPPORTED: _ClassVar[Interface.PoeSupport]
        POE_SUPPORT_NOT_SUPPORTED: _ClassVar[Interface.PoeSupport]
    POE_SUPPORT_UNSPECIFIED: Interface.PoeSupport
    POE_SUPPORT_SUPPORTED: Interface.PoeSupport
    POE_SUPPORT_NOT_SUPPORTED: Interface.PoeSupport
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IPV4_FIELD_NUMBER: _ClassVar[int]
    DUPLEX_FIELD_NUMBER: _ClassVar[int]
    PORT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    VLAN_FIELD_NUMBER: _ClassVar[int]
    HAS_POE_FIELD_NUMBER: _ClassVar[int]
    POE_STATUS_FIELD_NUMBER: _ClassVar[int]
    OPER_STATUS_FIELD_NUMBER: _ClassVar[int]
    ADMIN_STATUS_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    MUX_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_FIELD_NUMBER: _ClassVar[int]
    SLOT_FIELD_NUMBER: _ClassVar[int]
    PHY_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUB_TYPE_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_VLAN_FIELD_NUMBER: _ClassVar[int]
    NATIVE_VLAN_FIELD_NUMBER: _ClassVar[int]
    VSX_ENABLED_FIELD_NUMBER: _ClassVar[int]
    STATE_DOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    VLAN_MODE_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    name: str
    mac_address: str
    status: Status
    ipv4: str
    duplex: Interface.Duplex
    port_number: str
    type: Interface.IntfType
    mode: str
    vlan: int
    has_poe: Interface.PoeSupport
    poe_status: Status
    oper_status: Status
    admin_status: Status
    speed: Interface.SpeedType
    mux: int
    trusted: int
    slot: str
    phy_type: Interface.PortType
    sub_type: str
    allowed_vlan: _containers.RepeatedScalarFieldContainer[int]
    native_vlan: int
    vsx_enabled: bool
    state_down_reason: StateDownReason
    vlan_mode: VlanModes
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., name: _Optional[str] = ..., mac_address: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., ipv4: _Optional[str] = ..., duplex: _Optional[_Union[Interface.Duplex, str]] = ..., port_number: _Optional[str] = ..., type: _Optional[_Union[Interface.IntfType, str]] = ..., mode: _Optional[str] = ..., vlan: _Optional[int] = ..., has_poe: _Optional[_Union[Interface.PoeSupport, str]] = ..., poe_status: _Optional[_Union[Status, str]] = ..., oper_status: _Optional[_Union[Status, str]] = ..., admin_status: _Optional[_Union[Status, str]] = ..., speed: _Optional[_Union[Interface.SpeedType, str]] = ..., mux: _Optional[int] = ..., trusted: _Optional[int] = ..., slot: _Optional[str] = ..., phy_type: _Optional[_Union[Interface.PortType, str]] = ..., sub_type: _Optional[str] = ..., allowed_vlan: _Optional[_Iterable[int]] = ..., native_vlan: _Optional[int] = ..., vsx_enabled: _Optional[bool] = ..., state_down_reason: _Optional[_Union[StateDownReason, str]] = ..., vlan_mode: _Optional[_Union[VlanModes, str]] = ...) -> None: ...

class Lldp(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "port", "neighbour", "neighbour_port", "remote_port_number", "vlan_id")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    NEIGHBOUR_FIELD_NUMBER: _ClassVar[int]
    NEIGHBOUR_PORT_FIELD_NUMBER: _ClassVar[int]
    REMOTE_PORT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    VLAN_ID_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    port: str
    neighbour: str
    neighbour_port: str
    remote_port_number: str
    vlan_id: str
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., port: _Optional[str] = ..., neighbour: _Optional[str] = ..., neighbour_port: _Optional[str] = ..., remote_port_number: _Optional[str] = ..., vlan_id: _Optional[str] = ...) -> None: ...

class Vlan(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "name", "vlan_id", "id", "tagged_ports", "untagged_ports", "primary_vlan_id", "primary_vlan_type", "promiscuous_ports", "isl_ports", "is_management_vlan", "is_jumbo_enabled", "is_igmp_enabled", "status", "oper_state_reason", "type", "access_ports", "ipv4")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VLAN_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TAGGED_PORTS_FIELD_NUMBER: _ClassVar[int]
    UNTAGGED_PORTS_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_VLAN_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_VLAN_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROMISCUOUS_PORTS_FIELD_NUMBER: _ClassVar[int]
    ISL_PORTS_FIELD_NUMBER: _ClassVar[int]
    IS_MANAGEMENT_VLAN_FIELD_NUMBER: _ClassVar[int]
    IS_JUMBO_ENABLED_FIELD_NUMBER: _ClassVar[int]
    IS_IGMP_ENABLED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OPER_STATE_REASON_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_PORTS_FIELD_NUMBER: _ClassVar[int]
    IPV4_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    name: str
    vlan_id: str
    id: int
    tagged_ports: str
    untagged_ports: str
    primary_vlan_id: int
    primary_vlan_type: str
    promiscuous_ports: str
    isl_ports: str
    is_management_vlan: bool
    is_jumbo_enabled: bool
    is_igmp_enabled: bool
    status: VlanStatus
    oper_state_reason: str
    type: VlanType
    access_ports: str
    ipv4: str
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., name: _Optional[str] = ..., vlan_id: _Optional[str] = ..., id: _Optional[int] = ..., tagged_ports: _Optional[str] = ..., untagged_ports: _Optional[str] = ..., primary_vlan_id: _Optional[int] = ..., primary_vlan_type: _Optional[str] = ..., promiscuous_ports: _Optional[str] = ..., isl_ports: _Optional[str] = ..., is_management_vlan: _Optional[bool] = ..., is_jumbo_enabled: _Optional[bool] = ..., is_igmp_enabled: _Optional[bool] = ..., status: _Optional[_Union[VlanStatus, str]] = ..., oper_state_reason: _Optional[str] = ..., type: _Optional[_Union[VlanType, str]] = ..., access_ports: _Optional[str] = ..., ipv4: _Optional[str] = ...) -> None: ...

class Vsx(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "role", "peer_role", "isl_port", "peer_isl_port", "keepalive_peer_ip", "keepalive_src_ip", "last_sync_timestamp", "peer_mac", "config_sync_disable", "islp_device_state", "isl_state", "config_sync_state_value", "isl_mgmt_state_value", "nae_state_value", "https_server_state_value")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    PEER_ROLE_FIELD_NUMBER: _ClassVar[int]
    ISL_PORT_FIELD_NUMBER: _ClassVar[int]
    PEER_ISL_PORT_FIELD_NUMBER: _ClassVar[int]
    KEEPALIVE_PEER_IP_FIELD_NUMBER: _ClassVar[int]
    KEEPALIVE_SRC_IP_FIELD_NUMBER: _ClassVar[int]
    LAST_SYNC_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    PEER_MAC_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SYNC_DISABLE_FIELD_NUMBER: _ClassVar[int]
    ISLP_DEVICE_STATE_FIELD_NUMBER: _ClassVar[int]
    ISL_STATE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_SYNC_STATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    ISL_MGMT_STATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    NAE_STATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    HTTPS_SERVER_STATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    role: DeviceRole
    peer_role: DeviceRole
    isl_port: str
    peer_isl_port: str
    keepalive_peer_ip: str
    keepalive_src_ip: str
    last_sync_timestamp: _timestamp_pb2.Timestamp
    peer_mac: str
    config_sync_disable: bool
    islp_device_state: ISLPDeviceState
    isl_state: ISLState
    config_sync_state_value: ISLState
    isl_mgmt_state_value: ISLState
    nae_state_value: ISLState
    https_server_state_value: ISLState
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., role: _Optional[_Union[DeviceRole, str]] = ..., peer_role: _Optional[_Union[DeviceRole, str]] = ..., isl_port: _Optional[str] = ..., peer_isl_port: _Optional[str] = ..., keepalive_peer_ip: _Optional[str] = ..., keepalive_src_ip: _Optional[str] = ..., last_sync_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., peer_mac: _Optional[str] = ..., config_sync_disable: _Optional[bool] = ..., islp_device_state: _Optional[_Union[ISLPDeviceState, str]] = ..., isl_state: _Optional[_Union[ISLState, str]] = ..., config_sync_state_value: _Optional[_Union[ISLState, str]] = ..., isl_mgmt_state_value: _Optional[_Union[ISLState, str]] = ..., nae_state_value: _Optional[_Union[ISLState, str]] = ..., https_server_state_value: _Optional[_Union[ISLState, str]] = ...) -> None: ...

class SwitchStack(_message.Message):
    __slots__ = ("operation", "timestamp", "tenant_id", "serial_number", "site_name", "stack_id", "status", "topology", "policy", "firmware_version", "vsf_domain_id", "stack_member_id", "role")
    class StackTopology(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STACK_TOPOLOGY_UNSPECIFIED: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_STANDALONE: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_CHAIN: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_RING: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_MESH: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_PARTIAL_MESH: _ClassVar[SwitchStack.StackTopology]
        STACK_TOPOLOGY_UNKNOWN: _ClassVar[SwitchStack.StackTopology]
    STACK_TOPOLOGY_UNSPECIFIED: SwitchStack.StackTopology
    STACK_TOPOLOGY_STANDALONE: SwitchStack.StackTopology
    STACK_TOPOLOGY_CHAIN: SwitchStack.StackTopology
    STACK_TOPOLOGY_RING: SwitchStack.StackTopology
    STACK_TOPOLOGY_MESH: SwitchStack.StackTopology
    STACK_TOPOLOGY_PARTIAL_MESH: SwitchStack.StackTopology
    STACK_TOPOLOGY_UNKNOWN: SwitchStack.StackTopology
    class StackRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STACK_ROLE_UNSPECIFIED: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_MISSING: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_NOT_JOINED: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_COMMANDER: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_STANDBY: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_MEMBER: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_SHUTDOWN: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_BOOTING: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_FAILED: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_INCOMPATIBLE_OS: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_STANDBY_BOOTING: _ClassVar[SwitchStack.StackRole]
        STACK_ROLE_UNKNOWN: _ClassVar[SwitchStack.StackRole]
    STACK_ROLE_UNSPECIFIED: SwitchStack.StackRole
    STACK_ROLE_MISSING: SwitchStack.StackRole
    STACK_ROLE_NOT_JOINED: SwitchStack.StackRole
    STACK_ROLE_COMMANDER: SwitchStack.StackRole
    STACK_ROLE_STANDBY: SwitchStack.StackRole
    STACK_ROLE_MEMBER: SwitchStack.StackRole
    STACK_ROLE_SHUTDOWN: SwitchStack.StackRole
    STACK_ROLE_BOOTING: SwitchStack.StackRole
    STACK_ROLE_FAILED: SwitchStack.StackRole
    STACK_ROLE_INCOMPATIBLE_OS: SwitchStack.StackRole
    STACK_ROLE_STANDBY_BOOTING: SwitchStack.StackRole
    STACK_ROLE_UNKNOWN: SwitchStack.StackRole
    class StackPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STACK_POLICY_UNSPECIFIED: _ClassVar[SwitchStack.StackPolicy]
        STACK_POLICY_UNKNOWN: _ClassVar[SwitchStack.StackPolicy]
        STACK_POLICY_ONE_FRAGMENT_UP: _ClassVar[SwitchStack.StackPolicy]
        STACK_POLICY_ALL_FRAGMENTS_UP: _ClassVar[SwitchStack.StackPolicy]
    STACK_POLICY_UNSPECIFIED: SwitchStack.StackPolicy
    STACK_POLICY_UNKNOWN: SwitchStack.StackPolicy
    STACK_POLICY_ONE_FRAGMENT_UP: SwitchStack.StackPolicy
    STACK_POLICY_ALL_FRAGMENTS_UP: SwitchStack.StackPolicy
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    STACK_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOPOLOGY_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    VSF_DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    STACK_MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    operation: EventOperation
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    stack_id: str
    status: Status
    topology: SwitchStack.StackTopology
    policy: SwitchStack.StackPolicy
    firmware_version: str
    vsf_domain_id: int
    stack_member_id: int
    role: SwitchStack.StackRole
    def __init__(self, operation: _Optional[_Union[EventOperation, str]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., stack_id: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., topology: _Optional[_Union[SwitchStack.StackTopology, str]] = ..., policy: _Optional[_Union[SwitchStack.StackPolicy, str]] = ..., firmware_version: _Optional[str] = ..., vsf_domain_id: _Optional[int] = ..., stack_member_id: _Optional[int] = ..., role: _Optional[_Union[SwitchStack.StackRole, str]] = ...) -> None: ...

class DeviceStats(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "site_name", "cpu_utilization", "mem_total", "mem_free", "mem_utilization", "power_consumption", "fan_speed", "temperature", "fan_status", "max_power", "poe_consumption", "poe_available", "uptime")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    CPU_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    MEM_TOTAL_FIELD_NUMBER: _ClassVar[int]
    MEM_FREE_FIELD_NUMBER: _ClassVar[int]
    MEM_UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    POWER_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    FAN_SPEED_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    FAN_STATUS_FIELD_NUMBER: _ClassVar[int]
    MAX_POWER_FIELD_NUMBER: _ClassVar[int]
    POE_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    POE_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    cpu_utilization: int
    mem_total: int
    mem_free: int
    mem_utilization: int
    power_consumption: int
    fan_speed: int
    temperature: int
    fan_status: Status
    max_power: int
    poe_consumption: int
    poe_available: int
    uptime: int
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., cpu_utilization: _Optional[int] = ..., mem_total: _Optional[int] = ..., mem_free: _Optional[int] = ..., mem_utilization: _Optional[int] = ..., power_consumption: _Optional[int] = ..., fan_speed: _Optional[int] = ..., temperature: _Optional[int] = ..., fan_status: _Optional[_Union[Status, str]] = ..., max_power: _Optional[int] = ..., poe_consumption: _Optional[int] = ..., poe_available: _Optional[int] = ..., uptime: _Optional[int] = ...) -> None: ...

class InterfaceStats(_message.Message):
    __slots__ = ("timestamp", "tenant_id", "serial_number", "site_name", "mac_address", "tx_bytes", "rx_bytes", "in_errors", "out_errors", "in_discards", "out_discards", "in_packets", "out_packets", "in_other_err", "in_multicast_pkt", "in_broadcast_pkt", "in_unicast_pkt", "out_multicast_pkt", "out_broadcast_pkt", "out_unicast_pkt", "in_fcs", "in_alignment", "out_excessive_collision", "in_jabbers", "in_fragmented", "in_giant", "in_runt", "out_collision", "out_late_collision", "out_deferred", "port_name", "port_number", "power_consumption")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SERIAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SITE_NAME_FIELD_NUMBER: _ClassVar[int]
    MAC_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TX_BYTES_FIELD_NUMBER: _ClassVar[int]
    RX_BYTES_FIELD_NUMBER: _ClassVar[int]
    IN_ERRORS_FIELD_NUMBER: _ClassVar[int]
    OUT_ERRORS_FIELD_NUMBER: _ClassVar[int]
    IN_DISCARDS_FIELD_NUMBER: _ClassVar[int]
    OUT_DISCARDS_FIELD_NUMBER: _ClassVar[int]
    IN_PACKETS_FIELD_NUMBER: _ClassVar[int]
    OUT_PACKETS_FIELD_NUMBER: _ClassVar[int]
    IN_OTHER_ERR_FIELD_NUMBER: _ClassVar[int]
    IN_MULTICAST_PKT_FIELD_NUMBER: _ClassVar[int]
    IN_BROADCAST_PKT_FIELD_NUMBER: _ClassVar[int]
    IN_UNICAST_PKT_FIELD_NUMBER: _ClassVar[int]
    OUT_MULTICAST_PKT_FIELD_NUMBER: _ClassVar[int]
    OUT_BROADCAST_PKT_FIELD_NUMBER: _ClassVar[int]
    OUT_UNICAST_PKT_FIELD_NUMBER: _ClassVar[int]
    IN_FCS_FIELD_NUMBER: _ClassVar[int]
    IN_ALIGNMENT_FIELD_NUMBER: _ClassVar[int]
    OUT_EXCESSIVE_COLLISION_FIELD_NUMBER: _ClassVar[int]
    IN_JABBERS_FIELD_NUMBER: _ClassVar[int]
    IN_FRAGMENTED_FIELD_NUMBER: _ClassVar[int]
    IN_GIANT_FIELD_NUMBER: _ClassVar[int]
    IN_RUNT_FIELD_NUMBER: _ClassVar[int]
    OUT_COLLISION_FIELD_NUMBER: _ClassVar[int]
    OUT_LATE_COLLISION_FIELD_NUMBER: _ClassVar[int]
    OUT_DEFERRED_FIELD_NUMBER: _ClassVar[int]
    PORT_NAME_FIELD_NUMBER: _ClassVar[int]
    PORT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    POWER_CONSUMPTION_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    tenant_id: str
    serial_number: str
    site_name: str
    mac_address: str
    tx_bytes: int
    rx_bytes: int
    in_errors: int
    out_errors: int
    in_discards: int
    out_discards: int
    in_packets: int
    out_packets: int
    in_other_err: int
    in_multicast_pkt: int
    in_broadcast_pkt: int
    in_unicast_pkt: int
    out_multicast_pkt: int
    out_broadcast_pkt: int
    out_unicast_pkt: int
    in_fcs: int
    in_alignment: int
    out_excessive_collision: int
    in_jabbers: int
    in_fragmented: int
    in_giant: int
    in_runt: int
    out_collision: int
    out_late_collision: int
    out_deferred: int
    port_name: str
    port_number: str
    power_consumption: int
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tenant_id: _Optional[str] = ..., serial_number: _Optional[str] = ..., site_name: _Optional[str] = ..., mac_address: _Optional[str] = ..., tx_bytes: _Optional[int] = ..., rx_bytes: _Optional[int] = ..., in_errors: _Optional[int] = ..., out_errors: _Optional[int] = ..., in_discards: _Optional[int] = ..., out_discards: _Optional[int] = ..., in_packets: _Optional[int] = ..., out_packets: _Optional[int] = ..., in_other_err: _Optional[int] = ..., in_multicast_pkt: _Optional[int] = ..., in_broadcast_pkt: _Optional[int] = ..., in_unicast_pkt: _Optional[int] = ..., out_multicast_pkt: _Optional[int] = ..., out_broadcast_pkt: _Optional[int] = ..., out_unicast_pkt: _Optional[int] = ..., in_fcs: _Optional[int] = ..., in_alignment: _Optional[int] = ..., out_excessive_collision: _Optional[int] = ..., in_jabbers: _Optional[int] = ..., in_fragmented: _Optional[int] = ..., in_giant: _Optional[int] = ..., in_runt: _Optional[int] = ..., out_collision: _Optional[int] = ..., out_late_collision: _Optional[int] = ..., out_deferred: _Optional[int] = ..., port_name: _Optional[str] = ..., port_number: _Optional[str] = ..., power_consumption: _Optional[int] = ...) -> None: ...
