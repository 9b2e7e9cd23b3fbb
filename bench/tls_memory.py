"""What one WebSocket costs the bridge's process: plain, over TLS, and over TLS with a
server that sends no session tickets.

    python -m bench.tls_memory [CONNECTIONS]    (default 600, as `bench msp`)

Each variant in a child process of its own: an aiohttp client opens CONNECTIONS
WebSockets (the bridge's session, `streaming.sessions`) to a local aiohttp server in
a grandchild, reads what arrives, and reports the RSS and the C allocator's bytes in
use (glibc's `mallinfo2`) that the connections added, per connection. OpenSSL's
allocations are in the second figure; Python's small objects are not.
"""

from __future__ import annotations

import asyncio
import gc
import json
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.certificates import write_test_ca
from bench.machine import malloc_in_use, rss_bytes
from central_otel.streaming.sessions import open_sessions

VARIANTS = ("plain", "tls", "tls, no session tickets")


def _serve(folder: Path, tls: bool, tickets: bool) -> None:
    """The server (a grandchild): prints its port, serves until killed."""

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for _message in ws:
            pass
        return ws

    async def main() -> None:
        context = None
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
            if not tickets:
                context.num_tickets = 0
        app = web.Application()
        app.router.add_get("/ws", socket)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        print(runner.addresses[0][1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for _message in ws:
        pass


async def _connect(count: int, port: int, folder: Path, tls: bool) -> dict[str, float]:
    context: ssl.SSLContext | bool = False
    if tls:
        context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    sessions = open_sessions()
    gc.collect()
    rss, in_use = rss_bytes(), malloc_in_use() or 0
    sockets = []
    readers = []
    for _ in range(count):
        ws = await sessions.streams.ws_connect(
            f"{'https' if tls else 'http'}://127.0.0.1:{port}/ws", ssl=context
        )
        sockets.append(ws)
        readers.append(asyncio.create_task(_drain(ws)))
    await asyncio.sleep(1.0)  # the tickets, if any, arrive after the handshake
    gc.collect()
    figures = {
        "rss": (rss_bytes() - rss) / count,
        "malloc": ((malloc_in_use() or 0) - in_use) / count,
    }
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*readers, return_exceptions=True)
    await sessions.close()
    return figures


def _variant(name: str, count: int, folder: Path) -> dict[str, float]:
    """One variant (a child): the server in a grandchild, the clients here."""
    tls = name != "plain"
    tickets = name == "tls"
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.tls_memory", "serve", str(folder), str(int(tls)),
         str(int(tickets))],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        return asyncio.run(_connect(count, port, folder, tls))
    finally:
        server.kill()
        server.wait()


def run(count: int) -> list[str]:
    lines = [f"{count} WebSockets in one aiohttp client process, per connection:"]
    with tempfile.TemporaryDirectory(prefix="bench-tls-") as tmp:
        folder = Path(tmp)
        write_test_ca(folder)
        for name in VARIANTS:
            child = subprocess.run(
                [sys.executable, "-m", "bench.tls_memory", "variant", name, str(count), tmp],
                capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
            )  # fmt: skip
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            lines.append(
                f"  {name}: {figures['rss'] / 1024:.1f} KiB RSS, "
                f"{figures['malloc'] / 1024:.1f} KiB allocated by C code"
            )
    return lines


def main(argv: list[str]) -> None:
    if argv and argv[0] == "serve":
        _serve(Path(argv[1]), argv[2] == "1", argv[3] == "1")
    elif argv and argv[0] == "variant":
        print(json.dumps(_variant(argv[1], int(argv[2]), Path(argv[3]))))
    else:
        print("\n".join(run(int(argv[0]) if argv else 600)))


if __name__ == "__main__":
    main(sys.argv[1:])
