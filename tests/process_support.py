"""`central-otel run` as a real subprocess, for the reliability tests: its health port
(parsed from its log), `/status`, `/readyz`, memory from /proc, and figures.

Figures are printed (see them with ``pytest -s``) and, when the environment variable
``CENTRAL_OTEL_FIGURES`` names a file, appended to it as JSON lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

T = TypeVar("T")

_HEALTH_LINE = re.compile(r"health endpoints on http://[^:]+:(\d+)")


def record_figures(scenario: str, **figures: Any) -> dict[str, Any]:
    """Print one scenario's figures; append them to $CENTRAL_OTEL_FIGURES if set."""
    line = {"scenario": scenario, **figures}
    text = json.dumps(line, sort_keys=False, default=str)
    print(f"\nFIGURES {text}")
    target = os.environ.get("CENTRAL_OTEL_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text + "\n")
    return line


def rss_kib(pid: int | None = None) -> tuple[int, int]:
    """(current RSS, peak RSS) in KiB from /proc/<pid>/status (VmRSS, VmHWM)."""
    path = Path("/proc", str(pid) if pid else "self", "status")
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in values:
            values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


async def until(
    predicate: Callable[[], Awaitable[T]], timeout: float, message: str, interval: float = 0.1
) -> T:
    """Poll the async `predicate` until truthy; its value. AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(aiohttp.ClientError, OSError):
            value = await predicate()
            if value:
                return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {message}")
        await asyncio.sleep(interval)


def write_config(
    path: Path,
    *,
    base_url: str,
    customers: Mapping[str, tuple[str, list[str]]],
    otlp_endpoint: str,
    ready_when: str = "all",
    extra: str = "",
    protocol: str = "grpc",
    otlp_timeout: str = "2s",
    otlp_extra: str = "",
    connect_timeout: str | None = None,
    max_delay: str = "2s",
    customer_extra: Mapping[str, str] | None = None,
    ca_file: Path | None = None,
) -> Path:
    """A `run` configuration: keys in files next to it (0600), fast reconnects and exports.

    `otlp_extra` and `extra` are YAML lines added to the `otlp` section and at the end,
    `customer_extra[name]` to that customer's settings (indented as they are);
    `connect_timeout` and `max_delay` go to `streaming`; `ca_file` to `central`.
    """
    lines = [
        "central:",
        f"  base_url: {base_url}",
        *([f"  ca_file: {ca_file}"] if ca_file is not None else []),
        "customers:",
    ]
    for name, (key, topics) in customers.items():
        key_file = path.parent / f"{name}.key"
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
        lines += [f"  {name}:", f"    key_file: {key_file}", f"    topics: [{', '.join(topics)}]"]
        lines += [f"    {line}" for line in (customer_extra or {}).get(name, "").splitlines()]
    lines += [
        "otlp:",
        f"  endpoint: {otlp_endpoint}",
        f"  protocol: {protocol}",
        "  export_interval: 1s",
        f"  timeout: {otlp_timeout}",
        *otlp_extra.splitlines(),
        "health:",
        "  listen: 127.0.0.1:0",
        f"  ready_when: {ready_when}",
        "streaming:",
        *([f"  connect_timeout: {connect_timeout}"] if connect_timeout else []),
        "  reconnect:",
        "    initial_delay: 0.2s",
        f"    max_delay: {max_delay}",
        "    jitter: 0",
    ]
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


class BridgeProcess:
    """One `central-otel run --config FILE` subprocess."""

    def __init__(
        self,
        config: Path,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
        *,
        preexec: Callable[[], None] | None = None,
    ) -> None:
        """`preexec` runs in the child before `run` starts (resource limits, signals)."""
        self.config = config
        self.preexec = preexec
        self.args = tuple(args)  # more `run` arguments, e.g. --shard-count
        self.env = {**os.environ, **(env or {})}
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr_lines: list[str] = []
        self.port: int | None = None
        self.started_at = 0.0
        self._reader: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self.peak_rss_kib = 0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)

    async def start(self, timeout: float = 60.0) -> BridgeProcess:
        self.started_at = time.monotonic()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "central_otel", "run", "--config", str(self.config), *self.args,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=self.env,
            preexec_fn=self.preexec,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read(self.proc))
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))

        async def port() -> int | None:
            if self.proc is not None and self.proc.returncode is not None:
                raise AssertionError(f"run exited {self.proc.returncode}: {self.stderr[-2000:]}")
            return self.port

        await until(port, timeout, "the health endpoint's log line")
        return self

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            text = line.decode(errors="replace")
            self.stderr_lines.append(text)
            match = _HEALTH_LINE.search(text)
            if match and self.port is None:
                self.port = int(match.group(1))

    async def get(self, path: str) -> tuple[int, str]:
        assert self._session is not None
        assert self.port is not None
        async with self._session.get(f"http://127.0.0.1:{self.port}{path}") as response:
            return response.status, await response.text()

    async def status(self) -> dict[str, Any]:
        code, text = await self.get("/status")
        assert code == 200, text
        body: dict[str, Any] = json.loads(text)
        return body

    async def frames(self) -> int:
        """Frames received by every subscription (from /status)."""
        return sum(int(s["frames"]) for s in (await self.status())["subscriptions"])

    async def connected(self, count: int) -> bool:
        subs = (await self.status())["subscriptions"]
        return sum(1 for s in subs if s["state"] == "connected") >= count

    def sample_rss(self) -> int:
        """Current RSS in KiB (and remember the peak)."""
        current, peak = rss_kib(self.pid)
        self.peak_rss_kib = max(self.peak_rss_kib, peak)
        return current

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> tuple[int, float]:
        """Send `sig`; (exit status, seconds until it exited)."""
        assert self.proc is not None
        with contextlib.suppress(OSError):
            self.sample_rss()
        started = time.monotonic()
        self.proc.send_signal(sig)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        elapsed = time.monotonic() - started
        await self.close()
        return code, elapsed

    async def close(self) -> None:
        """Kill if still running; release the reader and the HTTP session."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._reader, 5)
        if self._session is not None:
            await self._session.close()
            self._session = None


@dataclass(slots=True)
class StalledConnection:
    """One connection to a `StallingServer` (the request's path and Topic header only)."""

    mode: str
    accepted_at: float  # time.monotonic()
    path: str | None = None
    topic: str | None = None
    closed_at: float | None = None
    closed_by: str | None = None  # "client" (it gave up) or "server" (stop)

    @property
    def held(self) -> float | None:
        """Seconds from accept to the client giving up."""
        return None if self.closed_at is None else self.closed_at - self.accepted_at


class StallingServer:
    """A slow-loris Central on 127.0.0.1: accepts TCP connections, never finishes an answer.

    Mode ``silent``: reads the request, answers nothing. Mode ``status-line``: answers
    ``HTTP/1.1 101 Switching Protocols`` and then nothing (no headers, no end of them).
    `mode` may change while it runs (new connections take it). Every connection is
    recorded with the request's path and ``Topic`` header: never the key.
    """

    def __init__(self, mode: str = "silent") -> None:
        self.mode = mode
        self.connections: list[StalledConnection] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._held: dict[asyncio.StreamWriter, StalledConnection] = {}

    async def start(self, port: int = 0) -> StallingServer:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", port, reuse_address=True
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Stop listening and drop every held connection (the port is free again)."""
        if self._server is None:
            return
        self._server.close()
        now = time.monotonic()
        for writer, record in list(self._held.items()):
            record.closed_by, record.closed_at = "server", now
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    def closed_by_client(
        self, path: str | None = None, topic: str | None = None
    ) -> list[StalledConnection]:
        return [
            c
            for c in self.connections
            if c.closed_by == "client"
            and (path is None or c.path == path)
            and (topic is None or c.topic == topic)
        ]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        record = StalledConnection(self.mode, time.monotonic())
        self.connections.append(record)
        self._held[writer] = record
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")
            parts = request_line.split(" ")
            record.path = parts[1] if len(parts) > 1 else None
            for line in lines:
                name, _, value = line.partition(":")
                if name.strip().lower() == "topic":
                    record.topic = value.strip()
            if record.mode == "status-line":
                writer.write(b"HTTP/1.1 101 Switching Protocols\r\n")
                await writer.drain()
            while await reader.read(65536):
                pass  # whatever else comes, nothing is answered
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            if record.closed_by is None:
                record.closed_by, record.closed_at = "client", time.monotonic()
            self._held.pop(writer, None)
            writer.close()
