"""Event records as OTLP bytes: one `LogRecord` each when accepted (what the queue
stores), and a batch of them wrapped into an `ExportLogsServiceRequest` when sent.

A record is encoded once, so a batch is only concatenation: the resource and scope
prefix is built once per process. The fields are those the SDK's log exporter writes
for an event: `event_name`, the time the event occurred (unset when unknown), the
observed time (when the bridge accepted it), the severity number, a string body and
the attributes.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.event_base import EventRecord
from central_otel.export import wire
from central_otel.export.encoder import any_value, encode_resource

SCOPE_NAME = "central_otel.events"  # the instrumentation scope events have always had


def encode_record(record: EventRecord, observed_ns: int) -> bytes:
    """The serialised `LogRecord` of `record`, observed (accepted) at `observed_ns`."""
    message = logs_pb2.LogRecord(
        time_unix_nano=record.timestamp_ns or 0,
        observed_time_unix_nano=observed_ns,
        severity_number=record.severity_number,  # type: ignore[arg-type]  # an enum's int
        body=common_pb2.AnyValue(string_value=record.body),
        attributes=[
            common_pb2.KeyValue(key=key, value=any_value(value))
            for key, value in record.attributes.items()
        ],
        event_name=record.event_name,
    )
    return message.SerializeToString()


class RequestWriter:
    """Wraps encoded records into `ExportLogsServiceRequest` bytes for one resource."""

    def __init__(self, resource: Resource, scope_name: str = SCOPE_NAME) -> None:
        scope = wire.field_bytes(1, scope_name.encode("utf-8"))  # InstrumentationScope.name
        self._scope = wire.field_bytes(1, scope)  # ScopeLogs.scope
        resource_field = wire.field_bytes(1, encode_resource(resource))  # ResourceLogs.resource
        if resource.schema_url:
            resource_field += wire.field_bytes(3, resource.schema_url.encode("utf-8"))
        self._resource = resource_field

    def request(self, records: Iterable[bytes]) -> bytes:
        """The request carrying `records` (serialised `LogRecord`s), in their order."""
        scope_logs = self._scope + b"".join(wire.field_bytes(2, r) for r in records)
        resource_logs = self._resource + wire.field_bytes(2, scope_logs)  # .scope_logs
        return wire.field_bytes(1, resource_logs)  # ExportLogsServiceRequest.resource_logs
