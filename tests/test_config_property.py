"""Property: `parse_config` on arbitrary JSON-like data returns a Config or raises ConfigError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from central_otel.config import Config, ConfigError, parse_config
from central_otel.topics import TOPIC_NAMES

KEYS = [
    "central",
    "customers",
    "key_validation_interval",
    "otlp",
    "health",
    "base_url",
    "ca_file",
    "verify_tls",
    "key",
    "key_file",
    "key_env",
    "username",
    "topics",
    "endpoint",
    "protocol",
    "insecure",
    "headers",
    "export_interval",
    "compression",
    "timeout",
    "listen",
    "streaming",
    "state_dir",
    "capture",
    "heartbeat",
    "max_msg_size",
    "idle_timeout",
    "reconnect",
    "initial_delay",
    "max_delay",
    "jitter",
    "file",
    "max_size",
    "A",
    "B.c",
]
TEXTS = [
    *TOPIC_NAMES,
    "grpc",
    "http/protobuf",
    "gzip",
    "none",
    "1h",
    "30s",
    "0",
    "-1",
    "true",
    "h.example.com",
    "https://h:443",
    "wss://h/streaming/api",
    "127.0.0.1:0",
    "64KiB",
    "1GiB",
    "64MB",
    "[::1]:80",
    "${env:X}",
    "${env:Y:-1m}",
    "$${env:X}",
    "${env:",
    "k.key",
    "/",
    "",
    "\n",
    "\x00",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.sampled_from(TEXTS)
    | st.text(max_size=12)
)
keys = st.sampled_from(KEYS) | st.text(max_size=6)
json_like: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)


def _valid_or_any(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return valid | valid | valid | json_like


def _near_valid() -> st.SearchStrategy[dict[str, Any]]:
    """Documents with the right shape and mostly valid values, to reach every validator."""
    topics = st.lists(st.sampled_from(TOPIC_NAMES), min_size=1, max_size=3, unique=True)
    key_source = st.sampled_from([{"key": "key-0123456789"}, {"key_env": "X"}]) | st.dictionaries(
        st.sampled_from(["key", "key_file", "key_env"]), json_like, max_size=2
    )
    settings = st.fixed_dictionaries(
        {"topics": _valid_or_any(topics)},
        optional={"username": _valid_or_any(st.just("u@example.com"))},
    )
    customer = st.tuples(key_source, settings).map(lambda parts: {**parts[0], **parts[1]})
    durations = st.sampled_from(["1h", "30s", "2m", 90, 1.5])
    otlp = st.fixed_dictionaries(
        {},
        optional={
            "endpoint": _valid_or_any(st.just("http://c:4317")),
            "protocol": _valid_or_any(st.sampled_from(["grpc", "http/protobuf"])),
            "insecure": _valid_or_any(st.booleans()),
            "headers": _valid_or_any(st.dictionaries(st.sampled_from(["a", "b"]), st.text())),
            "export_interval": _valid_or_any(durations),
            "timeout": _valid_or_any(durations),
            "compression": _valid_or_any(st.sampled_from(["gzip", "zstd", "none"])),
        },
    )
    streaming = st.fixed_dictionaries(
        {},
        optional={
            "heartbeat": _valid_or_any(durations),
            "max_msg_size": _valid_or_any(st.sampled_from(["64KiB", "64MiB", 1 << 20])),
            "idle_timeout": _valid_or_any(
                st.dictionaries(st.sampled_from(TOPIC_NAMES), st.sampled_from([0, None, "5m"]))
            ),
            "reconnect": _valid_or_any(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "initial_delay": _valid_or_any(durations),
                        "max_delay": _valid_or_any(durations),
                        "multiplier": _valid_or_any(st.sampled_from([1, 2.5, "3"])),
                        "jitter": _valid_or_any(st.floats(0, 1)),
                    },
                )
            ),
        },
    )
    return st.fixed_dictionaries(
        {
            "central": st.fixed_dictionaries(
                {
                    "base_url": _valid_or_any(
                        st.sampled_from(["h.example.com", "https://h:443", "wss://h/streaming/api"])
                    )
                },
                optional={"verify_tls": _valid_or_any(st.booleans())},
            ),
            "customers": st.dictionaries(
                st.sampled_from(["A", "B.c", "c-1"]) | keys,
                customer,
                min_size=1,
                max_size=3,
            ),
        },
        optional={
            "key_validation_interval": _valid_or_any(durations),
            "otlp": otlp,
            "health": st.fixed_dictionaries(
                {"listen": _valid_or_any(st.sampled_from(["127.0.0.1:0", "[::1]:80"]))}
            ),
            "streaming": _valid_or_any(streaming),
            "state_dir": _valid_or_any(st.sampled_from([".", "state", "ca.pem"])),
            "capture": _valid_or_any(
                st.fixed_dictionaries(
                    {"file": st.sampled_from(["x.cap", "keys", "/nonexistent/x.cap"])},
                    optional={"max_size": _valid_or_any(st.sampled_from(["1MiB", 10]))},
                )
            ),
        },
    )


def _check(data: object, base_dir: Path) -> bool:
    environ = {"X": "x", "k": "k"}
    try:
        result = parse_config(data, source="prop.yaml", environ=environ, base_dir=base_dir)
    except ConfigError as error:
        problems = error.problems
    else:
        assert isinstance(result, Config)
        return True
    assert problems
    assert all(problem.path and problem.message for problem in problems)
    return False


@settings(max_examples=200, deadline=None)
@given(json_like)
def test_arbitrary_data(data: object) -> None:
    _check(data, Path(__file__).parent / "fixtures" / "config")


@settings(max_examples=200, deadline=None)
@given(_near_valid())
def test_near_valid_documents(data: dict[str, Any]) -> None:
    _check(data, Path(__file__).parent / "fixtures" / "config")
