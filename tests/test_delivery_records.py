"""Event records as OTLP bytes: exactly what the SDK's own log exporter would have sent
for the same events (an independent encoding), observed times aside."""

from __future__ import annotations

from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.sdk.resources import Resource

from central_otel.catalog.event_base import EventRecord, Severity
from central_otel.delivery.records import SCOPE_NAME, RequestWriter, encode_record
from central_otel.telemetry.logs_api import (
    LoggerProvider,
    SeverityNumber,
    SimpleLogRecordProcessor,
    emit_event,
    encode_logs,
    memory_log_exporter,
)

RESOURCE = Resource.create({"service.name": "central-otel", "service.instance.id": "i-1"})
EVENTS = [
    EventRecord(
        "aruba.alert",
        int(Severity.ERROR),
        "AP ap-1 with serial CNF7G9K001 disconnected",
        {
            "aruba.alert.id": "0a1b",
            "host.id": "CNF7G9K001",
            "aruba.wids.event_number": 42,
            "geo.location.lat": 48.137,
            "aruba.location.associated": True,
            "aruba.customer.name": "CustomerA",
        },
        1_767_225_600_123_000_000,
    ),
    EventRecord("aruba.client.connected", int(Severity.INFO), "Wireless client ü", {}, None),
]


def _sdk_request() -> logs_service_pb2.ExportLogsServiceRequest:
    exporter = memory_log_exporter()
    provider = LoggerProvider(resource=RESOURCE, shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    logger = provider.get_logger(SCOPE_NAME)
    for event in EVENTS:
        emit_event(
            logger,
            event_name=event.event_name,
            severity_number=SeverityNumber(event.severity_number),
            body=event.body,
            attributes=event.attributes,
            timestamp_ns=event.timestamp_ns,
        )
    return encode_logs(exporter.get_finished_logs())


def _without_observed_time(
    request: logs_service_pb2.ExportLogsServiceRequest,
) -> logs_service_pb2.ExportLogsServiceRequest:
    copy = logs_service_pb2.ExportLogsServiceRequest()
    copy.CopyFrom(request)
    for resource_logs in copy.resource_logs:
        for scope_logs in resource_logs.scope_logs:
            for record in scope_logs.log_records:
                assert record.observed_time_unix_nano > 0
                record.ClearField("observed_time_unix_nano")
    return copy


def test_a_batch_is_the_request_the_sdk_would_send() -> None:
    ours = RequestWriter(RESOURCE).request(encode_record(e, 1_000) for e in EVENTS)
    parsed = logs_service_pb2.ExportLogsServiceRequest.FromString(ours)
    assert _without_observed_time(parsed) == _without_observed_time(_sdk_request())
    records = parsed.resource_logs[0].scope_logs[0].log_records
    assert [r.observed_time_unix_nano for r in records] == [1_000, 1_000]
    assert records[0].time_unix_nano == 1_767_225_600_123_000_000
    assert records[1].time_unix_nano == 0  # unknown: left unset, as the SDK does


def test_an_empty_batch_is_a_valid_request() -> None:
    parsed = logs_service_pb2.ExportLogsServiceRequest.FromString(
        RequestWriter(RESOURCE).request([])
    )
    assert parsed.resource_logs[0].scope_logs[0].scope.name == SCOPE_NAME
    assert len(parsed.resource_logs[0].scope_logs[0].log_records) == 0
