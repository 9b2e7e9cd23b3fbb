"""Key rotation and revocation mid-stream, against the simulator on loopback."""

from __future__ import annotations

import logging
import stat
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from central_otel.simulator import CentralSimulator, fingerprint
from central_otel.streaming.keys import KeyOutcome
from central_otel.streaming.subscription import StreamState
from central_otel.topics import TOPIC_NAMES
from tests.simulator_support import running
from tests.streaming_support import CUSTOMER, connection_with_key, make_config, streaming, until


async def test_rotation_then_validation_moves_the_stream_without_losing_frames(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.streaming")
    async with streaming(sim, make_config(sim, topics=("monitoring",))) as h:
        sub = h.subscription("monitoring")
        key = h.streamer.keys[CUSTOMER]
        await until(lambda: len(h.frames()) >= 5)
        # The switch happens while the simulator holds its frames back, so every
        # frame sent on either connection can be accounted for exactly.
        sim.silence(0.5, CUSTOMER)
        await h.quiet()
        (old,) = sim.open_connections()
        assert len(h.frames()) == old.frames_sent == sim.frames_sent(CUSTOMER, "monitoring")

        new_key = sim.rotate_key(CUSTOMER)
        h.clock.advance(61)  # the start validation is a minute old
        result = await key.check("scheduled")
        assert result.outcome is KeyOutcome.RENEWED
        assert key.fingerprint == fingerprint(new_key)
        await until(lambda: old.closed_at is not None)
        new = connection_with_key(sim, fingerprint(new_key))
        assert new is not None
        assert (old.closed_by, old.close_code) == ("client", 1000)
        assert old.closed_at is not None
        assert new.opened_at <= old.closed_at  # the new connection came first

        await until(lambda: new.frames_sent >= 10)  # the silence is over: frames again
        sim.silence(0.5, CUSTOMER)
        await h.quiet()
        # Every frame the simulator sent, on the old and on the new connection, arrived.
        assert len(h.frames()) == sim.frames_sent(CUSTOMER, "monitoring")
        assert len(h.frames()) == old.frames_sent + new.frames_sent
        assert sub.stats.connects == 2
        assert sub.stats.reconnects == Counter()  # a switch, not a reconnect
        assert sub.stats.state is StreamState.CONNECTED
        assert h.delays == []
    assert sim.validate_calls(CUSTOMER) == 2  # start, then the check
    infos = [r.getMessage() for r in caplog.records]
    assert (
        f"customer 'CustomerA' topic monitoring: switched to the renewed key {fingerprint(new_key)}"
        in infos
    )


async def test_401_after_rotation_fetches_the_new_key_and_retries_at_once(
    sim: CentralSimulator,
) -> None:
    old_key = sim.customer(CUSTOMER).key
    async with streaming(sim, make_config(sim, topics=("monitoring", "presence"))) as h:
        subs = h.streamer.subscriptions
        await until(lambda: len(sim.open_connections()) == 2)
        new_key = sim.rotate_key(CUSTOMER)
        h.clock.advance(61)
        await sim.drop_connections(CUSTOMER)  # reconnects with the old key get 401
        await until(lambda: len(sim.open_connections()) == 2)
        await until(lambda: all(s.stats.connects == 2 for s in subs))
        assert h.delays == [1.0, 1.0]  # the drops' backoff; no wait after the 401
        total = sum((s.stats.reconnects for s in subs), Counter())
        assert set(total) == {"closed", "unauthorized"}
        assert total["closed"] == 2
        assert 1 <= total["unauthorized"] <= 2  # a stream may find the new key already there
        assert h.streamer.keys[CUSTOMER].renewals == 1
    old_fp, new_fp = fingerprint(old_key), fingerprint(new_key)
    for topic in ("monitoring", "presence"):
        attempts = [
            (h.status, h.headers["Authorization"]) for h in sim.handshakes if h.topic == topic
        ]
        assert attempts in (
            [(101, old_fp), (401, old_fp), (101, new_fp)],
            [(101, old_fp), (101, new_fp)],
        )
    # Two streams asked; the lock made it one call to Central (plus the one at start).
    assert sim.validate_calls(CUSTOMER) == 2


async def test_revoked_key_does_not_hammer_the_validate_endpoint(
    sim: CentralSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="central_otel.streaming")
    topics = TOPIC_NAMES[:3]
    async with streaming(sim, make_config(sim, topics=topics)) as h:
        subs = h.streamer.subscriptions
        key = h.streamer.keys[CUSTOMER]
        await until(lambda: len(sim.open_connections()) == 3)
        sim.revoke_key(CUSTOMER)
        await sim.drop_connections(CUSTOMER)

        def refused() -> int:
            return sum(1 for h in sim.handshakes if h.status == 401)

        # Several attempts per stream, each refused and each followed by its wait.
        await until(lambda: all(s.stats.reconnects["unauthorized"] >= 3 for s in subs))
        await until(lambda: len(h.delays) >= 3 + 9)
        # The first 401 came after a "current" answer, so Central was asked once more
        # (the key might have been renewed meanwhile); that answer, a rejection, then
        # serves every 401 for a minute: no further calls.
        assert sim.validate_calls(CUSTOMER) == 2
        # The drops' backoff once per stream, then the maximum between attempts.
        assert Counter(h.delays)[1.0] == 3
        assert set(h.delays) == {1.0, 64.0}

        h.clock.advance(61)
        seen = {id(s): s.stats.reconnects["unauthorized"] for s in subs}
        await until(
            lambda: all(s.stats.reconnects["unauthorized"] >= seen[id(s)] + 3 for s in subs)
        )
        assert refused() >= 18
        # Three streams kept being refused; Central was asked once for all of them.
        assert sim.validate_calls(CUSTOMER) == 3
        assert key.last_outcome is not None
        assert key.last_outcome.outcome is KeyOutcome.REJECTED
        assert all(s.stats.state is not StreamState.CONNECTED for s in subs)
        assert all(s.stats.last_error == "HTTP 401 Unauthorized: Unauthorized" for s in subs)
    rejected = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.ERROR
        and "rejected by Central's validate endpoint" in r.getMessage()
    ]
    assert rejected == [
        f"customer 'CustomerA': streaming key {key.fingerprint} rejected by Central's validate "
        "endpoint (HTTP 401): it is wrong or revoked; put the current key from Central's "
        "Streaming page in key"
    ]


async def test_renewed_key_is_remembered_in_state_dir_for_a_restart(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"  # created by the Streamer
    async with running() as first:
        configured = first.customer(CUSTOMER).key
        config = replace(make_config(first, topics=("audit",)), state_dir=state_dir)
        async with streaming(first, config) as h:
            await until(lambda: len(first.open_connections()) == 1)
            renewed = first.rotate_key(CUSTOMER)
            h.clock.advance(61)
            await h.streamer.keys[CUSTOMER].check("scheduled")
    remembered = state_dir / "keys" / f"{CUSTOMER}.key"
    assert remembered.read_text() == renewed + "\n"
    assert stat.S_IMODE(remembered.stat().st_mode) == 0o600
    assert stat.S_IMODE(remembered.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700

    # A restart against a Central that no longer knows the configured key: the bridge
    # starts with the remembered one.
    async with running(customer=None) as second:
        second.add_customer(CUSTOMER, key=renewed)
        config = replace(
            make_config(second, topics=("audit",), key=configured), state_dir=state_dir
        )
        async with streaming(second, config) as h:
            await until(lambda: len(second.open_connections()) == 1)
            assert h.streamer.keys[CUSTOMER].fingerprint == fingerprint(renewed)
    assert [v.status for v in second.validations] == [401, 200]


async def test_an_unusable_state_dir_keeps_keys_in_memory(
    sim: CentralSimulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    config = replace(make_config(sim, topics=("audit",)), state_dir=blocker / "state")
    async with streaming(sim, config) as h:
        await until(lambda: len(sim.open_connections()) == 1)
        new_key = sim.rotate_key(CUSTOMER)
        h.clock.advance(61)
        await h.streamer.keys[CUSTOMER].check("scheduled")
        await until(lambda: connection_with_key(sim, fingerprint(new_key)) is not None)
    assert any(
        r.levelno == logging.WARNING
        and r.getMessage().startswith(f"cannot create the state directory {blocker / 'state'} (")
        and r.getMessage().endswith("); renewed keys are kept in memory only")
        for r in caplog.records
    )
