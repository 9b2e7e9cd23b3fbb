"""What a Prometheus backend calls central-otel's metrics, and a small PromQL reader.

`metric_name` and `label_name` follow Prometheus' OTLP translation with the default
strategy `UnderscoreEscapingWithSuffixes` (prometheus/otlptranslator: `normalizeName`,
`buildUnitSuffixes`, `addUnitTokens`): split the name on anything but [a-zA-Z0-9:],
append the unit (mapped: By -> bytes, s -> seconds, ...; units in braces and `1` add
nothing; a unit already present as a word is not repeated; `a/b` -> `a_per_b`),
`_total` for monotonic counters, `_ratio` for gauges of unit `1`.

`exported_metrics` maps every Prometheus metric name derived this way from the metric
catalogue, the aggregates and the self-metrics to the label names its series carry.
The alert rules and the Grafana dashboard are checked against it
(tests/test_alert_rules.py, tests/test_dashboard.py), so renaming a metric, changing
its unit or instrument, or dropping an attribute breaks those tests.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

from central_otel.catalog.attributes import CUSTOMER_NAMES, SOURCES
from central_otel.catalog.metrics import AGGREGATES, METRICS
from central_otel.delivery.queue import DropReason, QueueStatus
from central_otel.new_central.token import TokenOutcome
from central_otel.pipeline.self_metrics import SelfMetrics
from central_otel.streaming.subscription import StreamState
from central_otel.telemetry.stats import TelemetryStats
from central_otel.topics import Topic

GAUGE = "gauge"
COUNTER = "counter"  # monotonic sum
UPDOWN = "updowncounter"  # non-monotonic sum: a Prometheus gauge, no suffix of its own

# prometheus/otlptranslator unitMap and perUnitMap.
_UNITS = {
    "d": "days", "h": "hours", "min": "minutes", "s": "seconds", "ms": "milliseconds",
    "us": "microseconds", "ns": "nanoseconds",
    "By": "bytes", "KiBy": "kibibytes", "MiBy": "mebibytes", "GiBy": "gibibytes",
    "TiBy": "tibibytes", "KBy": "kilobytes", "MBy": "megabytes", "GBy": "gigabytes",
    "TBy": "terabytes",
    "m": "meters", "V": "volts", "A": "amperes", "J": "joules", "W": "watts", "g": "grams",
    "Cel": "celsius", "Hz": "hertz", "1": "", "%": "percent",
}  # fmt: skip
_PER_UNITS = {
    "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "mo": "month",
    "y": "year",
}  # fmt: skip

# Labels every series gets from its resource: service.name (and service.namespace)
# -> job, service.instance.id -> instance.
RESOURCE_LABELS = frozenset({"job", "instance"})


def _tokens(text: str) -> list[str]:
    return [token for token in re.split(r"[^a-zA-Z0-9:]+", text) if token]


def _clean_unit(unit: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-zA-Z0-9:]", "_", unit)).lstrip("_")


def unit_suffixes(unit: str) -> tuple[str, str]:
    """(main, per) unit words of an OTel unit; empty when there is none."""
    main, _, per = unit.partition("/")
    main, per = main.strip(), per.strip()
    main_word = "" if not main or "{" in main or "}" in main else _UNITS.get(main, main)
    per_word = "" if not per or "{" in per or "}" in per else _PER_UNITS.get(per, per)
    return _clean_unit(main_word), _clean_unit(f"per_{per_word}" if per_word else "")


def metric_name(name: str, unit: str, instrument: str) -> str:
    """The Prometheus name of an OTLP metric (UnderscoreEscapingWithSuffixes)."""
    tokens = _tokens(name)
    main, per = unit_suffixes(unit)
    if main and main not in tokens:
        tokens.append(main)
    if per and per.rstrip("_") not in tokens:
        tokens.append(per.rstrip("_"))
    if instrument == COUNTER:
        tokens = [t for t in tokens if t != "total"] + ["total"]
    if unit == "1" and instrument == GAUGE:
        tokens = [t for t in tokens if t != "ratio"] + ["ratio"]
    result = "_".join(tokens)
    return "_" + result if result[:1].isdigit() else result


def label_name(attribute: str) -> str:
    """The Prometheus label of an OTLP attribute."""
    name = re.sub(r"_+", "_", re.sub(r"[^a-zA-Z0-9_]", "_", attribute))
    return "key_" + name if name[:1].isdigit() else name


# -- the self-metrics, read from the code that defines them ------------------------------


@dataclass
class _Instrument:
    name: str
    kind: str
    unit: str
    callbacks: Sequence[Callable[[Any], Iterable[Any]]]


@dataclass
class _RecordingMeter:
    """Stands in for an OpenTelemetry Meter: records what is created, exports nothing."""

    instruments: list[_Instrument] = field(default_factory=list)

    def _make(self, kind: str) -> Callable[..., None]:
        def create(
            name: str,
            callbacks: Sequence[Callable[[Any], Iterable[Any]]] | None = None,
            unit: str = "",
            description: str = "",
        ) -> None:
            self.instruments.append(_Instrument(name, kind, unit, list(callbacks or [])))

        return create

    def __getattr__(self, attr: str) -> Callable[..., None]:
        kinds = {
            "create_observable_gauge": GAUGE,
            "create_observable_counter": COUNTER,
            "create_observable_up_down_counter": UPDOWN,
        }
        if attr not in kinds:
            raise AttributeError(attr)
        return self._make(kinds[attr])


def _busy_bridge() -> tuple[Any, Any]:
    """A streamer and an ingestor with something to report in every self-metric."""
    stats = SimpleNamespace(
        state=StreamState.CONNECTED,
        frames=10,
        bytes=1000,
        last_frame_at=0.0,
        reconnects=Counter({"network": 1}),
    )
    subscription = SimpleNamespace(customer="Acme", topic=Topic("monitoring"), stats=stats)
    key = SimpleNamespace(validations=3, renewals=1)
    token = SimpleNamespace(
        outcomes=Counter({TokenOutcome.ISSUED: 2}), renewals=1, expires_at=time.time() + 3600
    )
    streamer = SimpleNamespace(
        subscriptions=[subscription],
        all_subscriptions=[subscription],
        keys={"Acme": key},
        tokens={"Globex": token},
    )
    store = SimpleNamespace(counts=lambda: {"device": 4}, dropped=Counter({"wireless_client": 2}))
    ingest = SimpleNamespace(
        stats=SimpleNamespace(decode_errors=Counter({("monitoring", "bad_payload"): 1})),
        stores={"Acme": store},
    )
    return streamer, ingest


def _busy_inventories() -> Any:
    """One customer's device-context sync with something in every counter."""
    sync = SimpleNamespace(
        stats=SimpleNamespace(last_duration=0.4, failures=Counter({"network": 1})),
        limiter=SimpleNamespace(calls=4, waits=1, budget=SimpleNamespace(remaining_day=4990)),
        devices=lambda: [object()] * 6,
    )
    return SimpleNamespace(syncs={"Acme": sync})


def _busy_exports() -> TelemetryStats:
    stats = TelemetryStats.new()
    stats.metrics.record_export(True, 10, 0.05, None)
    stats.logs.record_export(False, 5, 0.5, "failed")
    return stats


def _busy_queue() -> QueueStatus:
    return QueueStatus(
        storage="disk", path="/var/lib/central-otel/events/events.db", storage_error=None,
        disk_records=120, disk_bytes=60_000, memory_records=0, memory_bytes=0,
        oldest_accepted=0.0, accepted=1000, delivered=870, retried=300,
        resent_after_restart=0, dropped={DropReason.QUEUE_FULL: 10},
    )  # fmt: skip


def self_metrics() -> dict[str, tuple[str, str, frozenset[str]]]:
    """OTel name -> (instrument, unit, attribute names) of every SelfMetrics instrument,
    export self-metrics included, attributes as its callbacks report them."""
    meter = _RecordingMeter()
    streamer, ingest = _busy_bridge()
    SelfMetrics(
        cast(Any, meter),
        streamer,
        ingest,
        _busy_exports(),
        events=_busy_queue,
        inventories=_busy_inventories(),
    )
    found: dict[str, tuple[str, str, frozenset[str]]] = {}
    for instrument in meter.instruments:
        attributes: set[str] = set()
        observed = 0
        for callback in instrument.callbacks:
            for observation in callback(None):
                observed += 1
                attributes.update(observation.attributes or {})
        assert observed, f"{instrument.name} reported no observation"
        found[instrument.name] = (instrument.kind, instrument.unit, frozenset(attributes))
    return found


# -- everything Prometheus receives --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromMetric:
    otel_name: str
    labels: frozenset[str]


def exported_metrics() -> dict[str, PromMetric]:
    """Prometheus metric name -> its OTel name and label names."""
    customer = set(CUSTOMER_NAMES)
    result: dict[str, PromMetric] = {}

    def add(name: str, unit: str, kind: str, attributes: Iterable[str]) -> None:
        prom = metric_name(name, unit, kind)
        assert prom not in result, f"{name} and {result[prom].otel_name} are both {prom}"
        labels = frozenset(label_name(a) for a in attributes) | RESOURCE_LABELS
        result[prom] = PromMetric(name, labels)

    for spec in METRICS:
        attributes = set(SOURCES[spec.source][1]) | customer
        for series in spec.series:
            attributes.update(series.attributes)
        add(spec.name, spec.unit, spec.instrument.value, attributes)
    for aggregate in AGGREGATES:
        add(aggregate.name, aggregate.unit, UPDOWN, set(aggregate.group_attributes) | customer)
    for name, (kind, unit, observed) in self_metrics().items():
        add(name, unit, kind, observed)
    return result


# -- PromQL, just enough to find the metric and label names an expression uses -------------

_KEYWORDS = frozenset(
    {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right"}
    | {"offset", "bool", "inf", "nan", "atan2", "start", "end"}
)
_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_AGGREGATIONS = frozenset(
    {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values"}
    | {"bottomk", "topk", "quantile", "limitk", "limit_ratio"}
)
_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
      | (?P<number>\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])?(?:\d+(?:ms|[smhdwy]))*)
      | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
      | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=(){}\[\],:@])
      | (?P<space>\s+)""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Selector:
    """A metric selector of an expression, with the labels matched in its braces."""

    metric: str
    labels: frozenset[str]


@dataclass(slots=True)
class PromQLNames:
    selectors: list[Selector] = field(default_factory=list)
    grouping_labels: set[str] = field(default_factory=set)  # by (...), on (...), ...


def promql_names(expr: str) -> PromQLNames:
    """The metric selectors and grouping labels of a PromQL expression.

    Grafana variables (`$__rate_interval`, `${customer}`, `$ap`) are read as a duration
    or a plain value first.
    """
    expr = re.sub(r"\$__\w+|\$\{__\w+\}", "5m", expr)
    expr = re.sub(r"\$\{\w+(?::\w+)?\}|\$\w+", "x", expr)
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expr):
        match = _TOKEN.match(expr, position)
        if match is None:
            raise ValueError(f"cannot read {expr[position:]!r} in {expr!r}")
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append((kind, match.group()))
    names = PromQLNames()
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "ident" and text in _GROUPING:
            i += 1
            if i < len(tokens) and tokens[i][1] == "(":
                i += 1
                while tokens[i][1] != ")":
                    if tokens[i][0] == "ident":
                        names.grouping_labels.add(tokens[i][1])
                    i += 1
            continue
        if (
            kind == "ident"
            and text not in _KEYWORDS
            and text not in _AGGREGATIONS
            and following != "("
        ):
            labels, i = _matchers(tokens, i + 1)
            names.selectors.append(Selector(text, labels))
            continue
        if kind == "op" and text == "{":
            raise ValueError(f"a selector without a metric name in {expr!r}")
        i += 1
    return names


def _matchers(tokens: list[tuple[str, str]], i: int) -> tuple[frozenset[str], int]:
    labels: set[str] = set()
    if i < len(tokens) and tokens[i][1] == "{":
        i += 1
        while tokens[i][1] != "}":
            if tokens[i][0] == "ident" and tokens[i + 1][1] in {"=", "!=", "=~", "!~"}:
                labels.add(tokens[i][1])
            i += 1
        i += 1
    return frozenset(labels), i
