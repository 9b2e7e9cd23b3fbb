"""Rendering a configuration as YAML text: the normalised config (secrets redacted), migrate output.

A small block-style emitter: mappings nest by indentation, lists of scalars are
written in flow style (``[monitoring, security]``), scalars are quoted by
PyYAML when needed, and a scalar can carry a trailing ``# comment``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from central_otel.config.durations import format_duration
from central_otel.config.inventory import InventoryConfig, SecretSetting
from central_otel.config.model import Config, CustomerConfig, NewCentralCustomerConfig
from central_otel.config.pipeline import EventsConfig
from central_otel.config.sizes import format_size
from central_otel.config.streaming import StreamingConfig
from central_otel.secret import REDACTED
from central_otel.topics import Topic

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Commented:
    """A scalar followed by a ``# comment`` on its line."""

    value: Scalar
    comment: str


Node = Scalar | Commented | Sequence[Scalar] | Mapping[str, "Node"]


def scalar_text(value: Scalar, *, flow: bool = False) -> str:
    """`value` as a one-line YAML scalar, quoted only when plain text would be read differently.

    `flow`: for an item of a flow sequence (``[a, b]``), where more characters need quoting.
    """
    wrapped: object = [value] if flow else {"k": value}
    text = yaml.safe_dump(wrapped, default_flow_style=flow, width=1 << 30, allow_unicode=True)
    if text.count("\n") != 1:  # a string that PyYAML would spread over lines
        return json.dumps(value)
    return text.strip()[1:-1] if flow else text.strip()[3:]


def render_yaml(document: Mapping[str, Node], indent: int = 0) -> str:
    """`document` as block-style YAML text."""
    lines: list[str] = []
    _emit_mapping(document, indent, lines)
    return "".join(f"{line}\n" for line in lines)


def _emit_mapping(mapping: Mapping[str, Node], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        head = f"{pad}{scalar_text(key)}:"
        if isinstance(value, Mapping):
            if value:
                lines.append(head)
                _emit_mapping(value, indent + 2, lines)
            else:
                lines.append(f"{head} {{}}")
        elif isinstance(value, Commented):
            lines.append(f"{head} {scalar_text(value.value)}  # {value.comment}")
        elif isinstance(value, (str, int, float, bool)) or value is None:
            lines.append(f"{head} {scalar_text(value)}")
        else:
            items = ", ".join(scalar_text(item, flow=True) for item in value)
            lines.append(f"{head} [{items}]")


def _path(path: Path | None) -> str | None:
    return None if path is None else str(path)


def redacted_key(fingerprint: str) -> str:
    """How a key is shown: ``<redacted sha256:1a2b3c4d>``."""
    return f"<redacted sha256:{fingerprint}>"


def _secret(setting: SecretSetting, node: dict[str, Node]) -> None:
    """The secret's source into `node`, the value shown only as its fingerprint."""
    fingerprint = setting.value.fingerprint
    what = setting.name.replace("_", " ")
    if setting.file is not None:
        node[f"{setting.name}_file"] = Commented(str(setting.file), f"{what} sha256:{fingerprint}")
    elif setting.env is not None:
        node[f"{setting.name}_env"] = Commented(setting.env, f"{what} sha256:{fingerprint}")
    else:
        node[setting.name] = redacted_key(fingerprint)


def _customer(customer: CustomerConfig) -> dict[str, Node]:
    node: dict[str, Node] = {}
    _secret(customer.key_setting, node)
    node["username"] = customer.username
    node["topics"] = [topic.value for topic in customer.topics]
    node["inventory"] = None if customer.inventory is None else _inventory(customer.inventory)
    return node


def _inventory(inventory: InventoryConfig) -> dict[str, Node]:
    node: dict[str, Node] = {}
    classic = inventory.classic
    if classic is not None:
        node.update(api_base_url=classic.api_base_url, client_id=classic.client_id)
        _secret(classic.client_secret, node)
        _secret(classic.refresh_token, node)
    node["interval"] = format_duration(inventory.interval)
    return node


def _new_central_customer(customer: NewCentralCustomerConfig) -> dict[str, Node]:
    node: dict[str, Node] = {"platform": "new_central", "base_url": customer.base_url}
    node["client_id"] = customer.client_id
    _secret(customer.client_secret_setting, node)
    node["token_url"] = customer.token_url
    node["topics"] = [topic.value for topic in customer.topics]
    node["event_types"] = {topic.value: list(types) for topic, types in customer.event_types}
    node["inventory"] = None if customer.inventory is None else _inventory(customer.inventory)
    return node


def config_document(config: Config) -> dict[str, Node]:
    """The normalised configuration (every default filled in), secrets redacted."""
    otlp = config.otlp
    return {
        "central": {
            "base_url": config.central.base_url if config.central.host is not None else None,
            "ca_file": _path(config.central.ca_file),
            "verify_tls": config.central.verify_tls,
        },
        "customers": {
            **{customer.name: _customer(customer) for customer in config.customers},
            **{c.name: _new_central_customer(c) for c in config.new_central_customers},
        },
        "key_validation_interval": format_duration(config.key_validation_interval),
        "otlp": {
            "endpoint": otlp.endpoint,
            "protocol": otlp.protocol,
            "insecure": otlp.insecure,
            "headers": dict.fromkeys(otlp.headers, REDACTED),
            "export_interval": format_duration(otlp.export_interval),
            "ca_file": _path(otlp.ca_file),
            "compression": otlp.compression,
            "timeout": format_duration(otlp.timeout),
        },
        "health": {"listen": config.health.listen, "ready_when": config.health.ready_when},
        "streaming": _streaming(config.streaming),
        "state_dir": _path(config.state_dir),
        "capture": (
            None
            if config.capture is None
            else {
                "file": str(config.capture.file),
                "max_size": _size(config.capture.max_size),
            }
        ),
        "metrics": {
            "per_client": config.metrics.per_client,
            "disabled": sorted(config.metrics.disabled),
            "series_ttl": format_duration(config.metrics.series_ttl),
            "state_ttl": format_duration(config.metrics.state_ttl),
            "max_entities": dict(config.metrics.max_entities),
            "default_max_entities": config.metrics.default_max_entities,
        },
        "events": _events(config.events),
        "log_level": config.logging.level,
        "log_format": config.logging.format,
    }


def _events(events: EventsConfig) -> dict[str, Node]:
    queue = events.queue
    return {
        "enabled": sorted(events.enabled),
        "baseline_window": format_duration(events.baseline_window),
        "queue": {
            "max_bytes": _size(queue.max_bytes),
            "max_age": format_duration(queue.max_age),
            "memory_max_bytes": _size(queue.memory_max_bytes),
            "batch_size": queue.batch_size,
            "max_retry_delay": format_duration(queue.max_retry_delay),
        },
    }


def _streaming(streaming: StreamingConfig) -> dict[str, Node]:
    reconnect = streaming.reconnect
    idle: dict[str, Node] = {}
    for topic in Topic:
        seconds = streaming.idle_timeout.for_topic(topic)
        idle[topic.value] = (
            Commented(None, "no idle watchdog") if seconds is None else format_duration(seconds)
        )
    return {
        "heartbeat": format_duration(streaming.heartbeat),
        "connect_timeout": format_duration(streaming.connect_timeout),
        "close_timeout": format_duration(streaming.close_timeout),
        "max_msg_size": _size(streaming.max_msg_size),
        "idle_timeout": idle,
        "reconnect": {
            "initial_delay": format_duration(reconnect.initial_delay),
            "max_delay": format_duration(reconnect.max_delay),
            "multiplier": _number(reconnect.multiplier),
            "jitter": _number(reconnect.jitter),
            "stable_after": format_duration(reconnect.stable_after),
        },
        "stagger": {
            "connect_rate": _number(streaming.stagger.connect_rate),
            "connect_burst": streaming.stagger.connect_burst,
            "credential_rate": _number(streaming.stagger.credential_rate),
        },
    }


def _size(size: int) -> int | str:
    """``64MiB``, or a plain number of bytes (an int, not a quoted string)."""
    text = format_size(size)
    return size if text.isdigit() else text


def _number(value: float) -> int | float:
    """2 for 2.0 (as written in a configuration), 0.2 for 0.2."""
    return int(value) if value.is_integer() else value


def render_config(config: Config) -> str:
    """The normalised configuration as YAML, with every secret redacted."""
    return render_yaml(config_document(config))
