"""Known key strings never appear: logs, errors, reprs, tail's output, across every scenario."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import ssl
import sys
from pathlib import Path

import pytest
import trustme

from central_otel.streaming.keys import KeyOutcome
from central_otel.streaming.subscription import StreamState
from tests.simulator_support import make_sim
from tests.streaming_support import CUSTOMER, Harness, make_config, streaming, until

KEYS = {
    "configured": "S3cr3t-configured-key-6b1f0e2a",
    "renewed by a check": "S3cr3t-renewed-check-key-93ad",
    "renewed on a 401": "S3cr3t-renewed-401-key-c0ffee",
    "tls customer": "S3cr3t-tls-customer-key-5e5e5e",
    "tail configured": "S3cr3t-tail-configured-key-77a1",
    "tail rotated": "S3cr3t-tail-rotated-key-4d2c9b",
}


def texts_of(h: Harness) -> list[str]:
    """Everything the bridge shows about itself: errors and reprs of its objects."""
    streamer = h.streamer
    texts = [repr(streamer), repr(vars(streamer)), repr(streamer.config), str(streamer.config)]
    for sub in streamer.subscriptions:
        texts += [repr(sub), repr(vars(sub)), repr(sub.stats), str(sub.stats.last_error)]
    for key in streamer.keys.values():
        texts += [repr(key), repr(vars(key)), repr(key.current), str(key.current)]
        texts.append(repr(key.last_outcome))
    return texts


async def plain_scenarios() -> list[str]:
    """Connect, rotate (check), rotate (401), unsubscribed topic, drops, revoke, stop.
    Returns the texts to search."""
    texts: list[str] = []
    sim = make_sim()
    sim.add_customer(CUSTOMER, key=KEYS["configured"])
    await sim.start("127.0.0.1", 0)
    try:
        config = make_config(sim, topics=("monitoring", "presence"), username="ops@example.com")
        async with streaming(sim, config) as h:
            subs = h.streamer.subscriptions
            key = h.streamer.keys[CUSTOMER]
            await until(lambda: all(s.stats.frames > 0 for s in subs))

            sim.rotate_key(CUSTOMER, KEYS["renewed by a check"])
            h.clock.advance(61)
            assert (await key.check("scheduled")).outcome is KeyOutcome.RENEWED
            await until(lambda: all(s.stats.connects == 2 for s in subs))

            sim.rotate_key(CUSTOMER, KEYS["renewed on a 401"])
            h.clock.advance(61)
            await sim.drop_connections(CUSTOMER)
            await until(lambda: all(s.stats.reconnects["closed"] == 1 for s in subs))
            await until(lambda: key.renewals == 2 and all(s.stats.connects == 3 for s in subs))

            sim.set_topics(CUSTOMER, ["monitoring"])
            await sim.drop_connections(CUSTOMER, "presence", abrupt=True)
            presence = h.subscription("presence")
            await until(lambda: presence.stats.reconnects["unsubscribed_topic"] >= 2)
            texts += texts_of(h)
            sim.set_topics(CUSTOMER, ["monitoring", "presence"])
            await until(lambda: presence.stats.state is StreamState.CONNECTED)

            sim.revoke_key(CUSTOMER)
            await sim.drop_connections(CUSTOMER)
            h.clock.advance(61)
            await until(lambda: all(s.stats.reconnects["unauthorized"] >= 3 for s in subs))
            assert key.last_outcome is not None
            assert key.last_outcome.outcome is KeyOutcome.REJECTED
            texts += texts_of(h)
        texts += texts_of(h)
    finally:
        await sim.stop()
    return texts


async def tls_scenario() -> list[str]:
    """A certificate the bridge does not trust: failing validation and connects."""
    texts: list[str] = []
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    tls_sim = make_sim()
    tls_sim.add_customer(CUSTOMER, key=KEYS["tls customer"])
    await tls_sim.start("127.0.0.1", 0, ssl_context=context)
    try:
        async with streaming(tls_sim, make_config(tls_sim, topics=("audit",))) as h:
            audit = h.subscription("audit")
            await until(lambda: audit.stats.reconnects["network"] >= 2)
            assert str(audit.stats.last_error).startswith("TLS certificate not trusted: ")
            texts += texts_of(h)
    finally:
        await tls_sim.stop()
    return texts


async def tail_scenarios(tmp_path: Path) -> str:
    """`tail -v` (debug logs): connect, rotation then a 401 and the renewed key, stop.
    Its stdout + stderr."""
    sim = make_sim()
    sim.add_customer(CUSTOMER, key=KEYS["tail configured"])
    await sim.start("127.0.0.1", 0)
    config = tmp_path / "tail.yaml"
    config.write_text(
        f"central:\n  base_url: {sim.url}\n"
        f"customers:\n  {CUSTOMER}:\n    key_env: SECRET_TAIL_KEY\n    topics: [monitoring]\n"
        "streaming:\n  reconnect:\n    initial_delay: 100ms\n    max_delay: 1s\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "central_otel", "tail", "-v", "-c", str(config)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "SECRET_TAIL_KEY": KEYS["tail configured"]},
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(20):
            first = await proc.stdout.readline()
            sim.rotate_key(CUSTOMER, KEYS["tail rotated"])
            await sim.drop_connections(CUSTOMER)
            # The old key is refused once; the bridge fetches the renewed one and is back.
            await until(lambda: [h.status for h in sim.handshakes][-2:] == [401, 101], timeout=10)
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(15):
            stdout, stderr = await proc.communicate()
        await sim.stop()
    assert proc.returncode == 0
    assert b"HTTP 401" in stderr  # the scenario did happen
    return (first + stdout + stderr).decode()


async def test_known_keys_appear_nowhere(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the bridge, the simulator, aiohttp
    texts = await plain_scenarios() + await tls_scenario()
    tail_output = await tail_scenarios(tmp_path)
    logged = [
        text
        for record in caplog.records
        for text in (record.getMessage(), repr(record.args), str(record.exc_info))
    ]
    assert len(logged) > 100  # the scenarios produced plenty to search
    haystacks = {"log": "\n".join(logged), "state": "\n".join(texts), "tail": tail_output}
    hits = [
        (what, where)
        for what, key in KEYS.items()
        for where, text in haystacks.items()
        if key in text
    ]
    assert hits == []
