"""Fault injection: drops, silence, bad frames, restarts, and TLS."""

from __future__ import annotations

import asyncio
import ssl
import time

import aiohttp
import pytest
import trustme

from central_otel.decoding import DecodeErrorKind
from central_otel.proto import streaming_pb2
from central_otel.simulator import CentralSimulator
from tests.simulator_support import (
    CUSTOMER,
    connect,
    decoded,
    failure,
    key_of,
    make_sim,
    receive_frames,
    running,
)


async def _drain(
    ws: aiohttp.ClientWebSocketResponse, timeout: float = 3.0
) -> list[aiohttp.WSMessage]:
    """Every message up to the end of the connection (the closing message included)."""
    messages = []
    async with asyncio.timeout(timeout):
        while True:
            message = await ws.receive()
            messages.append(message)
            if message.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.ERROR,
            ):
                return messages


async def test_drop_closes_with_1011(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    monitoring = await connect(session, sim, "monitoring")
    presence = await connect(session, sim, "presence")
    await receive_frames(presence, 1)
    assert await sim.drop_connections(CUSTOMER, topic="presence") == 1
    closing = (await _drain(presence))[-1]
    assert closing.type is aiohttp.WSMsgType.CLOSE
    assert closing.data == 1011
    assert closing.extra == "simulated server error"
    assert presence.close_code == 1011
    record = next(c for c in sim.connections if c.topic == "presence")
    assert (record.closed_by, record.close_code) == ("drop", 1011)
    await sim.wait_closed(topic="presence")
    assert record.closed_at is not None
    await receive_frames(monitoring, 2)  # the other topic is untouched
    assert [c.topic for c in sim.open_connections()] == ["monitoring"]
    assert await sim.drop_connections() == 1
    await _drain(monitoring)
    assert monitoring.close_code == 1011


async def test_abrupt_drop_sends_no_close_frame(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "presence")
    await receive_frames(ws, 1)
    assert await sim.drop_connections(abrupt=True) == 1
    last = (await _drain(ws))[-1]
    assert last.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    assert ws.close_code != 1011
    await sim.wait_closed()
    (record,) = sim.connections
    assert (record.closed_by, record.close_code) == ("abrupt", 1006)


async def test_client_close_code_is_recorded(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "audit")
    await sim.wait_for_connections(1)
    await ws.close(code=4000)
    await sim.wait_closed()
    assert (sim.connections[0].closed_by, sim.connections[0].close_code) == ("client", 4000)


async def test_silence_keeps_the_socket_open_and_sends_nothing(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "presence")
    other = await connect(session, sim, "apprf")
    await receive_frames(ws, 1)
    sim.silence(0.6, CUSTOMER, "presence")
    await _pending(ws)  # frames already on their way
    sent = sim.frames_sent(CUSTOMER, "presence")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await receive_frames(ws, 1, timeout=0.3)
    assert sim.frames_sent(CUSTOMER, "presence") == sent
    await receive_frames(other, 2)  # apprf is not silenced
    (frame,) = await receive_frames(ws, 1, timeout=2)
    assert time.monotonic() - started >= 0.35
    assert decoded(frame).topic.value == "presence"
    assert not ws.closed
    await ws.close()
    await other.close()


async def _pending(ws: aiohttp.ClientWebSocketResponse) -> bool:
    """Swallow frames already in flight; True when none arrives within 0.1 s."""
    try:
        await receive_frames(ws, 1, timeout=0.1)
    except TimeoutError:
        return True
    return await _pending(ws)


async def test_silence_can_leave_pings_unanswered(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "audit", autoping=False)
    await sim.wait_for_connections(1)
    await ws.ping(b"one")
    pong = await ws.receive(timeout=2)
    assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"one")
    sim.silence(0.5, pongs=False)
    await ws.ping(b"two")
    with pytest.raises(TimeoutError):
        await ws.receive(timeout=0.3)
    await asyncio.sleep(0.25)  # the silence is over: pings are answered again
    await ws.ping(b"three")
    pong = await ws.receive(timeout=2)
    assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"three")
    await ws.close()


async def test_silence_applies_to_connections_opened_meanwhile(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    sim.silence(0.4)
    ws = await connect(session, sim, "monitoring")
    with pytest.raises(TimeoutError):
        await receive_frames(ws, 1, timeout=0.25)
    (frame,) = await receive_frames(ws, 1, timeout=2)
    assert decoded(frame).payload.aps  # type: ignore[attr-defined]  # the snapshot, late
    await ws.close()


async def test_garbage_frame_fails_decoding(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "presence")
    await receive_frames(ws, 1)
    sim.silence(0.5, CUSTOMER, "presence")
    await _pending(ws)
    assert await sim.send_garbage(CUSTOMER, "presence", size=100) == 1
    (frame,) = await receive_frames(ws, 1)
    assert len(frame) == 100
    bad = failure(frame)
    assert bad.kind is DecodeErrorKind.BAD_ENVELOPE
    assert sim.connections[0].garbage_frames == 1
    assert sim.frames_sent(CUSTOMER, "presence") == sim.connections[0].frames_sent
    assert await sim.send_garbage(CUSTOMER, "monitoring") == 0  # nobody listening there
    await ws.close()


async def test_oversized_frame(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    roomy = await connect(session, sim, "audit")
    strict = await connect(session, sim, "audit", max_msg_size=256 * 1024)
    await sim.wait_for_connections(2)
    assert await sim.send_oversized(CUSTOMER, "audit", 300_000) == 2
    (frame,) = await receive_frames(roomy, 1)
    assert len(frame) == 300_000
    envelope = streaming_pb2.MsgProto()
    envelope.ParseFromString(frame)
    assert (envelope.subject, envelope.customer_id) == ("audit", sim.customer(CUSTOMER).customer_id)
    assert failure(frame).kind is DecodeErrorKind.BAD_PAYLOAD
    refused = await strict.receive(timeout=2)
    assert refused.type is aiohttp.WSMsgType.ERROR
    assert strict.close_code == 1009  # message too big
    assert sum(c.oversized_frames for c in sim.connections) == 2
    with pytest.raises(ValueError, match="exactly 5 bytes"):
        await sim.send_oversized(CUSTOMER, "audit", 5)
    await roomy.close()


async def test_restart_on_the_same_port(session: aiohttp.ClientSession) -> None:
    async with running() as sim:
        port = sim.port
        ws = await connect(session, sim, "monitoring")
        await receive_frames(ws, 1)
        stopping = asyncio.create_task(sim.stop())
        closing = (await _drain(ws))[-1]
        await stopping
        assert not sim.running
        assert closing.type is aiohttp.WSMsgType.CLOSE
        assert ws.close_code == 1001
        with pytest.raises(aiohttp.ClientConnectorError):
            await connect(session, sim, "monitoring")
        await sim.start()
        assert sim.port == port
        again = await connect(session, sim, "monitoring")
        (frame,) = await receive_frames(again, 1)
        assert len(decoded(frame).payload.aps) == 4  # type: ignore[attr-defined]
        await again.close()
        assert [(c.closed_by, c.close_code) for c in sim.connections] == [
            ("stop", 1001),
            ("client", 1000),
        ]
        with pytest.raises(RuntimeError, match="already running"):
            await sim.start()


async def test_counters_continue_across_a_restart(session: aiohttp.ClientSession) -> None:
    async with running() as sim:
        ws = await connect(session, sim, "monitoring")
        frames = [decoded(f) for f in await receive_frames(ws, 2)]
        before = {s.macaddr.addr: s.tx_bytes for s in frames[1].payload.client_stats}  # type: ignore[attr-defined]
        await sim.stop()
        await sim.start()
        ws = await connect(session, sim, "monitoring")
        frames = [decoded(f) for f in await receive_frames(ws, 2)]
        after = {s.macaddr.addr: s.tx_bytes for s in frames[1].payload.client_stats}  # type: ignore[attr-defined]
        await ws.close()
    assert before.keys() == after.keys()
    assert all(after[mac] > before[mac] for mac in before)


async def test_tls(tmp_path: object) -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    sim = make_sim()
    sim.add_customer(CUSTOMER)
    await sim.start(host="127.0.0.1", port=0, ssl_context=server_context)
    try:
        assert sim.url == f"https://127.0.0.1:{sim.port}"
        assert sim.ws_url == f"wss://127.0.0.1:{sim.port}/streaming/api"
        async with aiohttp.ClientSession() as session:
            async with session.get(
                sim.url + "/streaming/token/validate",
                headers={"Authorization": key_of(sim)},
                ssl=client_context,
            ) as response:
                assert response.status == 200
                assert await response.json() == {"token": key_of(sim)}
            ws = await connect(session, sim, "presence", ssl=client_context)
            (frame,) = await receive_frames(ws, 1)
            assert decoded(frame).subject == "presence"
            await ws.close()
            with pytest.raises(aiohttp.ClientConnectorCertificateError):
                await connect(session, sim, "presence")  # the system store does not know our CA
    finally:
        await sim.stop()
