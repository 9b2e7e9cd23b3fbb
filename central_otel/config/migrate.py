"""Conversion of the old sample client's ``input.json`` into this project's configuration.

The old format has one entry per (customer, topic)::

    {"customers": {"CustomerA_monitoring": {"username": "...", "wsskey": "...",
                                            "topic": "monitoring"}, ...}}

Entries that share a ``wsskey`` become one customer subscribed to all their
topics. Nothing here prints or writes: see `central_otel.commands.migrate`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from central_otel.config.addresses import parse_base_url
from central_otel.config.errors import (
    ConfigError,
    ConfigProblem,
    PathPart,
    describe_type,
    format_path,
    show_value,
)
from central_otel.config.render import Node, render_yaml
from central_otel.secret import Secret
from central_otel.topics import TOPIC_NAMES, Topic, parse_topic

KEY_ENV_PREFIX = "CENTRAL_OTEL_KEY_"
ENTRY_KEYS = ("username", "wsskey", "topic")
_TOPIC_SUFFIX = re.compile(rf"(.+?)[_-](?:{'|'.join(TOPIC_NAMES)})", re.IGNORECASE)
_PRINTABLE_LINE = re.compile(r"[\x20-\x7e]+")


@dataclass(frozen=True, slots=True)
class LegacyEntry:
    """One entry of the old ``input.json``."""

    name: str
    key: Secret
    topic: Topic
    username: str | None


@dataclass(frozen=True, slots=True)
class MigratedCustomer:
    name: str
    key: Secret
    topics: tuple[Topic, ...]
    username: str | None
    entries: tuple[str, ...]
    """The names of the old entries merged into this customer."""
    key_env: str
    """The environment variable proposed for the key (unique among the customers)."""


@dataclass(frozen=True, slots=True)
class Migration:
    base_url: str
    customers: tuple[MigratedCustomer, ...]
    warnings: tuple[str, ...]

    @property
    def subscription_count(self) -> int:
        return sum(len(customer.topics) for customer in self.customers)


def key_env_name(customer: str) -> str:
    """``CENTRAL_OTEL_KEY_`` + the customer name in upper case, other characters as ``_``."""
    return KEY_ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", customer.upper())


def plan_migration(data: object, *, hostname: str, source: str) -> Migration:
    """The customers to write for the parsed ``input.json`` `data`.

    Raises ConfigError listing every problem (the host, then each entry's).
    Keys never appear in messages or warnings.
    """
    problems: list[ConfigProblem] = []
    base_url = ""
    try:
        endpoint = parse_base_url(hostname)
    except ValueError as exc:
        problems.append(ConfigProblem("--hostname", str(exc)))
    else:
        scheme = "https" if endpoint.secure else "http"
        base_url = f"{scheme}://{endpoint.address.netloc}"
    warnings: list[str] = []
    entries = _read_entries(data, source, problems, warnings)
    if problems:
        raise ConfigError(source, problems)
    return Migration(base_url, _merge(entries, warnings), tuple(warnings))


def _problem(path: tuple[PathPart, ...], message: str) -> ConfigProblem:
    return ConfigProblem(format_path(path), message)


def _read_entries(
    data: object, source: str, problems: list[ConfigProblem], warnings: list[str]
) -> list[LegacyEntry]:
    if not isinstance(data, dict):
        message = f"expected a JSON object at the top level, got {describe_type(data)}"
        problems.append(ConfigProblem(source, message))
        return []
    for key in data:
        if key != "customers":
            warnings.append(f"{format_path((str(key),))}: ignored (not used by central-otel)")
    if "customers" not in data:
        problems.append(_problem(("customers",), "required"))
        return []
    customers = data["customers"]
    if not isinstance(customers, dict):
        message = f"expected a mapping of entry names to entries, got {describe_type(customers)}"
        problems.append(_problem(("customers",), message))
        return []
    if not customers:
        problems.append(_problem(("customers",), "no entries"))
    entries: list[LegacyEntry] = []
    for name, body in customers.items():
        entry = _read_entry(str(name), body, problems, warnings)
        if entry is not None:
            entries.append(entry)
    return entries


def _read_entry(
    name: str, body: object, problems: list[ConfigProblem], warnings: list[str]
) -> LegacyEntry | None:
    base: tuple[PathPart, ...] = ("customers", name)
    if not isinstance(body, dict):
        problems.append(_problem(base, f"expected a mapping, got {describe_type(body)}"))
        return None
    count = len(problems)
    for key in body:
        if key not in ENTRY_KEYS:
            warnings.append(f"{format_path((*base, str(key)))}: ignored (not used by central-otel)")

    key_text = body.get("wsskey")
    if "wsskey" not in body:
        problems.append(_problem((*base, "wsskey"), "required"))
    elif not isinstance(key_text, str):
        problems.append(
            _problem((*base, "wsskey"), f"expected a string, got {describe_type(key_text)}")
        )
    elif not key_text.strip():
        problems.append(_problem((*base, "wsskey"), "must not be empty"))
    elif not _PRINTABLE_LINE.fullmatch(key_text.strip()):
        message = "must be a single line of printable ASCII characters"
        problems.append(_problem((*base, "wsskey"), message))

    topic_text = body.get("topic")
    topic: Topic | None = None
    if "topic" not in body:
        problems.append(_problem((*base, "topic"), "required"))
    elif not isinstance(topic_text, str):
        message = f"expected one of {', '.join(TOPIC_NAMES)}, got {describe_type(topic_text)}"
        problems.append(_problem((*base, "topic"), message))
    elif (topic := parse_topic(topic_text)) is None:
        message = f"{show_value(topic_text)} is not one of {', '.join(TOPIC_NAMES)}"
        problems.append(_problem((*base, "topic"), message))

    username = body.get("username")
    if username is not None and not isinstance(username, str):
        message = f"expected a string, got {describe_type(username)}"
        problems.append(_problem((*base, "username"), message))
    elif isinstance(username, str) and username.strip() and not _PRINTABLE_LINE.fullmatch(username):
        message = "must be a single line of printable ASCII characters"
        problems.append(_problem((*base, "username"), message))

    if len(problems) > count or not isinstance(key_text, str) or topic is None:
        return None
    return LegacyEntry(
        name=name,
        key=Secret(key_text.strip()),
        topic=topic,
        username=username.strip() if isinstance(username, str) and username.strip() else None,
    )


def _customer_name(entries: list[LegacyEntry]) -> str:
    matches = [_TOPIC_SUFFIX.fullmatch(entry.name) for entry in entries]
    stems = {match.group(1) if match else None for match in matches}
    stem = stems.pop() if len(stems) == 1 else None
    name = stem if stem is not None else entries[0].name
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "customer"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    taken.add(candidate)
    return candidate


def _merge(entries: list[LegacyEntry], warnings: list[str]) -> tuple[MigratedCustomer, ...]:
    groups: dict[Secret, list[LegacyEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.key, []).append(entry)
    names: set[str] = set()
    env_names: set[str] = set()
    customers: list[MigratedCustomer] = []
    for key, group in groups.items():
        name = _unique(_customer_name(group), names)
        entry_names = ", ".join(entry.name for entry in group)
        topics: list[Topic] = []
        for entry in group:
            if entry.topic in topics:
                warnings.append(
                    f"customer {name}: topic {entry.topic.value} appears in several entries"
                    f" ({entry_names}); subscribing once"
                )
            else:
                topics.append(entry.topic)
        usernames = [(entry.name, entry.username) for entry in group if entry.username]
        username = usernames[0][1] if usernames else None
        for other_entry, other in usernames[1:]:
            if other != username:
                warnings.append(
                    f"customer {name}: entry {other_entry} has username {other!r}; keeping"
                    f" {username!r} from entry {usernames[0][0]}"
                )
        customers.append(
            MigratedCustomer(
                name=name,
                key=key,
                topics=tuple(topics),
                username=username,
                entries=tuple(entry.name for entry in group),
                key_env=_unique(key_env_name(name), env_names),
            )
        )
    return tuple(customers)


def render_migration(
    migration: Migration, key_settings: Mapping[str, tuple[str, str]], source: str
) -> str:
    """The new configuration file's text.

    `key_settings` maps each customer name to the key setting to write for it:
    ``("key_file", PATH)``, ``("key_env", NAME)`` or ``("key", VALUE)``.
    """
    customers: dict[str, Node] = {}
    for customer in migration.customers:
        setting, value = key_settings[customer.name]
        node: dict[str, Node] = {setting: value}
        if customer.username is not None:
            node["username"] = customer.username
        node["topics"] = [topic.value for topic in customer.topics]
        customers[customer.name] = node
    header = (
        f"# central-otel configuration, converted from {source} by `central-otel migrate`.\n"
        "# Settings not listed here take their defaults: see docs/configuration.md.\n"
    )
    return header + render_yaml(
        {"central": {"base_url": migration.base_url}, "customers": customers}
    )
