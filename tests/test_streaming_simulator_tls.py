"""Real TLS on loopback: the simulator serves https/wss with a certificate from a test CA."""

from __future__ import annotations

import gc
import logging
import ssl
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme

from central_otel.decoding import DecodedFrame, decode_frame
from central_otel.simulator import CentralSimulator, EstateScale
from central_otel.streaming.keys import KeyOutcome
from central_otel.streaming.sessions import TLS_READ_BUFFER
from central_otel.streaming.subscription import StreamState
from tests.simulator_support import make_sim
from tests.streaming_support import CUSTOMER, make_config, streaming, until

TLS_OFF = "TLS verification is OFF"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
async def sim(ca: trustme.CA) -> AsyncIterator[CentralSimulator]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    simulator = make_sim()
    simulator.add_customer(CUSTOMER)
    await simulator.start(host="127.0.0.1", port=0, ssl_context=context)
    try:
        yield simulator
    finally:
        await simulator.stop()


async def test_verified_tls_with_the_configured_ca(sim: CentralSimulator, ca_file: Path) -> None:
    assert sim.url.startswith("https://")
    config = make_config(sim, topics=("presence",), central={"ca_file": str(ca_file)})
    assert config.central.verify_tls
    assert config.central.stream_url == f"wss://127.0.0.1:{sim.port}/streaming/api"
    async with streaming(sim, config) as h:
        sub = h.subscription("presence")
        await until(lambda: sub.stats.frames > 0)
        outcome = h.streamer.keys[CUSTOMER].last_outcome
        assert outcome is not None
        assert outcome.outcome is KeyOutcome.VALID
    assert [c.close_code for c in sim.connections] == [1000]


async def test_untrusted_certificate_fails_closed_and_keeps_retrying(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    async with streaming(sim, make_config(sim, topics=("presence",))) as h:  # no ca_file
        sub = h.subscription("presence")
        await until(lambda: len(h.delays) >= 3)  # three failed attempts, each then waited
        assert sub.stats.reconnects["network"] >= 3
        assert sub.stats.state is not StreamState.CONNECTED
        assert sub.stats.frames == 0
        assert sub.stats.last_error is not None
        assert sub.stats.last_error.startswith(
            "TLS certificate not trusted: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
            "failed: unable to get local issuer certificate"
        )
        assert h.delays[:3] == [1.0, 2.0, 4.0]  # network errors: normal backoff
    assert sim.handshakes == []  # not one request got past TLS
    assert sim.validations == []
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert sim.ws_url.startswith("wss://")
    connect = f"customer 'CustomerA' topic presence: cannot connect to {sim.ws_url}"
    assert any(m.startswith(f"{connect}: TLS certificate not trusted: ") for m in messages)
    assert any(
        m.startswith(
            "customer 'CustomerA': could not validate the streaming key (TLS certificate not "
            "trusted: "
        )
        for m in messages
    )


async def test_verify_tls_false_connects_and_warns_once(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    config = make_config(sim, topics=("presence",), central={"verify_tls": False})
    async with streaming(sim, config) as h:
        sub = h.subscription("presence")
        await until(lambda: sub.stats.frames > 0)
        await sim.drop_connections(CUSTOMER)  # a reconnect does not warn again
        await until(lambda: sub.stats.connects == 2)
    warnings = [r.getMessage() for r in caplog.records if TLS_OFF in r.getMessage()]
    assert warnings == [
        "TLS verification is OFF for 127.0.0.1 (central.verify_tls: false): the connection "
        "and the streaming keys are exposed to anyone who can intercept it"
    ]
    assert next(r for r in caplog.records if TLS_OFF in r.getMessage()).levelno == logging.WARNING


async def test_a_closed_connection_is_freed_without_a_full_collection(
    sim: CentralSimulator, ca_file: Path
) -> None:
    # The GC policy freezes what survives a collection, so whatever a closed connection
    # leaves in reference cycles waits for a whole-heap collection. Only asyncio's
    # socket transport (it refers to itself) may: not the WebSocket, its response,
    # reader, or TLS state (which aiohttp's heartbeat callback used to keep).
    config = make_config(sim, topics=("presence",), central={"ca_file": str(ca_file)})
    async with streaming(sim, config) as h:
        sub = h.subscription("presence")
        await until(lambda: sub.stats.frames > 0)
        gc.collect()
        gc.freeze()
        try:
            await sim.drop_connections(CUSTOMER, "presence")
            await until(lambda: sub.stats.connects == 2 and sub.stats.frames > 0)
            gc.collect()  # what is collected without unfreezing
        finally:
            gc.unfreeze()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            kept = Counter(type(o).__name__ for o in gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
    assert sub.stats.reconnects == Counter({"closed": 1})
    assert kept.keys() <= {
        "_SelectorSocketTransport",
        "TransportSocket",
        "socket",
        "method",
        "dict",
    }
    assert kept["_SelectorSocketTransport"] >= 1


async def test_frames_larger_than_the_tls_read_buffer_arrive_whole(
    ca: trustme.CA, ca_file: Path
) -> None:
    # The read buffer stages a quarter of a full TLS record: frames of several records
    # (a 30-AP estate's) are read in pieces and must arrive byte for byte.
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    sim = make_sim(scale=EstateScale(1, 30, 1, 1, 20))
    sim.add_customer(CUSTOMER)
    await sim.start(host="127.0.0.1", port=0, ssl_context=context)
    try:
        await _stream_monitoring(sim, ca_file)
    finally:
        await sim.stop()


async def _stream_monitoring(sim: CentralSimulator, ca_file: Path) -> None:
    config = make_config(sim, topics=("monitoring",), central={"ca_file": str(ca_file)})
    async with streaming(sim, config) as h:
        sub = h.subscription("monitoring")
        await until(lambda: sub.stats.frames >= 3)
        (record,) = [c for c in sim.connections if c.topic == "monitoring"]
        await until(lambda: sub.stats.bytes == record.bytes_sent)
        assert sub.stats.frames == record.frames_sent
        assert record.bytes_sent > 4 * TLS_READ_BUFFER
        assert sub.stats.handler_errors == 0
        assert sub.stats.oversized_frames == 0
        frames = h.frames("monitoring")
        assert len(frames) == record.frames_sent
        assert max(map(len, frames)) > 16 * 1024  # more than one full TLS record
        assert all(isinstance(decode_frame(frame), DecodedFrame) for frame in frames)
