"""The process's HTTP client sessions to Central, sized for any number of subscriptions.

aiohttp's default connector holds at most 100 connections, and a WebSocket keeps
its connection for as long as it streams: with the default, the 101st subscription
waits for a pool slot that never frees (`no answer within 30s`), and a key
validation queues behind the WebSockets too. So:

* the WebSockets get a session whose connector has no limit: each subscription holds
  exactly one connection (two for a moment during a key switch), so the number is
  bounded by the configuration, not by a pool;
* REST calls (key validation, token requests, any other call to Central's API) get a
  session of their own, also without a limit, so they never wait behind a WebSocket
  for a slot. Their rate is bounded where they are made (`stagger`), not by the pool.

Every HTTP client the process opens to Central takes its session from here.

asyncio's TLS transport gives every connection a read buffer of
`asyncio.sslproto.SSLProtocol.max_size` bytes (256 KiB on Python 3.11), allocated and
zeroed when the connection opens: hundreds of WebSockets would hold more memory in
those buffers than in everything else they need. It only stages the encrypted bytes
read from the socket (OpenSSL buffers the record until it is whole), so
`open_sessions` lowers it to `TLS_READ_BUFFER`: a full 16 KiB TLS record takes four
reads, and a subscription receives a few frames a minute.
"""

from __future__ import annotations

import asyncio.sslproto
import logging
import resource
from dataclasses import dataclass
from typing import Any

import aiohttp

from central_otel.streaming.transport import handshake_trace

log = logging.getLogger(__name__)

TLS_READ_BUFFER = 4 * 1024

# Open files besides the WebSockets: REST connections, the health server's clients,
# OTLP channels, the capture and key files, the interpreter's own.
SPARE_FILES = 256


@dataclass(frozen=True, slots=True)
class CentralSessions:
    """`streams`: the WebSockets' session; `rest`: short REST calls to Central."""

    streams: aiohttp.ClientSession
    rest: aiohttp.ClientSession

    async def close(self) -> None:
        await self.streams.close()
        await self.rest.close()


def open_sessions() -> CentralSessions:
    """Both sessions, unlimited connectors (call from the event loop that uses them)."""
    return CentralSessions(
        streams=_unlimited_session(trace_configs=[handshake_trace()]), rest=rest_session()
    )


def rest_session() -> aiohttp.ClientSession:
    """A session for REST calls to Central (the inventory's, say): no connection limit;
    their rate is bounded where they are made."""
    return _unlimited_session()


def _unlimited_session(**options: Any) -> aiohttp.ClientSession:
    limit_tls_read_buffers()
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=0), **options
    )


def limit_tls_read_buffers() -> None:
    """TLS connections opened from now on read into `TLS_READ_BUFFER` bytes (the class
    attribute asyncio's TLS transport sizes its per-connection buffer by)."""
    protocol = asyncio.sslproto.SSLProtocol
    protocol.max_size = min(protocol.max_size, TLS_READ_BUFFER)


def files_needed(subscriptions: int) -> int:
    """Open files a process with `subscriptions` WebSockets may need at once (a key
    switch holds the old and the new connection of every stream of a customer)."""
    return 2 * subscriptions + SPARE_FILES


def ensure_open_files(subscriptions: int) -> int:
    """Raise the soft open-files limit when it is below what the subscriptions need
    (up to the hard limit); warn when even the hard limit is too low. Returns the
    soft limit in force."""
    needed = files_needed(subscriptions)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as err:
            log.warning("could not raise the open-files limit from %d to %d: %s", soft, target, err)
        else:
            log.info(
                "raised the open-files limit from %d to %d for %d subscription(s)",
                soft,
                target,
                subscriptions,
            )
            soft = target
    if soft < needed:
        log.warning(
            "the open-files limit (%d, hard limit %s) is below the %d that %d subscription(s) "
            "may need: connections beyond it fail with 'Too many open files'; raise the "
            "limit (ulimit -n, or the container runtime's nofile limit) or shard",
            soft,
            "unlimited" if hard == resource.RLIM_INFINITY else hard,
            needed,
            subscriptions,
        )
    return soft
