"""The metrics / events / logging / readiness settings, and JSON logging."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

from central_otel.config import ConfigError, parse_config
from central_otel.config.pipeline import EventQueueConfig
from central_otel.logging_setup import configure_logging
from central_otel.secret import Secret
from central_otel.settings import event_options, metric_options, queue_budget, store_limits

KEY = "pipeline-test-key-77aa"


def _config(**extra: Any) -> dict[str, Any]:
    return {
        "central": {"base_url": "central.example"},
        "customers": {"A": {"key": KEY, "topics": ["monitoring"]}},
        **extra,
    }


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(document, source="t")
    return [str(p) for p in info.value.problems]


def test_defaults() -> None:
    config = parse_config(_config(), source="t")
    assert config.metrics.per_client is False
    assert config.metrics.disabled == frozenset()
    assert config.metrics.series_ttl == 900.0
    assert config.metrics.state_ttl == 7 * 86400.0
    assert config.events.enabled == frozenset()
    assert config.events.baseline_window == 30.0
    queue = config.events.queue
    assert (queue.max_bytes, queue.max_age, queue.memory_max_bytes) == (
        256 * 1024 * 1024,
        7 * 86400.0,
        64 * 1024 * 1024,
    )
    assert (queue.batch_size, queue.max_retry_delay) == (1000, 30.0)
    assert (config.logging.level, config.logging.format) == ("info", "text")
    assert config.health.ready_when == "all"
    limits = store_limits(config.metrics)
    assert (limits.series_ttl, limits.max_entities, limits.default_max_entities) == (
        900.0,
        {},
        200_000,
    )


def test_values_reach_the_pipeline_options() -> None:
    config = parse_config(
        _config(
            metrics={
                "per_client": True,
                "disabled": ["system.uptime", "aruba.client.connected"],
                "series_ttl": "10m",
                "state_ttl": "1d",
                "max_entities": {"client_stats": 5000, "wireless_client": 6000},
                "default_max_entities": 1000,
            },
            events={
                "enabled": ["aruba.location.update", "aruba.apprf.session"],
                "baseline_window": "0s",
                "queue": {
                    "max_bytes": "2GiB",
                    "max_age": "36h",
                    "memory_max_bytes": "8MiB",
                    "batch_size": "250",
                    "max_retry_delay": "2m",
                },
            },
            health={"listen": "0.0.0.0:9000", "ready_when": "any"},
            log_level="debug",
            log_format="json",
        ),
        source="t",
    )
    options = metric_options(config.metrics)
    assert options.per_client is True
    assert options.disabled == frozenset({"system.uptime", "aruba.client.connected"})
    events = event_options(config)
    assert events.disabled == options.disabled
    assert events.enabled == frozenset({"aruba.location.update", "aruba.apprf.session"})
    assert config.events.baseline_window == 0.0
    assert config.events.queue == EventQueueConfig(
        max_bytes=2 * 1024**3,
        max_age=36 * 3600.0,
        memory_max_bytes=8 * 1024**2,
        batch_size=250,
        max_retry_delay=120.0,
    )
    budget = queue_budget(config.events.queue)
    assert (budget.max_bytes, budget.max_age, budget.memory_max_bytes) == (
        2 * 1024**3,
        36 * 3600.0,
        8 * 1024**2,
    )
    limits = store_limits(config.metrics)
    assert limits.series_ttl == 600.0
    assert limits.state_ttl == 86400.0
    assert limits.max_entities == {"client_stats": 5000, "wireless_client": 6000}
    assert limits.default_max_entities == 1000
    assert config.health.ready_when == "any"
    assert (config.logging.level, config.logging.format) == ("debug", "json")
    hash(config)  # still hashable (frozen all the way down)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"metrics": {"disabled": ["system.uptim"]}},
            [
                "metrics.disabled[0]: 'system.uptim' is not a known metric or event name"
                " (did you mean 'system.uptime'?)"
            ],
        ),
        (
            {"metrics": {"disabled": ["nonsense.zzz"]}},
            [
                "metrics.disabled[0]: 'nonsense.zzz' is not a known metric or event name"
                " (see docs/metrics.md)"
            ],
        ),
        (
            {"metrics": {"disabled": ["system.uptime", "system.uptime"]}},
            ["metrics.disabled[1]: duplicate metric or event name 'system.uptime'"],
        ),
        (
            {"events": {"enabled": ["system.uptime"]}},
            ["events.enabled[0]: 'system.uptime' is not a known event name (see docs/metrics.md)"],
        ),
        (
            {"metrics": {"max_entities": {"client_stats": 0}}},
            ["metrics.max_entities.client_stats: must be at least 1 (got 0)"],
        ),
        (
            {"metrics": {"series_ttl": "2h", "state_ttl": "1h"}},
            ["metrics.state_ttl: must be at least series_ttl = 2h (got 1h)"],
        ),
        (
            {
                "events": {
                    "baseline_window": "-1s",
                    "queue": {
                        "max_bytes": "512",
                        "max_age": "0s",
                        "memory_max_bytes": "lots",
                        "batch_size": 1.5,
                        "max_retry_delay": "500ms",
                        "max_records": 5,
                    },
                }
            },
            [
                "events.baseline_window: must not be negative (got '-1s')",
                "events.queue.max_bytes: must be at least 1KiB (got 512)",
                "events.queue.max_age: must be greater than zero",
                "events.queue.memory_max_bytes: invalid size 'lots' (expected e.g. 64KiB,"
                " 100MiB, 1GiB or a number of bytes)",
                "events.queue.batch_size: expected a whole number, got a number",
                "events.queue.max_retry_delay: must be at least 1s (got 500ms)",
                "events.queue.max_records: unknown key (expected one of max_bytes, max_age,"
                " memory_max_bytes, batch_size, max_retry_delay)",
            ],
        ),
        (
            {"events": {"queue": {"batch_size": 20_000}}},
            ["events.queue.batch_size: must be between 1 and 10000 (got 20000)"],
        ),
        ({"log_format": "xml"}, ["log_format: 'xml' is not one of text, json"]),
        ({"log_level": "loud"}, ["log_level: 'loud' is not one of debug, info, warning, error"]),
        ({"health": {"ready_when": "some"}}, ["health.ready_when: 'some' is not one of all, any"]),
        (
            {"metrics": {"per_client": "maybe"}},
            ["metrics.per_client: expected true or false, got 'maybe'"],
        ),
    ],
)
def test_invalid_pipeline_settings(extra: dict[str, Any], expected: list[str]) -> None:
    assert _problems(_config(**extra)) == expected


def test_json_logs_with_redaction() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", [Secret(KEY)], stream=stream)
    try:
        logging.getLogger("central_otel.test").warning("library said: bad key %s", KEY)
        logging.getLogger("central_otel.test").debug("hidden")
        logging.getLogger("opentelemetry.sdk").info("sdk chatter")
    finally:
        configure_logging("warning", "text")
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "warning"
    assert entry["logger"] == "central_otel.test"
    assert entry["message"] == "library said: bad key <redacted>"
    assert KEY not in line
    assert entry["time"].endswith("+00:00")
