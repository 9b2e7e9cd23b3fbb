"""`central-otel status` as a subprocess against real health endpoints on loopback: a
bridge streaming from the simulator, the same bridge through an outage, a port nobody
listens on, and servers that are not a bridge."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rich.console import Console

from central_otel.commands.status import status_url
from central_otel.views import status_view
from tests.cli_support import CLI, bridge_on_simulator, run_cli, until

ServerFactory = Callable[[web.Application], Awaitable[TestServer]]
NOW = 1_767_225_600.0


async def _status(*args: str) -> tuple[int, str, str]:
    return await run_cli("status", *args)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


async def test_status_of_a_bridge_healthy_then_through_an_outage() -> None:
    async with bridge_on_simulator(seed=5) as running:
        url = running.url
        await until(running.ready)
        code, out, err = await _status("--url", url)
        lines = _lines(out)
        assert (code, err) == (0, "")
        assert lines[0].startswith("READY  2/2 subscriptions connected  loop lag ")
        assert lines[0].endswith(f"  {url}/status")
        assert lines[2].split() == [
            "CUSTOMER", "TOPIC", "STATE", "LAST", "FRAME", "FRAMES", "RECONNECTS", "LAST", "ERROR"
        ]  # fmt: skip
        assert [line.split()[:3] for line in lines[3:5]] == [
            ["CustomerA", "monitoring", "connected"],
            ["CustomerA", "audit", "connected"],
        ]
        fingerprint = running.bridge.streamer.keys["CustomerA"].fingerprint
        customer = next(line for line in lines if line.startswith("CustomerA  " + fingerprint))
        assert customer.split()[-3:] == ["valid", "1", "0"]  # outcome, validations, renewals
        assert lines[-1] == "healthy"
        assert running.key not in out

        await running.sim.stop()  # Central goes away: the subscriptions back off
        await until(lambda: not running.ready())
        code, out, err = await _status("--url", url.removeprefix("http://"))
        lines = _lines(out)
        assert (code, err) == (1, "")
        assert lines[0].startswith("NOT READY  ")
        verdict = lines.index(next(line for line in lines if line.startswith("UNHEALTHY: ")))
        problems = lines[verdict + 1 :]
        assert lines[verdict] == f"UNHEALTHY: {len(problems)} problem(s)"
        assert problems[0].startswith("  - not ready: ")
        down = [p for p in problems if p.startswith("  - subscription CustomerA/")]
        assert len(down) == 2
        assert running.key not in out


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


async def test_watch_to_a_pipe_prints_one_view_after_the_other() -> None:
    async with bridge_on_simulator(seed=6) as running:
        await until(running.ready)
        # Started with SIGINT ignored, as a script's background command is: Ctrl-C (the
        # signal) still stops it.
        proc = await asyncio.create_subprocess_exec(
            *CLI, "status", "--url", running.url, "--watch", "--interval", "0.2s",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            preexec_fn=_ignore_sigint,
        )  # fmt: skip
        assert proc.stdout is not None
        views = 0
        async with asyncio.timeout(30):
            while views < 3:
                line = (await proc.stdout.readline()).decode()
                views += line.startswith("READY  2/2 subscriptions connected")
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        assert (proc.returncode, err) == (0, b"")  # the last view was healthy
        assert b"\x1b" not in out  # plain text: no colours, no cursor movement


async def test_no_answer_is_one_clear_line_and_exit_3() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = await _status("--url", f"http://127.0.0.1:{port}")
    assert (code, out) == (3, "")
    assert err == (
        f"central-otel status: no answer from http://127.0.0.1:{port}/status: connection "
        "refused (is the bridge running, and is this its health.listen?)\n"
    )


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            web.Response(status=404, text="not here"),
            "answered HTTP 404 Not Found: is this a central-otel health address?",
        ),
        (
            web.json_response({"hello": "world"}),
            "did not answer with a central-otel /status document",
        ),
        (web.Response(text="<html>"), "did not answer with a central-otel /status document"),
    ],
)
async def test_a_server_that_is_not_a_bridge(
    aiohttp_server: ServerFactory, response: web.Response, message: str
) -> None:
    app = web.Application()

    async def status(request: web.Request) -> web.Response:
        return response

    app.router.add_get("/status", status)
    server = await aiohttp_server(app)
    code, out, err = await _status("--url", f"http://127.0.0.1:{server.port}/")
    assert (code, out) == (3, "")
    assert err == f"central-otel status: http://127.0.0.1:{server.port}/status {message}\n"


# -- the view of sections this version does not know ------------------------------------

DOC: dict[str, Any] = {
    "ready": True,
    "summary": "1/1 subscriptions connected",
    "event_loop_lag_seconds": 0.002,
    "subscriptions": [
        {
            "customer": "Acme",
            "topic": "monitoring",
            "state": "connected",
            "last_frame_age_seconds": 1.5,
            "frames": 1517,
            "reconnects": {"network": 2, "unauthorized": 0},
            "last_error": None,
        }
    ],
    "customers": [
        {
            "customer": "Acme",
            "key_fingerprint": "sha256:1a2b3c4d",
            "key_validations": 5,
            "key_renewals": 1,
            "key_last_validated": NOW - 125,
            "key_last_outcome": "renewed",
            # A New Central customer's token (a field this version has no column for)
            "token_expires_unix": NOW + 3600,
        }
    ],
    "exports": {
        "metrics": {
            "exports_succeeded": 118,
            "exports_failed": 0,
            "items_exported": 71305,
            "items_failed": 0,
            "items_dropped": 0,
            "last_export_items": 610,
            "last_export_duration_seconds": 0.012,
            "last_export_unix": NOW - 4,
            "last_error": None,
        }
    },
    # Sections other versions add: drawn generically.
    "event_queue": {"records": 12, "bytes": 4096, "oldest_age_seconds": 3.5},
    "device_context": {
        "Acme": {"last_sync_unix": NOW - 60, "outcome": "ok", "devices": 42},
    },
}


def _render(doc: Mapping[str, Any]) -> list[str]:
    console = Console(width=160, record=True, no_color=True, force_terminal=False)
    console.print(status_view.render(doc, source="http://bridge:8080/status", now=NOW))
    return _lines(console.export_text())


def test_view_draws_known_and_unknown_sections() -> None:
    assert _render(DOC) == [
        "READY  1/1 subscriptions connected  loop lag 0.00s  http://bridge:8080/status",
        "",
        "CUSTOMER  TOPIC       STATE      LAST FRAME  FRAMES  RECONNECTS  LAST ERROR",
        "Acme      monitoring  connected  1.5s ago    1517    network=2   -",
        "",
        "CUSTOMER  KEY              KEY VALIDATED  OUTCOME  VALIDATIONS  RENEWALS  "
        "TOKEN EXPIRES UNIX",
        "Acme      sha256:1a2b3c4d  2m05s ago      renewed  5            1         in 1h00m",
        "",
        "EXPORT   OK   FAILED  LAST ITEMS  ITEMS  FAILED ITEMS  DROPPED  LAST      TOOK   "
        "LAST ERROR",
        "metrics  118  0       610         71305  0             0        4.0s ago  0.01s  -",
        "",
        "EVENT QUEUE",
        "RECORDS  BYTES  OLDEST AGE SECONDS",
        "12       4096   3.5s",
        "",
        "DEVICE CONTEXT",
        "NAME  LAST SYNC UNIX  OUTCOME  DEVICES",
        "Acme  1m00s ago       ok       42",
        "",
        "healthy",
    ]
    assert status_view.problems(DOC) == []


def test_missing_fields_read_as_dashes_and_problems_are_named() -> None:
    doc: dict[str, Any] = {
        "ready": False,
        "summary": "0/1 subscriptions connected",
        "subscriptions": [
            {"customer": "Acme", "topic": "audit", "state": "waiting", "last_error": "HTTP 401"}
        ],
        "customers": [{"customer": "Acme", "key_last_outcome": "rejected"}],
        "exports": {"logs": {"exports_failed": 3, "last_error": "grpc UNAVAILABLE"}},
        "event_loop_lag_seconds": 6.25,
        "device_context": {"Acme": {"outcome": "failed", "healthy": False}},
    }
    lines = _render(doc)
    assert (
        lines[0]
        == "NOT READY  0/1 subscriptions connected  loop lag 6.2s  http://bridge:8080/status"
    )
    assert lines[3] == "Acme      audit  waiting  -           -       -           HTTP 401"
    assert lines[6] == "Acme      -    -              rejected  -            -"
    assert status_view.problems(doc) == [
        "not ready: 0/1 subscriptions connected",
        "subscription Acme/audit is waiting: HTTP 401",
        "customer Acme: key validation rejected",
        "logs export failing: grpc UNAVAILABLE",
        "event loop lagging 6.2s",
        "device context: Acme: not healthy",
        "device context: Acme: outcome failed",
    ]
    assert lines[-8:] == [
        "UNHEALTHY: 7 problem(s)",
        *(f"  - {p}" for p in status_view.problems(doc)),
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/status"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/status"),
        ("127.0.0.1:9000", "http://127.0.0.1:9000/status"),
        ("http://bridge:8080/status", "http://bridge:8080/status"),
        ("http://proxy/central-otel/", "http://proxy/central-otel/status"),
    ],
)
def test_status_url(given: str, expected: str) -> None:
    assert status_url(given) == expected


def test_status_json_of_the_docs_example_renders() -> None:
    """docs/operating.md's /status example is what the view is written against."""
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "operating.md").read_text()
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    doc = json.loads(example)
    lines = _render(doc)
    assert lines[0].startswith("NOT READY  ")
    assert "UNHEALTHY: " in "\n".join(lines)


def test_the_event_queue_is_one_line_and_its_failures_are_problems() -> None:
    events: dict[str, Any] = {
        "storage": "memory",
        "storage_error": "cannot use /state/events: Read-only file system",
        "queue": {"records": 3990, "oldest_age_seconds": 30.1},
        "accepted": 9946,
        "delivered": 5955,
        "retried": 14893,
        "dropped": {"queue_full": 0, "rejected": 1},
        "last_error": "grpc UNAVAILABLE",
        "last_delivery_unix": NOW - 40,
    }
    doc: dict[str, Any] = {"ready": True, "summary": "1/1 subscriptions connected"}
    lines = _render({**doc, "events": events})
    assert lines[7] == (
        "EVENTS  queued 3990 (oldest 30s)  memory  accepted 9946  delivered 5955  retried 14893"
        "  dropped rejected=1  last error grpc UNAVAILABLE"
    )
    assert status_view.problems({**doc, "events": events}) == [
        "events export failing: grpc UNAVAILABLE",
        "events queued in memory only: cannot use /state/events: Read-only file system",
    ]
    healthy = {**events, "storage": "disk", "storage_error": None, "last_error": None}
    healthy["queue"] = {"records": 0, "oldest_age_seconds": None}
    assert _render({**doc, "events": healthy})[7] == (
        "EVENTS  queued 0  disk  accepted 9946  delivered 5955  retried 14893  dropped "
        "rejected=1  last delivery 40s ago"
    )
    assert status_view.problems({**doc, "events": healthy}) == []
