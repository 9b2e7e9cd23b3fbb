"""The metrics / events / logging / readiness settings, and JSON logging."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest

from central_otel.config import ConfigError, parse_config
from central_otel.logging_setup import configure_logging
from central_otel.secret import Secret
from central_otel.settings import event_options, metric_options, store_limits

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
            events={"enabled": ["aruba.location.update", "aruba.apprf.session"]},
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
