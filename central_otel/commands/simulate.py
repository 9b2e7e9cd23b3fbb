"""`central-otel simulate`: run the built-in simulated Aruba Central until stopped."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import re
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

from central_otel.commands.options import ANY_TOPIC_NAMES, Subparsers, add_command, usage_error
from central_otel.config.durations import DURATION_EXAMPLES, parse_duration
from central_otel.new_central.topics import NEW_CENTRAL_TOPIC_NAMES
from central_otel.signals import stop_on_signals
from central_otel.simulator import CentralSimulator, EstateScale, TrafficProfile
from central_otel.simulator.new_central import DEFAULT_TOKEN_LIFETIME, NewCentralSimulator
from central_otel.simulator.server import (
    DEFAULT_MAX_FRAME_SIZE,
    MIN_MAX_FRAME_SIZE,
    MIN_STATS_INTERVAL,
)
from central_otel.topics import TOPIC_NAMES

PROG = "central-otel simulate"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_TLS_PORT = 8443
_CUSTOMER_NAME = re.compile(r"[A-Za-z0-9_.-]+")

DESCRIPTION = """\
Run a simulated Aruba Central that speaks the real Classic Streaming API protocol:
WebSocket upgrades on /streaming/api with the Authorization and Topic headers, key
validation on /streaming/token/validate, and binary protobuf frames for every topic,
generated from a synthetic estate (sites, APs, radios, switches, gateways, clients);
and Classic Central's REST API for device context (/oauth2/token with rotating
refresh tokens, /monitoring/v2/aps, /monitoring/v1/switches, /monitoring/v1/gateways
with site, group and labels, rate-limit headers).
No Aruba account is needed; nothing leaves this machine unless you listen on a public
address.

With --platform new-central it speaks New Central's Streaming API instead: an OAuth2
token endpoint (/as/token.oauth2, client credentials) and one WebSocket per topic
(/<service>/<version>/<event>, Authorization: Bearer), each frame a CloudEvent, from
the same kind of synthetic estate.

On start, one line on standard error gives the base URL and, when --key is not given,
the generated key. That key is a demo key of this simulator only: it is worthless
anywhere else, and a new one is generated on every start. A ready-to-use configuration
snippet for central-otel follows, with demo REST API credentials (worthless anywhere
else too). Runs until SIGINT (Ctrl-C) or SIGTERM; exits 0."""

EPILOG = """\
examples:
  central-otel simulate
  central-otel simulate --listen 127.0.0.1:9000 --stats-interval 5s --profile busy
  central-otel simulate --scale large --topics monitoring presence
  central-otel simulate --tls-cert cert.pem --tls-key key.pem   # https/wss on :8443
  central-otel simulate --platform new-central --token-lifetime 15m"""


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers,
        "simulate",
        run,
        help="run a simulated Aruba Central (demo and test without an Aruba account)",
        description=DESCRIPTION,
        epilog=EPILOG,
    )
    parser.add_argument(
        "--platform",
        choices=("classic", "new-central"),
        default="classic",
        help="the protocol to speak: Classic Central's (default) or New Central's",
    )
    parser.add_argument(
        "--token-lifetime",
        metavar="DURATION",
        help=f"New Central: how long an access token lives (default "
        f"{DEFAULT_TOKEN_LIFETIME / 3600:g}h); a stream closes when its token expires",
    )
    parser.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help=f"address to listen on: HOST:PORT, [IPv6]:PORT or :PORT (default "
        f"{DEFAULT_HOST}:{DEFAULT_PORT}, or {DEFAULT_HOST}:{DEFAULT_TLS_PORT} with TLS; "
        f"port 0 picks a free port)",
    )
    parser.add_argument(
        "--tls-cert", metavar="FILE", help="serve https/wss with this PEM certificate (chain)"
    )
    parser.add_argument("--tls-key", metavar="FILE", help="the PEM private key of --tls-cert")
    key = parser.add_mutually_exclusive_group()
    key.add_argument(
        "--key",
        help="accept this streaming key instead of generating one (visible to other local "
        "users in the process list: prefer --key-file)",
    )
    key.add_argument("--key-file", metavar="FILE", help="read the streaming key from FILE")
    parser.add_argument(
        "--customer",
        default="demo",
        metavar="NAME",
        help="the customer's name (letters, digits, '_', '.', '-'; default: demo)",
    )
    parser.add_argument(
        "--customer-id",
        metavar="ID",
        help="Central customer id (default: derived from --seed and the name)",
    )
    parser.add_argument(
        "--scale",
        choices=EstateScale.PRESETS,
        default="small",
        help="estate size: small (1 site, 4 APs, 20 clients; default), medium (200 APs, "
        "3000 clients), large (10k APs, 200k clients)",
    )
    parser.add_argument(
        "--stats-interval",
        default="60s",
        metavar="DURATION",
        help=f"how often each connection sends stats and periodic data ({DURATION_EXAMPLES}; "
        f"default 60s, at least {int(MIN_STATS_INTERVAL * 1000)}ms)",
    )
    parser.add_argument(
        "--topics",
        nargs="+",
        choices=ANY_TOPIC_NAMES,
        metavar="TOPIC",
        help=f"topics enabled for the customer (default: all of the platform's: "
        f"{', '.join(TOPIC_NAMES)}; New Central: {', '.join(NEW_CENTRAL_TOPIC_NAMES)}); "
        "others get HTTP 400 'Unsubscribed Topic' (New Central: 403)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the synthetic estate (default 0)"
    )
    parser.add_argument(
        "--profile",
        choices=("quiet", "normal", "busy"),
        default="normal",
        help="event rates: quiet (no random events), normal (default), busy (every kind of "
        "event on every tick)",
    )
    parser.add_argument(
        "--max-frame-size",
        type=int,
        default=DEFAULT_MAX_FRAME_SIZE,
        metavar="BYTES",
        help=f"largest frame sent; batches are split below it (default {DEFAULT_MAX_FRAME_SIZE})",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        metavar="X",
        help="simulated seconds per real second for timestamps, counters and key ages (default 1)",
    )
    parser.add_argument(
        "--key-lifetime",
        metavar="DURATION",
        help="rotate the key when it is this old in simulated time, as Central does every 7 days "
        "(default: never)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no log line per connection")


def run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except ValueError as err:
        return usage_error("simulate", err)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        return asyncio.run(_serve(args, settings))
    except OSError as err:
        print(
            f"{PROG}: cannot listen on {settings.host}:{settings.port}: {err.strerror or err}",
            file=sys.stderr,
        )
        return 1


@dataclass(frozen=True, slots=True)
class _Settings:
    host: str
    port: int
    ssl_context: ssl.SSLContext | None
    key: str | None
    interval: float
    key_lifetime: float | None
    topics: tuple[str, ...]
    token_lifetime: float
    profile: TrafficProfile


def _settings(args: argparse.Namespace) -> _Settings:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ValueError("--tls-cert and --tls-key go together")
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as err:
            raise ValueError(f"cannot load --tls-cert/--tls-key: {err}") from err
    host, port = parse_listen(args.listen, DEFAULT_TLS_PORT if context else DEFAULT_PORT)
    if not _CUSTOMER_NAME.fullmatch(args.customer):
        raise ValueError(
            f"invalid customer name {args.customer!r} (letters, digits, '_', '.', '-')"
        )
    key = args.key
    if args.key_file:
        try:
            key = Path(args.key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise ValueError(f"cannot read --key-file {args.key_file}: {err}") from err
    if key is not None and (not key or any(not 0x21 <= ord(ch) <= 0x7E for ch in key)):
        raise ValueError("the key must be a single word of printable ASCII characters")
    interval = _duration(args.stats_interval, "--stats-interval")
    if interval < MIN_STATS_INTERVAL:
        raise ValueError(f"--stats-interval must be at least {int(MIN_STATS_INTERVAL * 1000)}ms")
    lifetime = None
    if args.key_lifetime is not None:
        lifetime = _duration(args.key_lifetime, "--key-lifetime")
        if lifetime <= 0:
            raise ValueError("--key-lifetime must be greater than zero")
    if args.max_frame_size < MIN_MAX_FRAME_SIZE:
        raise ValueError(f"--max-frame-size must be at least {MIN_MAX_FRAME_SIZE}")
    if not args.time_scale > 0:
        raise ValueError("--time-scale must be greater than zero")
    topics, token_lifetime = _platform_settings(args)
    profile = _profile(args.profile)
    return _Settings(host, port, context, key, interval, lifetime, topics, token_lifetime, profile)


def _duration(value: str, option: str) -> float:
    """`value`, given with `option`, in seconds; the error names the option."""
    try:
        return parse_duration(value)
    except ValueError as err:
        raise ValueError(f"{option}: {err}") from err


def _platform_settings(args: argparse.Namespace) -> tuple[tuple[str, ...], float]:
    """The topics (of the chosen platform) and the New Central token lifetime."""
    new_central = args.platform == "new-central"
    names = NEW_CENTRAL_TOPIC_NAMES if new_central else TOPIC_NAMES
    topics = tuple(args.topics or names)
    wrong = [t for t in topics if t not in names]
    if wrong:
        raise ValueError(
            f"--topics: {', '.join(wrong)} is not a topic of the {args.platform} platform "
            f"(its topics: {', '.join(names)})"
        )
    if args.token_lifetime is None:
        return topics, DEFAULT_TOKEN_LIFETIME
    if not new_central:
        raise ValueError("--token-lifetime is for --platform new-central")
    token_lifetime = _duration(args.token_lifetime, "--token-lifetime")
    if token_lifetime < 1:
        raise ValueError("--token-lifetime must be at least 1s")
    return topics, token_lifetime


def parse_listen(value: str | None, default_port: int) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT``, ``:PORT`` or ``HOST`` to (host, port)."""
    if not value:
        return DEFAULT_HOST, default_port
    text = value.strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"invalid --listen {value!r} (expected HOST:PORT or [IPv6]:PORT)")
        port_text = rest[1:]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"invalid IPv6 address in --listen {value!r}") from None
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    elif ":" in text:
        raise ValueError(f"invalid --listen {value!r} (write IPv6 addresses as [ADDRESS]:PORT)")
    else:
        host, port_text = text, ""
    host = host or DEFAULT_HOST
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"invalid port {port_text!r} in --listen (expected 0-65535)")
    return host, int(port_text)


def _profile(name: str) -> TrafficProfile:
    if name == "quiet":
        return TrafficProfile.quiet()
    if name == "busy":
        return TrafficProfile.busy()
    return TrafficProfile()


async def _serve(args: argparse.Namespace, settings: _Settings) -> int:
    if args.platform == "new-central":
        return await _serve_new_central(args, settings)
    scale = EstateScale.preset(args.scale)
    sim = CentralSimulator(
        scale,
        stats_interval=settings.interval,
        seed=args.seed,
        max_frame_size=args.max_frame_size,
        profile=settings.profile,
        time_scale=args.time_scale,
        key_lifetime=settings.key_lifetime,
    )
    customer = sim.add_customer(
        args.customer, key=settings.key, topics=settings.topics, customer_id=args.customer_id
    )
    sim.rest_api.add_client(args.customer)
    await sim.start(settings.host, settings.port, settings.ssl_context)
    try:
        if settings.key is None:
            shown = (
                f"demo key (valid for this simulator only, not an Aruba credential): {customer.key}"
            )
        else:
            shown = f"key: the one given (fingerprint sha256:{customer.key_fingerprint})"
        print(f"{PROG}: listening on {sim.url} - {shown}", file=sys.stderr)
        print(_summary(sim, customer.customer_id), file=sys.stderr)
        print(
            _snippet(sim, args, customer.key if settings.key is None else None),
            file=sys.stderr,
            flush=True,
        )
        await _until_signalled()
    finally:
        await sim.stop()
    print(f"{PROG}: stopped", file=sys.stderr)
    return 0


async def _until_signalled() -> None:
    with stop_on_signals() as stop:
        await stop.wait()


def _summary(sim: CentralSimulator, customer_id: str) -> str:
    scale = sim.scale
    switches = scale.sites * scale.switches_per_site
    gateways = scale.sites * scale.gateways_per_site
    return (
        f"{PROG}: customer id {customer_id}; estate: {scale.sites} site(s), {scale.ap_count} APs, "
        f"{switches} switches, {gateways} gateways, {scale.client_count} wireless clients; "
        f"stats every {sim.stats_interval:g}s"
    )


def _snippet(sim: CentralSimulator, args: argparse.Namespace, key: str | None) -> str:
    lines = [
        f"{PROG}: configuration for central-otel (e.g. save as simulator.yaml, then "
        "`central-otel tail -c simulator.yaml`):",
        "central:",
        f"  base_url: {sim.url}",
    ]
    if args.tls_cert:
        lines.append(
            f"  ca_file: {Path(args.tls_cert).resolve()}  # if the certificate is self-signed"
        )
    lines += ["customers:", f"  {args.customer}:"]
    if key is not None:
        lines.append(f"    key: {key}  # simulator demo key")
    elif args.key_file:
        lines.append(f"    key_file: {Path(args.key_file).resolve()}")
    else:
        lines.append(
            "    key_env: CENTRAL_OTEL_SIMULATOR_KEY  # set it to the key given with --key"
        )
    lines.append(f"    topics: [{', '.join(args.topics or TOPIC_NAMES)}]")
    api = sim.rest_api.credentials(args.customer)
    lines += [
        "    inventory:  # device context from the simulator's REST API (demo credentials)",
        f"      api_base_url: {sim.url}",
        f"      client_id: {api.client_id}",
        f"      client_secret: {api.client_secret}",
        f"      refresh_token: {api.refresh_token}  # rotated at the first refresh",
        "state_dir: central-otel-state  # keeps the rotated API token",
    ]
    return "\n".join(lines)


async def _serve_new_central(args: argparse.Namespace, settings: _Settings) -> int:
    sim = NewCentralSimulator(
        scale=EstateScale.preset(args.scale),
        seed=str(args.seed),
        stats_interval=settings.interval,
        profile=settings.profile,
        token_lifetime=settings.token_lifetime,
    )
    client = sim.add_customer(args.customer, topics=settings.topics)
    await sim.start(settings.host, settings.port, settings.ssl_context)
    try:
        print(
            f"{PROG}: New Central listening on {sim.url} - demo API client (valid for this "
            f"simulator only, not an HPE credential): client_id {client.client_id}",
            file=sys.stderr,
        )
        lines = [
            f"{PROG}: configuration for central-otel (e.g. save as simulator.yaml, then "
            "`central-otel tail -c simulator.yaml`):",
        ]
        if args.tls_cert:
            lines += [
                "central:",
                f"  ca_file: {Path(args.tls_cert).resolve()}  # if the certificate is self-signed",
            ]
        lines += [
            "customers:",
            f"  {args.customer}:",
            "    platform: new_central",
            f"    base_url: {sim.url}",
            f"    client_id: {client.client_id}",
            f"    client_secret: {client.client_secret}  # simulator demo secret",
            f"    token_url: {sim.token_url}",
            f"    topics: [{', '.join(settings.topics)}]",
        ]
        print("\n".join(lines), file=sys.stderr, flush=True)
        await _until_signalled()
    finally:
        await sim.stop()
    print(f"{PROG}: stopped", file=sys.stderr)
    return 0
