"""The console's metric lines, shared by the encoder's console sink and the SDK's."""

from __future__ import annotations

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)

from central_otel.export.console_text import braced_attributes, metrics_text, point_line
from central_otel.export.sinks import format_request


def test_point_line_leaves_out_a_unit_of_one_and_empty_braces() -> None:
    assert point_line("a.b", "By", [("host", "x"), ("n", 2)], "5") == "  a.b{host='x', n=2} 5 By"
    assert point_line("c", "1", [], "0.5") == "  c 0.5"
    assert point_line("c", None, [], "7") == "  c 7"
    assert braced_attributes([]) == ""


def test_metrics_text_sorts_the_lines_under_a_counted_header() -> None:
    assert metrics_text("12:00:00", ["  b 1", "  a 2"]) == (
        "-- 12:00:00 metrics: 2 data points\n  a 2\n  b 1\n"
    )


def test_format_request_writes_each_point_of_sums_and_gauges() -> None:
    request = ExportMetricsServiceRequest()
    scope = request.resource_metrics.add().scope_metrics.add()
    total = scope.metrics.add(name="rx", unit="By")
    point = total.sum.data_points.add(as_int=1024)
    point.attributes.add(key="host.id").value.string_value = "CN1"
    point.attributes.add(key="labels").value.array_value.values.add().string_value = "lobby"
    gauge = scope.metrics.add(name="cpu", unit="1")
    gauge.gauge.data_points.add(as_double=0.25)
    lines = format_request(request).splitlines()
    assert lines[0].endswith(" metrics: 2 data points")
    assert lines[1:] == ["  cpu 0.25", "  rx{host.id='CN1', labels=['lobby']} 1024 By"]
