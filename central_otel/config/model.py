"""The typed configuration: frozen dataclasses built from the validated document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, NoReturn, cast

from central_otel.config.addresses import (
    STREAMING_PATH,
    VALIDATE_PATH,
    CentralEndpoint,
    HostPort,
)
from central_otel.config.inventory import (
    ClassicApiCredentials,
    InventoryConfig,
    SecretSetting,
)
from central_otel.config.pipeline import (
    EventQueueConfig,
    EventsConfig,
    LoggingConfig,
    MetricsConfig,
)
from central_otel.config.schema import DEFAULT_OTLP_ENDPOINTS
from central_otel.config.streaming import (
    CaptureConfig,
    IdleTimeouts,
    ReconnectConfig,
    StaggerConfig,
    StreamingConfig,
)
from central_otel.new_central.topics import PATHS, NewCentralTopic
from central_otel.secret import Secret
from central_otel.topics import Topic


class FrozenDict(dict[str, Secret]):
    """A read-only dict (hashable, and still a dict for ``dataclasses.asdict`` and YAML/JSON)."""

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("this mapping is read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> FrozenDict:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError("cannot pickle a mapping of secrets")


OtlpProtocol = Literal["grpc", "http/protobuf"]
OtlpCompression = Literal["gzip", "zstd", "none"]


@dataclass(frozen=True, slots=True)
class CentralConfig:
    """Where Classic Central is (`host` None: no Classic customer, no base_url), and how
    to trust every platform's endpoints."""

    host: str | None
    port: int | None
    secure: bool
    """True for TLS (wss/https), False for a plain local simulator (ws/http)."""
    ca_file: Path | None = None
    verify_tls: bool = True

    @property
    def netloc(self) -> str:
        if self.host is None:
            raise ValueError("no Classic Central base_url is configured")
        return HostPort(self.host, self.port).netloc

    @property
    def base_url(self) -> str:
        """``https://host[:port]`` (``http://`` when not secure)."""
        return f"{'https' if self.secure else 'http'}://{self.netloc}"

    @property
    def stream_url(self) -> str:
        """``wss://host[:port]/streaming/api`` (``ws://`` when not secure)."""
        return f"{'wss' if self.secure else 'ws'}://{self.netloc}{STREAMING_PATH}"

    @property
    def validate_url(self) -> str:
        """``https://host[:port]/streaming/token/validate`` (``http://`` when not secure)."""
        return f"{self.base_url}{VALIDATE_PATH}"


@dataclass(frozen=True, slots=True)
class CustomerConfig:
    """One Central customer (one streaming key) and the topics to subscribe to."""

    name: str
    key_setting: SecretSetting
    """The streaming key and where it was read from (``key``, ``key_file``, ``key_env``)."""
    topics: tuple[Topic, ...]
    username: str | None = None
    inventory: InventoryConfig | None = None
    """Device context from Central's REST API; None: no REST calls at all."""
    platform: ClassVar[str] = "classic"

    @property
    def key(self) -> Secret:
        return self.key_setting.value

    @property
    def key_source(self) -> str:
        """Where the key came from: ``key``, ``key_file: PATH`` or ``key_env: NAME``."""
        return self.key_setting.source


@dataclass(frozen=True, slots=True)
class NewCentralCustomerConfig:
    """One New Central customer: an API client (OAuth2 client credentials) and the topics
    to subscribe to on its API gateway."""

    name: str
    host: str
    port: int | None
    secure: bool
    """True for TLS (https/wss), False for a plain local simulator (http/ws)."""
    client_id: str
    client_secret_setting: SecretSetting
    """The client secret and where it was read from (``client_secret``, ``_file``, ``_env``)."""
    token_url: str
    topics: tuple[NewCentralTopic, ...]
    event_types: tuple[tuple[NewCentralTopic, tuple[str, ...]], ...] = ()
    """(topic, the event types to receive) pairs; a topic not listed gets every type."""
    inventory: InventoryConfig | None = None
    """Device context from New Central's monitoring API; None: no REST calls."""
    platform: ClassVar[str] = "new_central"

    @property
    def base_url(self) -> str:
        """``https://host[:port]`` (``http://`` when not secure): the API gateway."""
        return f"{'https' if self.secure else 'http'}://{HostPort(self.host, self.port).netloc}"

    def stream_url(self, topic: NewCentralTopic) -> str:
        """``wss://host[:port]/<service>/<version>/<event>`` (``ws://`` when not secure)."""
        netloc = HostPort(self.host, self.port).netloc
        return f"{'wss' if self.secure else 'ws'}://{netloc}{PATHS[topic]}"

    def event_types_for(self, topic: NewCentralTopic) -> tuple[str, ...]:
        """The event types to ask for on `topic`; empty: every type."""
        return next((types for listed, types in self.event_types if listed == topic), ())

    @property
    def client_secret(self) -> Secret:
        return self.client_secret_setting.value

    @property
    def secret_source(self) -> str:
        """Where the client secret came from: ``client_secret``, ``client_secret_file:
        PATH`` or ``client_secret_env: NAME``."""
        return self.client_secret_setting.source


AnyCustomer = CustomerConfig | NewCentralCustomerConfig
AnyTopic = Topic | NewCentralTopic


@dataclass(frozen=True, slots=True)
class OtlpConfig:
    """Where and how metrics are exported."""

    endpoint: str = DEFAULT_OTLP_ENDPOINTS["grpc"]
    protocol: OtlpProtocol = "grpc"
    insecure: bool = False
    headers: Mapping[str, Secret] = field(default_factory=FrozenDict)
    """Header name (lower case) -> value; the values are secrets."""
    export_interval: float = 60.0
    ca_file: Path | None = None
    compression: OtlpCompression = "gzip"
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """The health/readiness HTTP endpoint."""

    host: str = "127.0.0.1"
    port: int = 8080
    """0 means any free port."""
    ready_when: str = "all"
    """/readyz is ready when ``all`` subscriptions are connected, or ``any`` one."""

    @property
    def listen(self) -> str:
        """``host:port`` (``[v6addr]:port``)."""
        return HostPort(self.host, self.port).netloc


@dataclass(frozen=True, slots=True)
class Config:
    """A whole, valid configuration."""

    central: CentralConfig
    customers: tuple[CustomerConfig, ...]
    """The Classic customers (`all_customers`: both platforms')."""
    key_validation_interval: float = 3600.0
    otlp: OtlpConfig = OtlpConfig()
    health: HealthConfig = HealthConfig()
    streaming: StreamingConfig = field(default_factory=StreamingConfig)
    state_dir: Path | None = None
    """Where renewed keys are remembered across restarts; None: in memory only."""
    capture: CaptureConfig | None = None
    """Raw-frame recording; None: off."""
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    events: EventsConfig = field(default_factory=EventsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    deprecations: tuple[str, ...] = ()
    """Deprecated keys the document used (ignored), one operator line each."""
    new_central_customers: tuple[NewCentralCustomerConfig, ...] = ()
    """The New Central customers."""

    @property
    def all_customers(self) -> tuple[AnyCustomer, ...]:
        """Every customer of both platforms (Classic first)."""
        return (*self.customers, *self.new_central_customers)

    @property
    def subscriptions(self) -> tuple[tuple[CustomerConfig, Topic], ...]:
        """Every Classic (customer, topic) pair: one WebSocket connection each."""
        return tuple((customer, topic) for customer in self.customers for topic in customer.topics)

    @property
    def new_central_subscriptions(
        self,
    ) -> tuple[tuple[NewCentralCustomerConfig, NewCentralTopic], ...]:
        """Every New Central (customer, topic) pair: one WebSocket connection each."""
        return tuple(
            (customer, topic)
            for customer in self.new_central_customers
            for topic in customer.topics
        )

    @property
    def subscription_count(self) -> int:
        """WebSocket connections of both platforms."""
        return len(self.subscriptions) + len(self.new_central_subscriptions)

    def customer(self, name: str) -> CustomerConfig:
        """The Classic customer called `name` (KeyError if none)."""
        for customer in self.customers:
            if customer.name == name:
                return customer
        raise KeyError(name)

    def new_central_customer(self, name: str) -> NewCentralCustomerConfig:
        """The New Central customer called `name` (KeyError if none)."""
        for customer in self.new_central_customers:
            if customer.name == name:
                return customer
        raise KeyError(name)

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret of the configuration (keys, client secrets, header values), e.g.
        for `redact`."""
        return (
            *(customer.key for customer in self.customers),
            *(customer.client_secret for customer in self.new_central_customers),
            *(
                secret
                for customer in self.customers
                if customer.inventory is not None
                for secret in customer.inventory.secrets()
            ),
            *self.otlp.headers.values(),
        )


def build_config(document: Mapping[str, Any]) -> Config:
    """The `Config` of a document validated by `schema.build_schema`."""
    central = document["central"]
    endpoint: CentralEndpoint | None = central["base_url"]
    otlp = document["otlp"]
    protocol = cast(OtlpProtocol, otlp["protocol"])
    health_address: HostPort = document["health"]["listen"]
    return Config(
        central=CentralConfig(
            host=endpoint.address.host if endpoint else None,
            port=endpoint.address.port if endpoint else None,
            secure=endpoint.secure if endpoint else True,
            ca_file=central["ca_file"],
            verify_tls=central["verify_tls"],
        ),
        customers=tuple(
            _customer(name, entry)
            for name, entry in document["customers"].items()
            if entry["platform"] == "classic"
        ),
        new_central_customers=tuple(
            _new_central_customer(name, entry)
            for name, entry in document["customers"].items()
            if entry["platform"] == "new_central"
        ),
        key_validation_interval=document["key_validation_interval"],
        otlp=OtlpConfig(
            endpoint=otlp["endpoint"] or DEFAULT_OTLP_ENDPOINTS[protocol],
            protocol=protocol,
            insecure=otlp["insecure"],
            headers=FrozenDict(otlp["headers"]),
            export_interval=otlp["export_interval"],
            ca_file=otlp["ca_file"],
            compression=cast(OtlpCompression, otlp["compression"]),
            timeout=otlp["timeout"],
        ),
        health=HealthConfig(
            host=health_address.host,
            port=cast(int, health_address.port),
            ready_when=document["health"]["ready_when"],
        ),
        streaming=_streaming(document["streaming"]),
        state_dir=document["state_dir"],
        capture=(
            CaptureConfig(file=capture["file"], max_size=capture["max_size"])
            if (capture := document["capture"]) is not None
            else None
        ),
        metrics=_metrics(document["metrics"]),
        events=_events(document["events"]),
        logging=LoggingConfig(level=document["log_level"], format=document["log_format"]),
        deprecations=_deprecations(document),
    )


def _deprecations(document: Mapping[str, Any]) -> tuple[str, ...]:
    notices: list[str] = []
    if document["otlp"]["metrics_path"] is not None:
        notices.append(
            "otlp.metrics_path is deprecated and ignored: the catalogue's metrics are always "
            "written directly as OTLP; remove the key (it will be refused in a later release)"
        )
    return tuple(notices)


def _metrics(section: Mapping[str, Any]) -> MetricsConfig:
    return MetricsConfig(
        per_client=section["per_client"],
        disabled=section["disabled"],
        series_ttl=section["series_ttl"],
        state_ttl=section["state_ttl"],
        max_entities=tuple(sorted(section["max_entities"].items())),
        default_max_entities=int(section["default_max_entities"]),
    )


def _events(section: Mapping[str, Any]) -> EventsConfig:
    queue = section["queue"]
    return EventsConfig(
        enabled=section["enabled"],
        baseline_window=section["baseline_window"],
        queue=EventQueueConfig(
            max_bytes=queue["max_bytes"],
            max_age=queue["max_age"],
            memory_max_bytes=queue["memory_max_bytes"],
            batch_size=queue["batch_size"],
            max_retry_delay=queue["max_retry_delay"],
        ),
    )


def _streaming(section: Mapping[str, Any]) -> StreamingConfig:
    idle = section["idle_timeout"]
    reconnect = section["reconnect"]
    return StreamingConfig(
        heartbeat=section["heartbeat"],
        connect_timeout=section["connect_timeout"],
        close_timeout=section["close_timeout"],
        max_msg_size=section["max_msg_size"],
        # 0 and null both mean "no watchdog".
        idle_timeout=IdleTimeouts(**{topic: seconds or None for topic, seconds in idle.items()}),
        reconnect=ReconnectConfig(**reconnect),
        stagger=StaggerConfig(**section["stagger"]),
    )


def _customer(name: str, entry: Mapping[str, Any]) -> CustomerConfig:
    return CustomerConfig(
        name=name,
        key_setting=_secret_setting("key", entry),
        topics=tuple(Topic(topic) for topic in entry["topics"]),
        username=entry["username"],
        inventory=_inventory(entry["inventory"]),
    )


def _secret_setting(name: str, entry: Mapping[str, Any]) -> SecretSetting:
    """The secret `name` given as `name`, `name_file` or `name_env` (exactly one is there)."""
    if f"{name}_file" in entry:
        path, value = entry[f"{name}_file"]
        return SecretSetting(name, value, file=path)
    if f"{name}_env" in entry:
        variable, value = entry[f"{name}_env"]
        return SecretSetting(name, value, env=variable)
    return SecretSetting(name, entry[name])


def _inventory(entry: Mapping[str, Any] | None) -> InventoryConfig | None:
    if entry is None:
        return None
    return InventoryConfig(
        classic=ClassicApiCredentials(
            api_base_url=entry["api_base_url"],
            client_id=entry["client_id"],
            client_secret=_secret_setting("client_secret", entry),
            refresh_token=_secret_setting("refresh_token", entry),
        ),
        interval=entry["interval"],
    )


def _new_central_customer(name: str, entry: Mapping[str, Any]) -> NewCentralCustomerConfig:
    gateway: CentralEndpoint = entry["base_url"]
    return NewCentralCustomerConfig(
        name=name,
        host=gateway.address.host,
        port=gateway.address.port,
        secure=gateway.secure,
        client_id=entry["client_id"],
        client_secret_setting=_secret_setting("client_secret", entry),
        token_url=entry["token_url"],
        topics=tuple(NewCentralTopic(topic) for topic in entry["topics"]),
        event_types=tuple(
            (NewCentralTopic(topic), types) for topic, types in entry["event_types"].items()
        ),
        inventory=(
            InventoryConfig(interval=entry["inventory"]["interval"])
            if entry["inventory"] is not None
            else None
        ),
    )
