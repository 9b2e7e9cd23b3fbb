"""Key validation against a real HTTP endpoint on loopback, and the key lifecycle."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from central_otel.secret import Secret
from central_otel.streaming.keys import (
    KEY_LIFETIME,
    KeyOutcome,
    KeyValidation,
    jwt_creation_date,
    validate_key,
)
from tests import defaults

OLD = "old-key-0123456789abcdef"
NEW = "new-key-fedcba9876543210"

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'type': 'jwt'})}.{part(claims)}.c2lnbmF0dXJl"


async def _validate_server(aiohttp_server: ServerFactory, calls: list[str]) -> str:
    async def handler(request: web.Request) -> web.Response:
        key = request.headers.get("Authorization", "")
        calls.append(key)
        if key in (OLD, NEW):
            return web.json_response({"token": NEW})
        if key == "broken":
            return web.Response(status=502, text="bad gateway")
        if key == "nojson":
            return web.Response(text="<html>")
        return web.Response(status=401, text="Unauthorized")

    app = web.Application()
    app.router.add_get("/streaming/token/validate", handler)
    server = await aiohttp_server(app)
    return str(server.make_url("/streaming/token/validate"))


@pytest.mark.parametrize(
    ("key", "outcome", "detail"),
    [
        (NEW, KeyOutcome.VALID, "key is current"),
        (OLD, KeyOutcome.RENEWED, f"renewed key {Secret(NEW).fingerprint}"),
        ("revoked", KeyOutcome.REJECTED, "HTTP 401"),
        ("broken", KeyOutcome.FAILED, "HTTP 502"),
        ("nojson", KeyOutcome.FAILED, "answer has no token"),
    ],
)
async def test_validate_key_outcomes(
    aiohttp_server: ServerFactory, key: str, outcome: KeyOutcome, detail: str
) -> None:
    calls: list[str] = []
    url = await _validate_server(aiohttp_server, calls)
    async with aiohttp.ClientSession() as session:
        result = await validate_key(
            session, url, Secret(key), ssl_setting=False, timeout=defaults.CONNECT_TIMEOUT
        )
    assert (result.outcome, result.detail) == (outcome, detail)
    assert calls == [key]  # raw key, no scheme
    if outcome in (KeyOutcome.VALID, KeyOutcome.RENEWED):
        assert result.key == Secret(NEW)
    assert key not in repr(result)


async def test_validate_key_unreachable(unused_tcp_port: int) -> None:
    async with aiohttp.ClientSession() as session:
        result = await validate_key(
            session,
            f"http://127.0.0.1:{unused_tcp_port}/x",
            Secret(OLD),
            ssl_setting=False,
            timeout=defaults.CONNECT_TIMEOUT,
        )
    assert result.outcome is KeyOutcome.FAILED
    assert result.detail == "connection refused"
    assert OLD not in result.detail


class FakeValidator:
    """Answers like Central, counting calls; lets a test hold a call open."""

    def __init__(self, answers: dict[str, KeyValidation]) -> None:
        self.answers = answers
        self.calls: list[str] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self, key: Secret) -> KeyValidation:
        self.calls.append(key.reveal())
        if self.gate is not None:
            await self.gate.wait()
        return self.answers[key.reveal()]


VALID_NEW = KeyValidation(KeyOutcome.VALID, Secret(NEW), "key is current")
RENEWED = KeyValidation(KeyOutcome.RENEWED, Secret(NEW), "renewed")
REJECTED = KeyValidation(KeyOutcome.REJECTED, None, "HTTP 401")


async def test_renewal_switches_key_wakes_waiters_and_is_remembered(tmp_path: Path) -> None:
    validator = FakeValidator({OLD: RENEWED, NEW: VALID_NEW})
    key = defaults.customer_key("CustomerA", Secret(OLD), validator, state_dir=tmp_path)
    waiter = asyncio.create_task(key.wait_changed(0))
    await key.start()
    await asyncio.wait_for(waiter, 1)
    assert key.current == Secret(NEW)
    assert (key.generation, key.renewals, key.validations) == (1, 1, 1)
    saved = tmp_path / "keys" / "CustomerA.key"
    assert saved.read_text() == NEW + "\n"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700


async def test_restart_with_stale_configured_key_uses_remembered_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "CustomerA.key").write_text(NEW + "\n")
    validator = FakeValidator({"stale": REJECTED, NEW: VALID_NEW})
    key = defaults.customer_key("CustomerA", Secret("stale"), validator, state_dir=tmp_path)
    caplog.set_level(logging.INFO)
    await key.start()
    assert key.current == Secret(NEW)
    assert validator.calls == ["stale", NEW]
    text = caplog.text
    assert "using the renewed key" in text
    assert NEW not in text
    assert "'stale'" not in text


async def test_without_state_dir_nothing_is_written(tmp_path: Path) -> None:
    key = defaults.customer_key("CustomerA", Secret(OLD), FakeValidator({OLD: RENEWED}))
    await key.start()
    assert key.current == Secret(NEW)
    assert list(tmp_path.iterdir()) == []


async def test_concurrent_401_checks_make_one_call() -> None:
    now = [1000.0]
    validator = FakeValidator({"revoked": REJECTED})
    key = defaults.customer_key(
        "C", Secret("revoked"), validator, min_interval=60, clock=lambda: now[0]
    )
    validator.gate = asyncio.Event()
    checks = [asyncio.create_task(key.check("unauthorized")) for _ in range(5)]
    await asyncio.sleep(0)
    validator.gate.set()
    results = await asyncio.gather(*checks)
    assert {r.outcome for r in results} == {KeyOutcome.REJECTED}
    assert len(validator.calls) == 1
    now[0] += 59
    await key.check("unauthorized")
    assert len(validator.calls) == 1  # a 401 loop does not hammer the endpoint
    now[0] += 2
    await key.check("unauthorized")
    assert len(validator.calls) == 2


async def test_rejected_key_log_names_customer_and_fix(caplog: pytest.LogCaptureFixture) -> None:
    key = defaults.customer_key(
        "CustomerA",
        Secret("revoked-secret"),
        FakeValidator({"revoked-secret": REJECTED}),
        key_source="key_file /run/secrets/a",
    )
    await key.start()
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == (
        f"customer 'CustomerA': streaming key {Secret('revoked-secret').fingerprint} rejected by "
        "Central's validate endpoint (HTTP 401): it is wrong or revoked; put the current key "
        "from Central's Streaming page in key_file /run/secrets/a"
    )


async def test_repeated_validation_failures_are_logged_once_then_the_recovery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="central_otel.streaming.keys")
    now = [1000.0]
    down = KeyValidation(KeyOutcome.FAILED, None, "connection refused")
    validator = FakeValidator({OLD: down})
    key = defaults.customer_key(
        "CustomerA", Secret(OLD), validator, min_interval=60, clock=lambda: now[0]
    )
    await key.start()
    for _ in range(10):  # the validate endpoint stays down: a check every 61 s
        now[0] += 61
        await key.check("unauthorized")
    validator.answers[OLD] = KeyValidation(KeyOutcome.VALID, Secret(OLD), "key is current")
    now[0] += 61
    await key.check("scheduled")
    assert len(validator.calls) == 12
    failing = (
        "customer 'CustomerA': could not validate the streaming key (connection refused); "
        f"keeping key {Secret(OLD).fingerprint} and trying again later"
    )
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert loud == [
        failing,
        # Repeats at DEBUG, with a reminder once 600 s have passed (the 10th, at 610 s).
        f"{failing} (repeated 10 times since the first report)",
        f"customer 'CustomerA': streaming key {Secret(OLD).fingerprint} validated again",
    ]


def test_jwt_creation_date_and_schedule() -> None:
    created = 1_764_000_000
    jwt = _jwt({"customer_id": "c1", "creation_date": created})
    assert jwt_creation_date(Secret(jwt)) == created
    assert jwt_creation_date(Secret(_jwt({"creation_date": created * 1000}))) == created
    assert jwt_creation_date(Secret("not-a-jwt")) is None
    assert jwt_creation_date(Secret("a.!!!.c")) is None
    assert jwt_creation_date(Secret(_jwt({"Created": created}))) is None
    now = created + KEY_LIFETIME - 600  # ten minutes before the 7-day mark
    key = defaults.customer_key(
        "C", Secret(jwt), FakeValidator({}), interval=3600, clock=lambda: now
    )
    assert key.next_check_in() == pytest.approx(660.0)
    later = defaults.customer_key(
        "C", Secret(jwt), FakeValidator({}), interval=3600, clock=lambda: now + 7200
    )
    assert later.next_check_in() == 3600.0
    plain = defaults.customer_key("C", Secret("opaque"), FakeValidator({}), interval=3600)
    assert plain.next_check_in() == 3600.0
