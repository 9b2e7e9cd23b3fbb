"""The simulator's protocol: handshake answers, key validation, keys, rotation, records."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re

import aiohttp
import pytest

from central_otel.secret import Secret
from central_otel.simulator import (
    CentralSimulator,
    fingerprint,
    key_claims,
    make_key,
)
from central_otel.topics import TOPIC_NAMES
from tests.simulator_support import (
    CUSTOMER,
    connect,
    decoded,
    handshake_status,
    key_of,
    make_sim,
    receive_frames,
    running,
)


async def _get(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str]
) -> tuple[int, str]:
    async with session.get(url, headers=headers) as response:
        return response.status, await response.text()


async def _validate(
    session: aiohttp.ClientSession, sim: CentralSimulator, key: str | None
) -> tuple[int, str]:
    headers = {"Authorization": key} if key is not None else {}
    return await _get(session, sim.url + "/streaming/token/validate", headers)


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# -- keys --------------------------------------------------------------------------


def test_generated_key_is_a_central_shaped_jwt() -> None:
    simulator = make_sim()
    customer = simulator.add_customer(CUSTOMER)
    header, claims, signature = customer.key.split(".")
    assert "=" not in customer.key
    assert re.fullmatch(r"[A-Za-z0-9_-]+", header + claims + signature)
    assert json.loads(_b64(header)) == {"alg": "HS256", "type": "jwt"}
    decoded_claims = json.loads(_b64(claims))
    assert set(decoded_claims) == {"customer_id", "creation_date"}
    assert decoded_claims["customer_id"] == customer.customer_id
    assert isinstance(decoded_claims["creation_date"], int)
    assert abs(decoded_claims["creation_date"] - simulator.clock.now()) < 5
    assert key_claims(customer.key) == decoded_claims
    assert len(_b64(signature)) == 32  # HMAC-SHA256
    assert re.fullmatch(r"[0-9a-f]{32}", customer.customer_id)


def test_make_key_signs_with_hmac_sha256() -> None:
    secret = b"s" * 32
    key = make_key("cust-1", 1_764_000_000, secret)
    signing_input, _, signature = key.rpartition(".")
    expected = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    assert _b64(signature) == expected
    assert key_claims(key) == {"customer_id": "cust-1", "creation_date": 1_764_000_000}
    assert key_claims("not-a-jwt") is None
    assert key_claims("a.b.c") is None


def test_fingerprint_matches_the_bridge_secret_fingerprint() -> None:
    assert fingerprint("abc") == Secret("abc").fingerprint == hashlib.sha256(b"abc").hexdigest()[:8]


def test_customer_info_repr_hides_the_key() -> None:
    customer = make_sim().add_customer(CUSTOMER)
    assert customer.key not in repr(customer)
    assert customer.key_fingerprint == fingerprint(customer.key)


def test_add_customer_checks_its_arguments() -> None:
    simulator = make_sim()
    simulator.add_customer(CUSTOMER, key="explicit-key-1")
    with pytest.raises(ValueError, match="already used"):
        simulator.add_customer(CUSTOMER)
    with pytest.raises(ValueError, match="already in use"):
        simulator.add_customer("CustomerB", key="explicit-key-1")
    with pytest.raises(ValueError, match="printable ASCII"):
        simulator.add_customer("CustomerC", key="has blank")
    with pytest.raises(ValueError, match="unknown topic 'rapids'"):
        simulator.add_customer("CustomerD", topics=["monitoring", "rapids"])
    with pytest.raises(KeyError, match="no simulated customer 'Nobody'"):
        simulator.rotate_key("Nobody")


# -- handshake -------------------------------------------------------------------------


async def test_upgrade_and_recorded_handshake(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    key = key_of(sim)
    ws = await connect(session, sim, "monitoring", headers={"UserName": "ops@example.com"})
    (frame,) = await receive_frames(ws, 1)
    assert decoded(frame).topic.value == "monitoring"
    await ws.close()
    (handshake,) = sim.handshakes
    assert handshake.status == 101
    assert handshake.reason == "upgraded"
    assert (handshake.customer, handshake.topic) == (CUSTOMER, "monitoring")
    headers = sim.handshake_headers()[0]
    assert headers["Authorization"] == fingerprint(key)
    assert headers["Topic"] == "monitoring"
    assert headers["UserName"] == "ops@example.com"
    assert headers["Upgrade"] == "websocket"
    (record,) = sim.connections
    assert (record.customer, record.topic, record.user_name) == (
        CUSTOMER,
        "monitoring",
        "ops@example.com",
    )
    assert record.key_fingerprint == fingerprint(key)
    for shown in (repr(sim.handshakes), repr(sim.connections), repr(sim.customers)):
        assert key not in shown


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [(None, "missing key"), ("", "missing key"), ("wrong-key", "unknown key")],
)
async def test_bad_key_gets_401(
    sim: CentralSimulator, session: aiohttp.ClientSession, authorization: str | None, reason: str
) -> None:
    headers = {"Topic": "monitoring"}
    if authorization is not None:
        headers["Authorization"] = authorization
    assert await handshake_status(session, sim, headers) == 401
    assert await _get(session, sim.url + "/streaming/api", headers) == (401, "Unauthorized")
    assert [h.reason for h in sim.handshakes] == [reason, reason]
    assert {h.status for h in sim.handshakes} == {401}
    assert sim.connections == []


async def test_bearer_scheme_is_not_central_protocol(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": f"Bearer {key_of(sim)}", "Topic": "monitoring"}
    assert await handshake_status(session, sim, headers) == 401


@pytest.mark.parametrize(
    ("topic", "body", "reason"),
    [
        (None, "Missing Topic", "missing topic"),
        ("rapids", "Invalid Topic", "unknown topic"),
        ("Monitoring", "Invalid Topic", "unknown topic"),
    ],
)
async def test_bad_topic_gets_400(
    sim: CentralSimulator,
    session: aiohttp.ClientSession,
    topic: str | None,
    body: str,
    reason: str,
) -> None:
    headers = {"Authorization": key_of(sim)}
    if topic is not None:
        headers["Topic"] = topic
    assert await handshake_status(session, sim, headers) == 400
    assert await _get(session, sim.url + "/streaming/api", headers) == (400, body)
    assert sim.handshakes[0].reason == reason


async def test_disabled_topic_gets_400_unsubscribed_topic(
    session: aiohttp.ClientSession,
) -> None:
    async with running(customer=None) as sim:
        sim.add_customer(CUSTOMER, topics=["monitoring", "presence"])
        headers = {"Authorization": key_of(sim), "Topic": "audit"}
        assert await handshake_status(session, sim, headers) == 400
        assert await _get(session, sim.url + "/streaming/api", headers) == (
            400,
            "Unsubscribed Topic",
        )
        assert sim.handshakes[0].reason == "unsubscribed topic"
        ws = await connect(session, sim, "presence")
        await ws.close()


async def test_set_topics_refuses_the_next_handshake_only(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "presence")
    await receive_frames(ws, 1)
    sim.set_topics(CUSTOMER, ["monitoring"])
    assert sim.customer(CUSTOMER).topics == ("monitoring",)
    headers = {"Authorization": key_of(sim), "Topic": "presence"}
    assert await _get(session, sim.url + "/streaming/api", headers) == (400, "Unsubscribed Topic")
    await receive_frames(ws, 2)  # the open connection keeps streaming
    sim.set_topics(CUSTOMER, TOPIC_NAMES)
    second = await connect(session, sim, "presence")
    await second.close()
    await ws.close()


async def test_plain_get_with_a_valid_key_and_topic_is_refused(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    headers = {"Authorization": key_of(sim), "Topic": "monitoring"}
    assert await _get(session, sim.url + "/streaming/api", headers) == (
        400,
        "Expected a WebSocket upgrade",
    )


async def test_explicit_key_is_accepted(session: aiohttp.ClientSession) -> None:
    async with running(customer=None) as sim:
        sim.add_customer("CustomerB", key="my-own-streaming-key")
        ws = await connect(session, sim, "audit", key="my-own-streaming-key", customer="CustomerB")
        assert not ws.closed
        await ws.close()
        assert await _validate(session, sim, "my-own-streaming-key") == (
            200,
            json.dumps({"token": "my-own-streaming-key"}),
        )


async def test_two_customers_are_told_apart_by_key(session: aiohttp.ClientSession) -> None:
    async with running() as sim:
        other = sim.add_customer("CustomerB")
        ws = await connect(session, sim, "monitoring", key=other.key, customer="CustomerB")
        (frame,) = await receive_frames(ws, 1)
        assert decoded(frame).customer_id == other.customer_id != sim.customer(CUSTOMER).customer_id
        await ws.close()
        assert sim.connections[0].customer == "CustomerB"


# -- validate and rotation ----------------------------------------------------------------


async def test_validate_current_rotated_unknown_revoked(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    old = key_of(sim)
    assert await _validate(session, sim, old) == (200, json.dumps({"token": old}))
    new = sim.rotate_key(CUSTOMER)
    assert new != old
    assert key_of(sim) == new
    claims_old, claims_new = key_claims(old), key_claims(new)
    assert claims_old is not None
    assert claims_new is not None
    assert claims_new["creation_date"] > claims_old["creation_date"]
    assert await _validate(session, sim, old) == (200, json.dumps({"token": new}))
    assert await _validate(session, sim, new) == (200, json.dumps({"token": new}))
    assert await _validate(session, sim, "unknown") == (401, "Unauthorized")
    assert await _validate(session, sim, None) == (401, "Unauthorized")
    sim.revoke_key(CUSTOMER)
    assert await _validate(session, sim, new) == (401, "Unauthorized")
    assert await _validate(session, sim, old) == (401, "Unauthorized")
    assert sim.validate_calls(CUSTOMER) == 5
    assert sim.validate_calls() == 2  # unknown and missing keys
    assert [v.status for v in sim.validations] == [200, 200, 200, 401, 401, 401, 401]
    assert [v.reason for v in sim.validations] == [
        "current key",
        "rotated key",
        "current key",
        "unknown key",
        "missing key",
        "revoked key",
        "revoked key",
    ]
    assert all(old not in repr(v) and new not in repr(v) for v in sim.validations)
    # a revoked customer comes back with a new key
    fresh = sim.rotate_key(CUSTOMER, "a-fresh-key")
    assert fresh == "a-fresh-key"
    assert await _validate(session, sim, fresh) == (200, json.dumps({"token": fresh}))
    assert await _validate(session, sim, new) == (401, "Unauthorized")


async def test_rotation_refuses_the_old_key_and_keeps_open_connections(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    old = key_of(sim)
    ws = await connect(session, sim, "presence")
    await receive_frames(ws, 1)
    new = sim.rotate_key(CUSTOMER)
    assert await handshake_status(session, sim, {"Authorization": old, "Topic": "presence"}) == 401
    assert sim.handshakes[-1].reason == "rotated key"
    await receive_frames(ws, 3)  # still streaming on the old key
    assert not ws.closed
    second = await connect(session, sim, "presence", key=new)
    await receive_frames(second, 1)
    await second.close()
    await ws.close()
    assert [c.key_fingerprint for c in sim.connections] == [fingerprint(old), fingerprint(new)]


async def test_revoked_key_gets_401(sim: CentralSimulator, session: aiohttp.ClientSession) -> None:
    key = key_of(sim)
    sim.revoke_key(CUSTOMER)
    assert await handshake_status(session, sim, {"Authorization": key, "Topic": "audit"}) == 401
    assert sim.handshakes[-1].reason == "revoked key"
    assert sim.customer(CUSTOMER).key == ""


async def test_keys_expire_after_their_lifetime(session: aiohttp.ClientSession) -> None:
    # One simulated hour per 10 ms: the key is older than its 1 h lifetime at once.
    async with running(key_lifetime=3600, time_scale=360_000) as sim:
        first = key_of(sim)
        await asyncio.sleep(0.05)
        status, body = await _validate(session, sim, first)
        assert status == 200
        renewed = json.loads(body)["token"]
        assert renewed != first
        assert (
            await handshake_status(session, sim, {"Authorization": first, "Topic": "audit"}) == 401
        )
        claims = key_claims(renewed)
        assert claims is not None
        assert claims["creation_date"] - sim.clock.now() < 5


async def test_frames_sent_counts_match_frames_received(
    sim: CentralSimulator, session: aiohttp.ClientSession
) -> None:
    ws = await connect(session, sim, "presence")
    received = len(await receive_frames(ws, 8))
    await sim.drop_connections(CUSTOMER, "presence")
    async with asyncio.timeout(3):
        async for message in ws:
            assert message.type is aiohttp.WSMsgType.BINARY
            received += 1
    assert ws.close_code == 1011
    assert sim.frames_sent(CUSTOMER, "presence") == received
    assert sim.connections[0].frames_sent == received
    assert sim.frame_counts() == {(CUSTOMER, "presence"): received}
    assert sim.frames_sent(CUSTOMER, "monitoring") == 0


async def test_wait_for_connections_and_async_with(session: aiohttp.ClientSession) -> None:
    simulator = make_sim()
    simulator.add_customer(CUSTOMER)
    async with simulator as sim:
        assert sim.running
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sim.url)
        assert sim.ws_url == sim.url.replace("http", "ws") + "/streaming/api"
        ws = await connect(session, sim, "location")
        (record,) = await sim.wait_for_connections(1, customer=CUSTOMER, topic="location")
        assert record.open
        assert sim.open_connections(topic="monitoring") == []
        with pytest.raises(TimeoutError):
            await sim.wait_for_connections(2, timeout=0.1)
    assert not simulator.running
    assert simulator.connections[0].closed_by == "stop"
    assert simulator.connections[0].close_code == 1001
    await ws.close()


async def test_records_are_bounded(session: aiohttp.ClientSession) -> None:
    async with running(max_records=3) as sim:
        for _ in range(10):
            await handshake_status(session, sim, {"Authorization": "nope", "Topic": "audit"})
        assert len(sim.handshakes) == 3
        assert all(h.reason == "unknown key" for h in sim.handshakes)
    with pytest.raises(ValueError, match="max_records"):
        make_sim(max_records=0)
