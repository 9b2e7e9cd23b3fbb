"""The metric catalogue as OpenTelemetry observable instruments.

Observable instruments export only what their callback yields at each
collection, so a deleted or expired entity's series simply stops (a synchronous
instrument would re-export every attribute set it ever saw). Callbacks run on the
SDK's export thread and read the stores through `catalog.collect`.

This is the SDK path; the catalogue and stores do not depend on it, so a direct
OTLP writer can read the same stores (see the performance issue).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from opentelemetry.metrics import CallbackOptions, Meter, Observation

from central_otel.catalog.collect import (
    MetricOptions,
    Point,
    collect_aggregate,
    collect_metric,
    enabled_aggregates,
    enabled_metrics,
)
from central_otel.catalog.metrics import AggregateSpec, Instrument, MetricSpec
from central_otel.state.store import EntityStore
from central_otel.streaming.failure_log import FailureLog

log = logging.getLogger(__name__)

StoresFn = Callable[[], Iterable[EntityStore]]


class MetricsBridge:
    def __init__(self, meter: Meter, stores: StoresFn, options: MetricOptions) -> None:
        self._stores = stores
        self._failures = FailureLog(log)
        self.instruments: list[str] = []
        for spec in enabled_metrics(options):
            self._register(meter, spec, spec.instrument)
        for agg in enabled_aggregates(options):
            self._register(meter, agg, Instrument.UPDOWN)

    def _register(
        self, meter: Meter, spec: MetricSpec | AggregateSpec, instrument: Instrument
    ) -> None:
        callback = partial(self._observe, spec)
        name, unit, description = spec.name, spec.unit, spec.description
        if instrument is Instrument.GAUGE:
            meter.create_observable_gauge(name, [callback], unit=unit, description=description)
        elif instrument is Instrument.COUNTER:
            meter.create_observable_counter(name, [callback], unit=unit, description=description)
        else:
            meter.create_observable_up_down_counter(
                name, [callback], unit=unit, description=description
            )
        self.instruments.append(name)

    def _observe(
        self, spec: MetricSpec | AggregateSpec, options: CallbackOptions
    ) -> list[Observation]:
        try:
            points: list[Point]
            if isinstance(spec, MetricSpec):
                points = collect_metric(spec, self._stores())
            else:
                points = collect_aggregate(spec, self._stores())
        except Exception as err:  # one metric's bug must not cost the others
            self._failures.failure(
                logging.ERROR,
                f"{spec.name}:{type(err).__name__}",
                f"metric {spec.name}: collection failed ({type(err).__name__}: {err}); "
                "its points are skipped this cycle",
            )
            return []
        return [Observation(value, attrs) for value, attrs in points]
