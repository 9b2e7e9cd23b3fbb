"""The configuration schema: voluptuous mappings that refuse unknown keys, one entry per section.

`build_schema` returns a validator for the whole (env-expanded) document. Its
output is a plain dict of typed values (see `central_otel.config.model` for the
dataclasses built from it). Adding a section means adding one entry to
`build_schema`'s top-level `Section` and one field to `model.Config`. Defaults of
the streaming settings come from the dataclasses in `config.streaming`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

import voluptuous as vol

from central_otel.catalog.events import event_names
from central_otel.catalog.metrics import metric_names
from central_otel.config import validators as v
from central_otel.config.durations import format_duration
from central_otel.config.errors import describe_type, show_value
from central_otel.config.inventory import DEFAULT_INVENTORY_INTERVAL, MIN_INVENTORY_INTERVAL
from central_otel.config.pipeline import (
    LOG_FORMATS,
    LOG_LEVELS,
    MAX_BATCH_SIZE,
    MIN_QUEUE_BYTES,
    READY_POLICIES,
    EventQueueConfig,
    EventsConfig,
    LoggingConfig,
    MetricsConfig,
)
from central_otel.config.streaming import (
    DEFAULT_CAPTURE_SIZE,
    MAX_MAX_MSG_SIZE,
    MIN_CAPTURE_SIZE,
    MIN_MAX_MSG_SIZE,
    IdleTimeouts,
    ReconnectConfig,
    StaggerConfig,
    StreamingConfig,
)
from central_otel.new_central.topics import DEFAULT_TOKEN_URL, NEW_CENTRAL_TOPIC_NAMES
from central_otel.state.entities import CLASS_KINDS
from central_otel.topics import TOPIC_NAMES, Topic

CUSTOMER_NAME = re.compile(r"[A-Za-z0-9_.-]+")
KEY_SOURCES = ("key", "key_file", "key_env")
CLIENT_SECRET_SOURCES = ("client_secret", "client_secret_file", "client_secret_env")
REFRESH_TOKEN_SOURCES = ("refresh_token", "refresh_token_file", "refresh_token_env")
PLATFORMS = ("classic", "new_central")
# Keys of one platform's customers that are a mistake on the other's.
CLASSIC_ONLY_KEYS = (*KEY_SOURCES, "username")
NEW_CENTRAL_ONLY_KEYS = (
    "base_url",
    "client_id",
    *CLIENT_SECRET_SOURCES,
    "token_url",
    "event_types",
)
_EVENT_TYPE = re.compile(r"[\x21-\x2b\x2d-\x7e]+")  # printable, no blank, no comma
OTLP_PROTOCOLS = ("grpc", "http/protobuf")
OTLP_COMPRESSIONS = ("gzip", "zstd", "none")
OTLP_METRICS_PATHS = ("direct", "sdk")
DEFAULT_OTLP_ENDPOINTS = {"grpc": "http://localhost:4317", "http/protobuf": "http://localhost:4318"}

Check = Callable[[Mapping[str, object]], Iterable[vol.Invalid]]
Relation = Callable[[Mapping[str, object], Mapping[str, object]], Iterable[vol.Invalid]]
"""A check across valid values: (the mapping as given, the validated one with defaults)."""


def required(key: str) -> vol.Required:
    return vol.Required(key, msg="required")


def optional(key: str, default: object = vol.UNDEFINED) -> vol.Optional:
    return vol.Optional(key, default=default)


class Section:
    """A mapping with a fixed set of keys (``extra=PREVENT_EXTRA``).

    Unknown keys are reported as ``unknown key (expected one of a, b, c)``;
    `checks` run on the raw mapping (e.g. "exactly one of") and their problems
    are reported together with the per-key ones. `relations` run once every value
    is valid, on the validated values with defaults filled in (e.g. "max_delay is
    at least initial_delay"). A `nullable` section treats ``null`` (an empty YAML
    value) like an empty mapping.
    """

    def __init__(
        self,
        fields: Mapping[vol.Marker, Callable[[Any], object]],
        *,
        checks: Iterable[Check] = (),
        relations: Iterable[Relation] = (),
        nullable: bool = False,
    ) -> None:
        self.keys: tuple[str, ...] = tuple(str(marker.schema) for marker in fields)
        self._validate = cast(
            "Callable[[object], dict[str, object]]",
            vol.Schema(dict(fields), extra=vol.PREVENT_EXTRA),
        )
        self._checks = tuple(checks)
        self._relations = tuple(relations)
        self._nullable = nullable

    def __call__(self, value: object) -> dict[str, object]:
        if value is None and self._nullable:
            value = {}
        if not isinstance(value, dict):
            raise v.invalid(f"expected a mapping, got {describe_type(value)}")
        errors: list[vol.Invalid] = [error for check in self._checks for error in check(value)]
        result: dict[str, object] = {}
        try:
            result = self._validate(value)
        except vol.MultipleInvalid as exc:
            errors.extend(self._rewrite(error) for error in v.flatten(exc))
        if not errors:
            errors = [error for relation in self._relations for error in relation(value, result)]
        if errors:
            raise vol.MultipleInvalid(errors)
        return result

    def _rewrite(self, error: vol.Invalid) -> vol.Invalid:
        if len(error.path) == 1 and error.msg == "extra keys not allowed":
            return v.invalid(f"unknown key (expected one of {', '.join(self.keys)})", error.path)
        return error


def exactly_one_of(*keys: str) -> Check:
    def check(data: Mapping[str, object]) -> list[vol.Invalid]:
        given = [key for key in keys if key in data]
        if len(given) == 1:
            return []
        detail = "none given" if not given else f"got {', '.join(given)}"
        return [v.invalid(f"exactly one of {', '.join(keys)} is required ({detail})")]

    return check


def named_entries(entry: Callable[[object], dict[str, object]]) -> v.Validator[dict[str, Any]]:
    """A non-empty mapping of customer name -> customer settings."""

    def validate(value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise v.invalid(
                f"expected a mapping of customer names to settings, got {describe_type(value)}"
            )
        if not value:
            raise v.invalid("at least one customer is required")
        problems = v.Problems()
        result: dict[str, Any] = {}
        for name, settings in value.items():
            if not CUSTOMER_NAME.fullmatch(name):
                problems.add(
                    f"invalid customer name {show_value(name)}"
                    " (allowed characters: letters, digits, '_', '.', '-')",
                    name,
                )
            with problems.at(name):
                result[name] = entry(settings)
        problems.raise_any()
        return result

    return validate


def central_section(ctx: v.Context) -> Section:
    """Classic Central's streaming host (needed only when a customer is Classic) and the
    TLS settings of every platform's connections."""
    return Section(
        {
            optional("base_url", default=None): v.optional(v.base_url),
            optional("ca_file", default=None): v.optional(v.ca_file(ctx)),
            optional("verify_tls", default=True): v.boolean,
        },
        nullable=True,
    )


def _topic(
    names: Sequence[str], other: Sequence[str], platform: str, other_platform: str
) -> v.Validator[str]:
    """A topic of `names`; one of the other platform's topics is named as such."""
    listed = ", ".join(names)
    plain = v.one_of(names)

    def validate(value: object) -> str:
        if isinstance(value, str) and value in other and value not in names:
            raise v.invalid(
                f"{show_value(value)} is a {other_platform} topic; the topics of a "
                f"{platform} customer are {listed}"
            )
        return plain(value)

    return validate


classic_topic = _topic(TOPIC_NAMES, NEW_CENTRAL_TOPIC_NAMES, "Classic", "New Central")
new_central_topic = _topic(NEW_CENTRAL_TOPIC_NAMES, TOPIC_NAMES, "New Central", "Classic")


def customer_section(ctx: v.Context) -> Section:
    """A Classic customer: one streaming key, Classic topics."""
    return Section(
        {
            optional("key"): v.inline_key(ctx),
            optional("key_file"): v.key_file(ctx),
            optional("key_env"): v.key_env(ctx),
            optional("username", default=None): v.optional(v.header_safe_string),
            required("topics"): v.unique_list(
                classic_topic, what="topic", example="[monitoring, security]"
            ),
            optional("platform"): v.one_of(PLATFORMS),
            optional("inventory", default=None): v.optional(inventory_section(ctx)),
        },
        checks=[exactly_one_of(*KEY_SOURCES)],
    )


def inventory_section(ctx: v.Context) -> Section:
    """A Classic customer's REST API access for device context (its API gateway)."""
    return Section(
        {
            required("api_base_url"): v.api_base_url,
            required("client_id"): v.header_safe_string,
            optional("client_secret"): v.inline_key(ctx, "the client secret"),
            optional("client_secret_file"): v.key_file(ctx, "the client secret"),
            optional("client_secret_env"): v.key_env(ctx),
            optional("refresh_token"): v.inline_key(ctx, "the refresh token"),
            optional("refresh_token_file"): v.key_file(ctx, "the refresh token"),
            optional("refresh_token_env"): v.key_env(ctx),
            optional("interval", default=DEFAULT_INVENTORY_INTERVAL): v.duration(
                minimum=MIN_INVENTORY_INTERVAL
            ),
        },
        checks=[exactly_one_of(*CLIENT_SECRET_SOURCES), exactly_one_of(*REFRESH_TOKEN_SOURCES)],
    )


def inventory_needs_state_dir(
    given: Mapping[str, object], values: Mapping[str, object]
) -> list[vol.Invalid]:
    """Classic Central replaces the refresh token at every refresh: without a state
    directory the bridge would restart with the spent bootstrap token."""
    if values["state_dir"] is not None:
        return []
    customers = cast("dict[str, dict[str, object]]", values["customers"])
    return [
        v.invalid(
            "needs state_dir: Central replaces the refresh token at every refresh and the "
            "old one stops working, so the newest one must be kept across restarts (the "
            "configured one is spent after the first refresh); set state_dir, e.g. "
            "state_dir: /var/lib/central-otel",
            ["customers", name, "inventory"],
        )
        for name, customer in customers.items()
        if customer.get("inventory") is not None and customer.get("platform") != "new_central"
    ]


def event_type(value: object) -> str:
    """One CloudEvent type for the `event-types` filter (sent comma-separated)."""
    text = v.string(value)
    if not _EVENT_TYPE.fullmatch(text):
        raise v.invalid(
            f"{show_value(text)} is not an event type (printable characters, no blanks or commas,"
            " e.g. com.hpe.greenlake.network-services.v1alpha1.audit-trail.device-monitoring)"
        )
    return text


def event_types_section(value: object) -> dict[str, tuple[str, ...]]:
    """Topic -> the event types to receive (the topic's `event-types` query parameter)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise v.invalid(
            f"expected a mapping of topics to lists of event types, got {describe_type(value)}"
        )
    problems = v.Problems()
    result: dict[str, tuple[str, ...]] = {}
    types = v.unique_list(event_type, what="event type", example="[com.hpe.greenlake...]")
    for topic, listed in value.items():
        with problems.at(topic):
            name = new_central_topic(topic)
            result[name] = types(listed)
    problems.raise_any()
    return result


def _filters_subscribed(
    given: Mapping[str, object], values: Mapping[str, object]
) -> list[vol.Invalid]:
    topics = cast("tuple[str, ...]", values["topics"])
    filters = cast("dict[str, tuple[str, ...]]", values["event_types"])
    return [
        v.invalid(
            f"filters a topic the customer does not subscribe to (topics: {', '.join(topics)})",
            ["event_types", topic],
        )
        for topic in filters
        if topic not in topics
    ]


def new_central_customer_section(ctx: v.Context) -> Section:
    """A New Central customer: an API client (OAuth2 client credentials), New Central
    topics on its API gateway."""
    return Section(
        {
            required("platform"): v.one_of(PLATFORMS),
            required("base_url"): v.api_gateway,
            required("client_id"): v.header_safe_string,
            optional("client_secret"): v.inline_key(ctx, "the client secret"),
            optional("client_secret_file"): v.key_file(ctx, "the client secret"),
            optional("client_secret_env"): v.key_env(ctx),
            optional("token_url", default=DEFAULT_TOKEN_URL): v.token_url,
            required("topics"): v.unique_list(
                new_central_topic, what="topic", example="[ap-events, clients-events]"
            ),
            optional("event_types", default=None): event_types_section,
            optional("inventory", default=None): v.optional(new_central_inventory_section()),
        },
        checks=[exactly_one_of(*CLIENT_SECRET_SOURCES)],
        relations=[_filters_subscribed],
    )


def new_central_inventory_section() -> Section:
    """A New Central customer's device context: its API gateway and access token serve
    the monitoring API too, so only how often."""
    return Section(
        {
            optional("interval", default=DEFAULT_INVENTORY_INTERVAL): v.duration(
                minimum=MIN_INVENTORY_INTERVAL
            ),
        },
        nullable=True,
    )


def _misplaced(key: str, platform: str) -> str:
    if platform == "new_central":
        if key == "username":
            return "applies to Classic customers only (a New Central customer has no username)"
        return (
            "applies to Classic customers; a New Central customer authenticates with "
            "client_id and one of client_secret, client_secret_file, client_secret_env"
        )
    if key == "base_url":
        return (
            "a Classic customer streams from central.base_url; set platform: new_central "
            "for a New Central customer's API gateway"
        )
    if key in ("client_id", *CLIENT_SECRET_SOURCES):
        return (
            "applies to New Central customers (platform: new_central); a Classic customer "
            "authenticates with key, key_file or key_env"
        )
    return "applies to New Central customers only (platform: new_central)"


def customer_entry(ctx: v.Context) -> Callable[[object], dict[str, object]]:
    """One customer of either platform (`platform`, default classic)."""
    sections = {"classic": customer_section(ctx), "new_central": new_central_customer_section(ctx)}
    foreign = {"classic": NEW_CENTRAL_ONLY_KEYS, "new_central": CLASSIC_ONLY_KEYS}

    def validate(value: object) -> dict[str, object]:
        if not isinstance(value, dict):
            raise v.invalid(f"expected a mapping, got {describe_type(value)}")
        platform = value.get("platform", "classic")
        if platform not in PLATFORMS:
            shown = show_value(platform) if isinstance(platform, str) else describe_type(platform)
            raise v.invalid(f"{shown} is not one of {', '.join(PLATFORMS)}", ["platform"])
        errors = [
            v.invalid(_misplaced(key, platform), [key]) for key in value if key in foreign[platform]
        ]
        rest = {key: item for key, item in value.items() if key not in foreign[platform]}
        result: dict[str, object] = {}
        try:
            result = sections[platform](rest)
        except vol.MultipleInvalid as exc:
            errors.extend(v.flatten(exc))
        if errors:
            raise vol.MultipleInvalid(errors)
        result["platform"] = platform
        return result

    return validate


def otlp_section(ctx: v.Context) -> Section:
    return Section(
        {
            optional("endpoint", default=None): v.optional(v.http_url),
            optional("protocol", default="grpc"): v.one_of(OTLP_PROTOCOLS),
            optional("insecure", default=False): v.boolean,
            optional("headers", default=None): v.headers(ctx),
            optional("export_interval", default=60.0): v.duration(minimum=1.0),
            optional("ca_file", default=None): v.optional(v.ca_file(ctx)),
            optional("compression", default="gzip"): v.one_of(OTLP_COMPRESSIONS),
            optional("timeout", default=10.0): v.duration(),
            # Deprecated: accepted (and ignored) for one release, so configs still load.
            optional("metrics_path", default=None): v.optional(v.one_of(OTLP_METRICS_PATHS)),
        },
        relations=[zstd_over_http_only],
        nullable=True,
    )


def zstd_over_http_only(
    given: Mapping[str, object], values: Mapping[str, object]
) -> list[vol.Invalid]:
    """gRPC's Python core compresses with gzip (or deflate) only: zstd is OTLP/HTTP's."""
    if values["compression"] != "zstd" or values["protocol"] == "http/protobuf":
        return []
    return [
        v.invalid(
            f"zstd needs protocol: http/protobuf (got protocol: {values['protocol']}, "
            "which compresses with gzip or none)",
            ["compression"],
        )
    ]


def health_section() -> Section:
    return Section(
        {
            optional("listen", default="127.0.0.1:8080"): v.listen_address,
            optional("ready_when", default="all"): v.one_of(READY_POLICIES),
        },
        nullable=True,
    )


def metrics_section() -> Section:
    defaults = MetricsConfig()
    names = (*metric_names(), *event_names())
    return Section(
        {
            optional("per_client", default=defaults.per_client): v.boolean,
            optional("disabled", default=None): v.name_list(names, what="metric or event"),
            optional("series_ttl", default=defaults.series_ttl): v.duration(minimum=1.0),
            optional("state_ttl", default=defaults.state_ttl): v.duration(minimum=1.0),
            optional("max_entities", default=None): v.counts_by_name(
                sorted(CLASS_KINDS), what="entity class"
            ),
            optional("default_max_entities", default=defaults.default_max_entities): v.number(
                minimum=1
            ),
        },
        relations=[at_least("series_ttl", "state_ttl")],
        nullable=True,
    )


def events_section() -> Section:
    defaults = EventsConfig()
    return Section(
        {
            optional("enabled", default=None): v.name_list(event_names(), what="event"),
            optional("baseline_window", default=defaults.baseline_window): v.duration(
                allow_zero=True
            ),
            optional("queue", default=None): event_queue_section(),
        },
        nullable=True,
    )


def event_queue_section() -> Section:
    defaults = EventQueueConfig()
    return Section(
        {
            optional("max_bytes", default=defaults.max_bytes): v.size(minimum=MIN_QUEUE_BYTES),
            optional("max_age", default=defaults.max_age): v.duration(minimum=1.0),
            optional("memory_max_bytes", default=defaults.memory_max_bytes): v.size(
                minimum=MIN_QUEUE_BYTES
            ),
            optional("batch_size", default=defaults.batch_size): v.whole_number(
                minimum=1, maximum=MAX_BATCH_SIZE
            ),
            optional("max_retry_delay", default=defaults.max_retry_delay): v.duration(minimum=1.0),
        },
        nullable=True,
    )


def at_least(low_key: str, high_key: str) -> Relation:
    """`high_key` >= `low_key` (durations), reported at `high_key` when it was given, else at
    `low_key` (the one the user wrote is the one to fix)."""

    def check(given: Mapping[str, object], values: Mapping[str, object]) -> list[vol.Invalid]:
        low, high = cast(float, values[low_key]), cast(float, values[high_key])
        if high >= low:
            return []
        if high_key in given:
            return [
                v.invalid(
                    f"must be at least {low_key} = {format_duration(low)}"
                    f" (got {format_duration(high)})",
                    [high_key],
                )
            ]
        return [
            v.invalid(
                f"must be at most {high_key} = {format_duration(high)}"
                f" (got {format_duration(low)})",
                [low_key],
            )
        ]

    return check


def idle_timeout_section() -> Section:
    defaults = IdleTimeouts()
    idle = v.optional(v.duration(minimum=1.0, allow_zero=True))  # 0 or null: no watchdog
    return Section(
        {optional(name, default=defaults.for_topic(Topic(name))): idle for name in TOPIC_NAMES},
        nullable=True,
    )


def reconnect_section() -> Section:
    defaults = ReconnectConfig()
    multiplier = v.number(minimum=1.0, maximum=10.0)
    return Section(
        {
            optional("initial_delay", default=defaults.initial_delay): v.duration(minimum=0.1),
            optional("max_delay", default=defaults.max_delay): v.duration(minimum=1.0),
            optional("multiplier", default=defaults.multiplier): multiplier,
            optional("jitter", default=defaults.jitter): v.number(minimum=0.0, maximum=1.0),
            optional("stable_after", default=defaults.stable_after): v.duration(minimum=1.0),
        },
        relations=[at_least("initial_delay", "max_delay")],
        nullable=True,
    )


def stagger_section() -> Section:
    defaults = StaggerConfig()
    return Section(
        {
            optional("connect_rate", default=defaults.connect_rate): v.number(
                minimum=0.1, maximum=10000.0
            ),
            optional("connect_burst", default=defaults.connect_burst): v.whole_number(
                minimum=1, maximum=10000
            ),
            optional("credential_rate", default=defaults.credential_rate): v.number(
                minimum=0.1, maximum=1000.0
            ),
        },
        nullable=True,
    )


def streaming_section() -> Section:
    defaults = StreamingConfig()
    return Section(
        {
            optional("heartbeat", default=defaults.heartbeat): v.duration(minimum=1.0),
            optional("connect_timeout", default=defaults.connect_timeout): v.duration(minimum=1.0),
            optional("close_timeout", default=defaults.close_timeout): v.duration(minimum=0.1),
            optional("max_msg_size", default=defaults.max_msg_size): v.size(
                minimum=MIN_MAX_MSG_SIZE, maximum=MAX_MAX_MSG_SIZE
            ),
            optional("idle_timeout", default=None): idle_timeout_section(),
            optional("reconnect", default=None): reconnect_section(),
            optional("stagger", default=None): stagger_section(),
        },
        nullable=True,
    )


def capture_section(ctx: v.Context) -> Section:
    return Section(
        {
            required("file"): v.new_file(ctx),
            optional("max_size", default=DEFAULT_CAPTURE_SIZE): v.size(minimum=MIN_CAPTURE_SIZE),
        }
    )


def build_schema(ctx: v.Context) -> Section:
    """The validator of a whole configuration document."""
    return Section(
        {
            optional("central", default=None): central_section(ctx),
            required("customers"): named_entries(customer_entry(ctx)),
            optional("key_validation_interval", default=3600.0): v.duration(minimum=60.0),
            optional("otlp", default=None): otlp_section(ctx),
            optional("health", default=None): health_section(),
            optional("streaming", default=None): streaming_section(),
            optional("state_dir", default=None): v.optional(v.directory(ctx)),
            optional("capture", default=None): v.optional(capture_section(ctx)),
            optional("metrics", default=None): metrics_section(),
            optional("events", default=None): events_section(),
            optional("log_level", default=LoggingConfig().level): v.one_of(LOG_LEVELS),
            optional("log_format", default=LoggingConfig().format): v.one_of(LOG_FORMATS),
        },
        checks=[_classic_needs_base_url],
        relations=[inventory_needs_state_dir],
    )


def _classic_needs_base_url(given: Mapping[str, object]) -> list[vol.Invalid]:
    """`central.base_url` is required as soon as one customer is Classic (the default
    platform); a configuration of New Central customers only needs no `central`."""
    customers = given.get("customers")
    if not isinstance(customers, dict) or not any(
        not isinstance(entry, dict) or entry.get("platform", "classic") == "classic"
        for entry in customers.values()
    ):
        return []
    central = given.get("central")
    if central is None:
        return [v.invalid("required", ["central"])]
    if isinstance(central, dict) and "base_url" not in central:
        return [v.invalid("required", ["central", "base_url"])]
    return []
