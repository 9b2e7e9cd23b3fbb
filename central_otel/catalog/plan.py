"""The catalogue compiled for export: per entity source, what to read and how to name it.

`compile_plan` turns the metric and aggregate catalogues plus the user's options into
an `ExportPlan`: the enabled metrics in catalogue order, grouped by the store class
they read (`SourcePlan`: its attribute function, its metrics and their series), and
the enabled aggregates with their grouping. An encoder walks the plan; it never needs
to know which catalogue entry is which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from central_otel.catalog.attributes import SOURCES, AttributeFn
from central_otel.catalog.metrics import AGGREGATES, METRICS, AggregateSpec, MetricSpec
from central_otel.state.entities import ENTITY_CLASSES, Kind


@dataclass(frozen=True, slots=True)
class MetricOptions:
    per_client: bool
    """Per-client series (`MetricSpec.per_client`) are exported."""
    disabled: frozenset[str] = field(default_factory=frozenset)
    """Metric names turned off."""


@dataclass(frozen=True, slots=True)
class SourcePlan:
    """The enabled metrics that read one store class, and how its entities are named."""

    source: str
    attributes: AttributeFn
    metrics: tuple[MetricSpec, ...]


@dataclass(frozen=True, slots=True)
class ExportPlan:
    metrics: tuple[MetricSpec, ...]
    """Every enabled metric, in catalogue order (the order they are written in)."""
    sources: tuple[SourcePlan, ...]
    """The same metrics by source, sources in order of first use."""
    aggregates: tuple[AggregateSpec, ...]

    @property
    def metric_names(self) -> list[str]:
        return [spec.name for spec in self.metrics] + [agg.name for agg in self.aggregates]

    @property
    def series_attribute_names(self) -> frozenset[str]:
        """Every attribute name a series adds to its entity's attributes."""
        return frozenset(
            name for spec in self.metrics for series in spec.series for name in series.attributes
        )

    def unread_stats(self, also_read: Iterable[str] = ()) -> frozenset[str]:
        """The monitoring stats classes that neither this plan nor `also_read` (a view's
        classes) reads: the stores need not keep them. State classes are always kept:
        attributes, events and deletions read them."""
        read = {source.source for source in self.sources}
        read.update(agg.source for agg in self.aggregates)
        read.update(also_read)
        return frozenset(
            cls.name for cls in ENTITY_CLASSES if cls.kind is Kind.STATS and cls.name not in read
        )


def compile_plan(options: MetricOptions) -> ExportPlan:
    """The plan of the metrics `options` enable."""
    metrics = tuple(
        spec
        for spec in METRICS
        if spec.name not in options.disabled and (options.per_client or not spec.per_client)
    )
    by_source: dict[str, list[MetricSpec]] = {}
    for spec in metrics:
        by_source.setdefault(spec.source, []).append(spec)
    return ExportPlan(
        metrics=metrics,
        sources=tuple(
            SourcePlan(source, SOURCES[source][0], tuple(specs))
            for source, specs in by_source.items()
        ),
        aggregates=tuple(agg for agg in AGGREGATES if agg.name not in options.disabled),
    )
