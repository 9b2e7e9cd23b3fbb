"""Compression on the wire, against the real receivers: gzip and zstd over OTLP/HTTP
(the Collector's receiver accepts both), gzip over gRPC; zstd is refused for gRPC."""

from __future__ import annotations

import pytest

from central_otel.config.model import OtlpConfig
from central_otel.export.transport import METRICS, build_transport
from central_otel.telemetry import Telemetry
from central_otel.telemetry.logs_api import SeverityNumber, emit_event
from tests.export_support import by_metric, filled_store, otlp_loop, received, reference
from tests.export_support import sorted_points as ordered
from tests.otlp_receiver import ByteCounter, HttpOtlpReceiver
from tests.telemetry_support import FAST, otlp_config, running


def test_zstd_over_http_arrives_exactly_and_smaller_than_gzip() -> None:
    stores = [filled_store("CustomerA", "fx-a")]
    sent: dict[str, int] = {}
    with HttpOtlpReceiver() as receiver:
        for compression in ("none", "gzip", "zstd"):
            relay = ByteCounter(receiver.port)
            loop = otlp_loop(
                receiver, stores, endpoint=f"http://127.0.0.1:{relay.port}", compression=compression
            )
            assert loop.export_once()
            sent[compression] = relay.bytes_up
            relay.close()
            requests = receiver.requests("metrics", accepted=True)
            encodings = {r.headers.get("content-encoding") for r in requests}
            assert encodings == {None if compression == "none" else compression}
            # Decoded by the receiver as the Collector decodes it: the same points as the
            # SDK's own encoding of the same stores.
            got = by_metric(received(r.request for r in requests))
            want = by_metric(reference(stores))
            assert sorted(got) == sorted(want)
            for name, (shapes, points) in want.items():
                assert got[name][0] == shapes, name
                assert ordered(got[name][1]) == ordered(points), name
            receiver.clear()
    assert sent["zstd"] * 10 < sent["none"]
    assert sent["zstd"] < sent["gzip"]


def test_zstd_is_refused_for_grpc() -> None:
    config = OtlpConfig(endpoint="http://127.0.0.1:4317", protocol="grpc", compression="zstd")
    with pytest.raises(ValueError, match=r"^otlp.compression: zstd needs protocol: http/protobuf$"):
        build_transport(config, METRICS)


def test_the_sdk_exporters_send_gzip_when_zstd_is_configured() -> None:
    """The SDK's own HTTP exporters (the self-metrics, its log exporter) have no zstd:
    they gzip."""
    with HttpOtlpReceiver() as receiver:
        config = otlp_config(receiver, compression="zstd")
        with running(Telemetry(config, options=FAST)) as telemetry:
            telemetry.meter("central_otel.test").create_counter("aruba.sdk.side").add(3)
            emit_event(
                telemetry.logger("central_otel.events"),
                event_name="aruba.test.hello",
                severity_number=SeverityNumber.INFO,
            )
        receiver.wait_for(lambda: receiver.metrics("aruba.sdk.side"))
        receiver.wait_for(receiver.log_records)
        for signal in ("metrics", "logs"):
            assert {h.get("content-encoding") for h in receiver.headers(signal)} == {"gzip"}
