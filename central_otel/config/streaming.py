"""The streaming policy settings, with their defaults: the one place they are defined.

The schema takes its defaults and relation checks from these dataclasses, and
`central_otel.streaming.streamer` builds each subscription's transport and
backoff settings from them. Kept apart from `model` so that `schema` can import
them (`model` imports `schema`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from central_otel.topics import Topic

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30

MIN_MAX_MSG_SIZE = 64 * KIB
MAX_MAX_MSG_SIZE = 1 * GIB
MIN_CAPTURE_SIZE = 64 * KIB
DEFAULT_CAPTURE_SIZE = 100 * MIB


@dataclass(frozen=True, slots=True)
class IdleTimeouts:
    """Seconds without any frame after which a topic's stream is presumed dead and reopened;
    None: no idle watchdog for the topic.

    Monitoring sends stats about every 5 minutes, presence every minute, location
    and apprf every few minutes (apprf sometimes only every ~15); security and
    audit only send when something happens, so silence there is normal (the
    heartbeat pings still detect a dead connection).
    """

    monitoring: float | None = 900.0
    presence: float | None = 300.0
    security: float | None = None
    location: float | None = 900.0
    apprf: float | None = 2700.0
    audit: float | None = None

    def for_topic(self, topic: Topic) -> float | None:
        value: float | None = getattr(self, topic.value)
        return value


@dataclass(frozen=True, slots=True)
class ReconnectConfig:
    """Exponential backoff between reconnect attempts of one subscription."""

    initial_delay: float = 1.0
    max_delay: float = 120.0
    """Also the delay after failures a quick retry cannot fix (a refused key, an unsubscribed
    topic, other 4xx)."""
    multiplier: float = 2.0
    jitter: float = 0.2
    """+/- this fraction of each delay, so many subscriptions do not retry in lockstep."""
    stable_after: float = 60.0
    """A connection that lasted this long resets the delay to `initial_delay`."""


@dataclass(frozen=True, slots=True)
class StaggerConfig:
    """How fast the whole process may ask Central for connections and credentials, so that
    hundreds of subscriptions never arrive at Central in the same second (a start, a
    reconnect after Central dropped every connection, a wave of refused keys)."""

    connect_rate: float = 50.0
    """New WebSocket connections per second (first connects, reconnects, key switches)."""
    connect_burst: int = 10
    """How many of them may start at once after a quiet spell."""
    credential_rate: float = 5.0
    """Calls to credential endpoints per second (Classic streaming-key validations, New
    Central token requests)."""


@dataclass(frozen=True, slots=True)
class StreamingConfig:
    """How each WebSocket to Central is held."""

    heartbeat: float = 30.0
    """WebSocket ping interval; no pong within half of it closes the connection."""
    connect_timeout: float = 30.0
    close_timeout: float = 5.0
    max_msg_size: int = 64 * MIB
    """Largest frame accepted; a larger one is counted and the stream reopened."""
    idle_timeout: IdleTimeouts = field(default_factory=IdleTimeouts)
    reconnect: ReconnectConfig = field(default_factory=ReconnectConfig)
    stagger: StaggerConfig = field(default_factory=StaggerConfig)


@dataclass(frozen=True, slots=True)
class CaptureConfig:
    """Raw-frame recording for support cases (the format `central-otel decode` reads)."""

    file: Path
    max_size: int = DEFAULT_CAPTURE_SIZE
    """Recording stops (it does not rotate) once the file would grow past this."""
