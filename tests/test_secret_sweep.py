"""One sweep for known secrets through everything `central-otel run` puts out.

A process scenario that walks the paths where a secret could slip out: streaming keys
renewed before the start (picked up at validation) and during the run (a 401, then
validation), a customer with a wrong key (401 and a rejected validation), an OTLP
header secret given as `otlp.headers` in the configuration file, a collector that
refuses exports quoting the credentials it got (gRPC details / HTTP body), partial
success, an undecodable frame, dropped connections, debug logging (`-v`), a capture
file and `state_dir`. Then every output is searched for every secret:

- standard error (every line, debug included);
- `/status`, `/readyz` and `/healthz` (several times);
- `central-otel check-config` (standard output and error);
- the capture file;
- everything each OTLP receiver (gRPC and HTTP) got: metrics and logs, as decoded
  protobuf (text format) and as the raw bytes that arrived, and the headers; the OTLP
  header secrets must be exactly in their own header and nowhere else.

Secrets include CustomerA's REST API client secret and every API token: the bootstrap
refresh token and the rotated refresh and access tokens of one run (device context),
and the refused refresh token of the other. Zero hits. `state_dir/keys/<customer>.key`
holds the renewed key by design (0600): it is checked to hold exactly the current key
and nothing else (as `state_dir/inventory/<customer>.json` holds the token pair).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import stat
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
from google.protobuf import text_format

from central_otel.logging_setup import configure_logging
from central_otel.secret import Secret
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from tests.export_support import from_export_loop
from tests.otlp_receiver import GrpcOtlpReceiver, HttpOtlpReceiver, OtlpReceiver
from tests.process_support import BridgeProcess, until, write_config

pytestmark = pytest.mark.timeout(120)

TOPICS = ["monitoring", "presence", "audit"]
BAD_KEY = "Sweep-wrong-key-CustomerB-5f3a9c0e7d21"
OTLP_TOKEN = "Bearer sweep-otlp-token-2b8e61d4c9f7a035"
OTLP_API_KEY = "sweep-api-key-77c0f1e9a2d4b6"
API_SECRET = "sweep-api-client-secret-3e9a0c51d7b2"
REFUSED_REFRESH = "sweep-refused-refresh-token-8c2f4a6e1b"
HEADERS = {"authorization": OTLP_TOKEN, "x-api-key": OTLP_API_KEY}


@dataclass
class Outputs:
    """Every text and byte string one bridge put out, by where it came from."""

    texts: dict[str, str] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)

    def add(self, where: str, content: str | bytes) -> None:
        if isinstance(content, bytes):
            self.blobs[where] = content
        else:
            self.texts[where] = content

    def hits(self, secrets: dict[str, str]) -> list[str]:
        found = [
            f"{name} in {where}"
            for name, value in secrets.items()
            for where, text in self.texts.items()
            if value in text
        ]
        found += [
            f"{name} in {where} (bytes)"
            for name, value in secrets.items()
            for where, blob in self.blobs.items()
            if value.encode() in blob
        ]
        return found


def _direct(headers: Mapping[str, str]) -> bool:
    return from_export_loop(headers)


def _otlp_extra() -> str:
    lines = ["  headers:"]
    lines += [f'    {name}: "{value}"' for name, value in HEADERS.items()]
    return "\n".join(lines)


async def _check_config(config: Path) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "central_otel", "check-config", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode() + err.decode()


async def _snapshot(bridge: BridgeProcess, outputs: Outputs, label: str) -> None:
    for path in ("/status", "/readyz", "/healthz"):
        _, text = await bridge.get(path)
        outputs.add(f"{path} ({label})", text)


def _receiver_outputs(receiver: OtlpReceiver, outputs: Outputs) -> None:
    """Payloads decoded and raw; headers apart from the OTLP ones (checked separately)."""
    for i, request in enumerate(receiver.requests()):
        where = f"{receiver.transport} {request.signal} request {i}"
        outputs.add(f"{where}: decoded", text_format.MessageToString(request.request))
        outputs.add(f"{where}: raw", request.raw)
        others = {k: v for k, v in request.headers.items() if k not in HEADERS}
        outputs.add(f"{where}: other headers", repr(others))


def _inventory(sim: CentralSimulator, folder: Path, refresh_token: str) -> str:
    """CustomerA's inventory block: the client secret and the refresh token in files."""
    (folder / "api-secret").write_text(API_SECRET + "\n")
    (folder / "refresh-token").write_text(refresh_token + "\n")
    return (
        f"inventory:\n  api_base_url: {sim.url}\n  client_id: sweep-client\n"
        f"  client_secret_file: {folder / 'api-secret'}\n"
        f"  refresh_token_file: {folder / 'refresh-token'}\n  interval: 1m\n"
    )


async def _scenario(
    sim: CentralSimulator,
    key_a: str,
    receiver: OtlpReceiver,
    log_format: str,
    folder: Path,
    *,
    refresh_token: str,
) -> tuple[Outputs, Path]:
    protocol = "grpc" if receiver.transport == "grpc" else "http/protobuf"
    outputs = Outputs()
    state_dir = folder / "state"
    capture = folder / "frames.cap"
    config = write_config(
        folder / "config.yaml",
        base_url=sim.url,
        customers={"CustomerA": (key_a, TOPICS), "CustomerB": (BAD_KEY, TOPICS[:1])},
        otlp_endpoint=receiver.endpoint,
        protocol=protocol,
        otlp_extra=_otlp_extra(),
        customer_extra={"CustomerA": _inventory(sim, folder, refresh_token)},
        extra=f"state_dir: {state_dir}\ncapture:\n  file: {capture}\nlog_format: {log_format}\n",
    )
    outputs.add("check-config", await _check_config(config))
    bridge = BridgeProcess(config, args=["-v"])
    try:
        await bridge.start()
        await until(lambda: bridge.connected(3), 60, "CustomerA's 3 subscriptions connected")
        await until(_requests(receiver, "logs"), 60, "events exported")
        await until(_synced(bridge), 60, "the device-context sync done")
        await _snapshot(bridge, outputs, "connected")
        # The collector refuses exports quoting the credentials it got (over gRPC one
        # of them with UNKNOWN, what a crashing collector answers); then partial
        # successes quoting the other header.
        refusal = f"invalid credentials: {OTLP_TOKEN}"
        quota = f"over quota for {OTLP_API_KEY}"
        receiver.fail(retryable=False, count=1, signal="logs", message=refusal)
        receiver.partial_success(3, quota, count=1, signal="logs")
        receiver.fail(
            retryable=False,
            count=1,
            signal="metrics",
            message=refusal,
            grpc_code=grpc.StatusCode.UNKNOWN,
            match=_direct,
        )
        receiver.fail(retryable=False, count=1, signal="metrics", message=refusal, match=_direct)
        receiver.partial_success(3, quota, count=1, signal="metrics", match=_direct)
        await until(_faults_used(receiver), 60, "the faults answered")
        await until(_failures_counted(bridge), 60, "the refused exports counted")
        await _snapshot(bridge, outputs, "after the refused exports")
        await bridge.stop()
    finally:
        await bridge.close()
    outputs.add("stderr", bridge.stderr)
    outputs.add("capture", capture.read_bytes())
    _receiver_outputs(receiver, outputs)
    return outputs, state_dir


def _requests(receiver: OtlpReceiver, signal: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return any(r.signal == signal for r in receiver.requests())

    return check


def _synced(bridge: BridgeProcess) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return bool((await bridge.status())["inventory"]["CustomerA"]["last_sync_outcome"])

    return check


def _failures_counted(bridge: BridgeProcess) -> Callable[[], Awaitable[bool]]:
    """True once the bridge has seen both refusals (and logged them)."""

    async def check() -> bool:
        exports = (await bridge.status())["exports"]
        return bool(
            exports["metrics"]["exports_failed"]
            and exports["self_metrics"]["exports_failed"]
            and exports["logs"]["exports_failed"]
        )

    return check


def _faults_used(receiver: OtlpReceiver) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        outcomes = [r.outcome for r in receiver.requests()]
        return outcomes.count("error") == 3 and outcomes.count("partial") == 2

    return check


async def test_no_secret_in_any_output(
    otlp_grpc_receiver: GrpcOtlpReceiver, otlp_http_receiver: HttpOtlpReceiver, tmp_path: Path
) -> None:
    sim = CentralSimulator(
        scale=EstateScale.small(), stats_interval=0.1, seed=51, profile=TrafficProfile.busy()
    )
    configured = sim.add_customer("CustomerA", topics=TOPICS).key
    sim.add_customer("CustomerB", topics=TOPICS[:1])
    # One API client: the gRPC run's bridge uses its token, the HTTP run's a refused one.
    bootstrap = sim.rest_api.add_client(
        "CustomerA", client_id="sweep-client", client_secret=API_SECRET
    ).refresh_token
    await sim.start("127.0.0.1", 0)
    # Renewed before the start: the bridges pick it up at their first validation.
    renewed = sim.rotate_key("CustomerA")
    try:
        tasks = []
        for receiver, log_format, refresh in (
            (otlp_grpc_receiver, "json", bootstrap),
            (otlp_http_receiver, "text", REFUSED_REFRESH),
        ):
            folder = tmp_path / receiver.transport
            folder.mkdir()
            tasks.append(
                asyncio.create_task(
                    _scenario(sim, configured, receiver, log_format, folder, refresh_token=refresh)
                )
            )
        # While they run: every stream dropped without a close frame, and a frame that
        # does not decode.
        await until(lambda: _connected(sim, 6), 60, "both bridges streaming")
        await sim.drop_connections(abrupt=True)
        await until(lambda: _connected(sim, 6), 60, "both bridges streaming again")
        await sim.send_garbage("CustomerA", "monitoring")
        runs = await asyncio.gather(*tasks)
    finally:
        await sim.stop()
    secrets = {
        "configured key": configured,
        "renewed key": renewed,
        "wrong key": BAD_KEY,
        "OTLP authorization header": OTLP_TOKEN,
        "OTLP x-api-key header": OTLP_API_KEY,
        "API client secret": API_SECRET,
        "refused refresh token": REFUSED_REFRESH,
        **{
            f"API token {i} (refresh or access)": token
            for i, token in enumerate(sim.rest_api.issued_tokens("CustomerA"))
        },
    }
    assert len(secrets) >= 10  # the bootstrap, and at least one refreshed pair
    for (outputs, state_dir), transport in zip(runs, ("grpc", "http"), strict=True):
        assert outputs.hits(secrets) == [], transport
        # The sweep saw what it should: debug lines, the renewal, the 401s, the refusal.
        stderr = outputs.texts["stderr"]
        assert ('"level": "debug"' if transport == "grpc" else " DEBUG ") in stderr
        assert "Central renewed the streaming key" in stderr
        assert "customer 'CustomerB' topic monitoring: Central refused key" in stderr
        if transport == "grpc":
            assert "device context of 6 devices in 1 site from Central's REST API" in stderr
        else:
            assert "Central refused the configured API refresh token" in stderr
        if transport == "grpc":  # the refusal quoting the token is told without its text
            seen = [(r.signal, r.outcome) for r in otlp_grpc_receiver.requests()]
            assert re.search(
                r"export of \d+ data points failed after 1 attempt\(s\): grpc UNKNOWN; "
                r"the points are dropped",
                stderr,
            ), seen
        # The renewed key is remembered, 0600, and that file holds nothing else.
        key_file = state_dir / "keys" / "CustomerA.key"
        assert key_file.read_text().strip() == renewed
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # The OTLP secrets went where they belong: each in its own header, on every request.
    for receiver in (otlp_grpc_receiver, otlp_http_receiver):
        requests = receiver.requests()
        assert requests
        for request in requests:
            assert {k: request.headers.get(k) for k in HEADERS} == HEADERS


async def _connected(sim: CentralSimulator, count: int) -> bool:
    return len(sim.open_connections("CustomerA")) >= count


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_tracebacks_and_error_texts_are_redacted(log_format: str) -> None:
    """What the sweep found: an exception quoting a secret (a collector's error details)
    logged with its traceback went out unredacted (text: the traceback; JSON: `error`)."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("info", log_format, [Secret(OTLP_TOKEN)], stream=stream)
    try:
        try:
            raise RuntimeError(f"details = 'invalid credentials: {OTLP_TOKEN}'")
        except RuntimeError:
            logging.getLogger("opentelemetry.exporter").exception("export failed")
    finally:
        root.handlers[:], root.level = saved
    output = stream.getvalue()
    assert OTLP_TOKEN not in output
    assert "details = 'invalid credentials: <redacted>'" in output
    if log_format == "json":
        entry = json.loads(output.splitlines()[0])
        assert entry["error"] == "RuntimeError: details = 'invalid credentials: <redacted>'"
    else:
        assert "Traceback (most recent call last):" in output
