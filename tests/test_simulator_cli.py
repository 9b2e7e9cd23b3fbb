"""`central-otel simulate`: a subprocess that serves, prints its URL and key, and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import yaml

from central_otel.cli import main
from central_otel.commands.simulate import parse_listen
from central_otel.config import parse_config
from central_otel.simulator import fingerprint, key_claims
from tests.simulator_support import decoded

URL_LINE = re.compile(r"central-otel simulate: listening on (https?://\S+) - (.*)")


class _Simulate:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    async def line(self) -> str:
        assert self.process.stderr is not None
        async with asyncio.timeout(10):
            raw = await self.process.stderr.readline()
        assert raw, f"simulate exited early: {self.lines}"
        text = raw.decode("utf-8").rstrip("\n")
        self.lines.append(text)
        return text

    async def until(self, pattern: re.Pattern[str]) -> re.Match[str]:
        while not (match := pattern.search(await self.line())):
            pass
        return match


@pytest.fixture
async def simulate(request: pytest.FixtureRequest) -> AsyncIterator[_Simulate]:
    args = getattr(request, "param", [])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "central_otel",
        "simulate",
        "--listen",
        "127.0.0.1:0",
        "--stats-interval",
        "100ms",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield _Simulate(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_simulate_serves_and_stops_on_sigterm(simulate: _Simulate) -> None:
    url, shown = (await simulate.until(URL_LINE)).groups()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    assert shown.startswith("demo key (valid for this simulator only, not an Aruba credential): ")
    key = shown.rsplit(": ", 1)[1]
    claims = key_claims(key)
    assert claims is not None
    assert set(claims) == {"customer_id", "creation_date"}
    await simulate.until(re.compile(r"configuration for central-otel"))
    snippet = [await simulate.line() for _ in range(12)]
    config = parse_config(yaml.safe_load("\n".join(snippet)), source="snippet")
    assert (config.central.host, config.central.secure) == ("127.0.0.1", False)
    assert config.central.port == int(url.rsplit(":", 1)[1])
    (customer,) = config.customers
    assert customer.name == "demo"
    assert customer.key.reveal() == key
    assert [t.value for t in customer.topics] == [
        "monitoring", "presence", "security", "location", "apprf", "audit",
    ]  # fmt: skip
    assert customer.inventory is not None
    api = customer.inventory.classic
    assert api is not None
    assert api.api_base_url == url
    assert config.state_dir is not None
    assert config.state_dir.name == "central-otel-state"

    async with aiohttp.ClientSession() as session:
        # The printed API credentials work: one refresh-token grant.
        params = {
            "client_id": api.client_id,
            "client_secret": api.client_secret.value.reveal(),
            "grant_type": "refresh_token",
            "refresh_token": api.refresh_token.value.reveal(),
        }
        async with session.post(url + "/oauth2/token", params=params) as response:
            assert response.status == 200
            assert set(await response.json()) == {
                "access_token", "refresh_token", "expires_in", "token_type",
            }  # fmt: skip
        ws = await session.ws_connect(
            url.replace("http", "ws") + "/streaming/api",
            headers={"Authorization": key, "Topic": "monitoring"},
        )
        message = await ws.receive(timeout=5)
        assert message.type is aiohttp.WSMsgType.BINARY
        frame = decoded(message.data)
        assert frame.customer_id == claims["customer_id"]
        assert len(frame.payload.aps) == 4  # type: ignore[attr-defined]
        simulate.process.send_signal(signal.SIGTERM)
        closing = await ws.receive(timeout=5)
        while closing.type is aiohttp.WSMsgType.BINARY:
            closing = await ws.receive(timeout=5)
        assert closing.type is aiohttp.WSMsgType.CLOSE
        assert closing.data == 1001
    async with asyncio.timeout(10):
        assert await simulate.process.wait() == 0
    rest = (await simulate.process.stderr.read()).decode()  # type: ignore[union-attr]
    assert "central-otel simulate: stopped" in rest
    assert key not in rest  # connection logs name keys by fingerprint only
    assert fingerprint(key) in rest


@pytest.mark.parametrize(
    "simulate",
    [["--key", "my-own-demo-key", "--customer", "lab", "--topics", "presence", "-q"]],
    indirect=True,
)
async def test_simulate_with_a_given_key(simulate: _Simulate) -> None:
    url, shown = (await simulate.until(URL_LINE)).groups()
    assert shown == f"key: the one given (fingerprint sha256:{fingerprint('my-own-demo-key')})"
    await simulate.until(re.compile(r"configuration for central-otel"))
    snippet = [await simulate.line() for _ in range(6)]
    assert (
        "    key_env: CENTRAL_OTEL_SIMULATOR_KEY  # set it to the key given with --key" in snippet
    )
    assert "    topics: [presence]" in snippet
    assert not any("my-own-demo-key" in line for line in simulate.lines)
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            url + "/streaming/api",
            headers={"Authorization": "my-own-demo-key", "Topic": "monitoring"},
        ) as response,
    ):
        assert (response.status, await response.text()) == (400, "Unsubscribed Topic")
    simulate.process.send_signal(signal.SIGINT)
    async with asyncio.timeout(10):
        assert await simulate.process.wait() == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tls-cert", "cert.pem"], "--tls-cert and --tls-key go together"),
        (["--listen", "127.0.0.1:99999"], "invalid port '99999' in --listen"),
        (["--listen", "::1:80"], "write IPv6 addresses as [ADDRESS]:PORT"),
        (["--stats-interval", "5x"], "--stats-interval: invalid duration '5x'"),
        (["--stats-interval", "1ms"], "--stats-interval must be at least 10ms"),
        (["--customer", "Customer A"], "invalid customer name 'Customer A'"),
        (["--key", "two words"], "the key must be a single word"),
        (["--key-file", "/nonexistent/key"], "cannot read --key-file /nonexistent/key"),
        (["--max-frame-size", "10"], "--max-frame-size must be at least 1024"),
        (["--time-scale", "0"], "--time-scale must be greater than zero"),
        (["--key-lifetime", "0s"], "--key-lifetime must be greater than zero"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("central-otel simulate: ")
    assert message in err


def test_unknown_scale_is_refused_by_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--scale", "huge"])
    assert exit_.value.code == 2
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    out = capsys.readouterr().out
    for option in (
        "--listen", "--tls-cert", "--tls-key", "--key", "--key-file", "--customer",
        "--customer-id", "--scale", "--stats-interval", "--topics", "--seed", "--profile",
        "--max-frame-size", "--time-scale", "--key-lifetime", "--quiet",
    ):  # fmt: skip
        assert option in out
    assert "demo key of this simulator only" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("127.0.0.1", 8765)),
        ("127.0.0.1:9000", ("127.0.0.1", 9000)),
        (":9000", ("127.0.0.1", 9000)),
        ("0.0.0.0:0", ("0.0.0.0", 0)),
        ("localhost", ("localhost", 8765)),
        ("[::1]:9000", ("::1", 9000)),
        ("[::1]", ("::1", 8765)),
    ],
)
def test_parse_listen(value: str | None, expected: tuple[str, int]) -> None:
    assert parse_listen(value, 8765) == expected


def test_key_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("  \n")
    assert main(["simulate", "--key-file", str(key_file)]) == 2
    assert "single word" in capsys.readouterr().err
