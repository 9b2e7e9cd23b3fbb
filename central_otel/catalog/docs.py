"""Generates docs/metrics.md from the catalogues (as collector receivers generate
documentation.md from metadata.yaml). `python -m central_otel.catalog.docs` writes
it; `--check` exits 1 when the committed file is out of date."""

from __future__ import annotations

import sys
from pathlib import Path

from central_otel.catalog.attributes import CUSTOMER_NAMES, SOURCES
from central_otel.catalog.docs_events import events_intro_markdown, events_table_markdown
from central_otel.catalog.markdown import code_list, table
from central_otel.catalog.metrics import AGGREGATES, METRICS, MetricSpec
from central_otel.catalog.new_central_sources import METRIC_SOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"

HEADER = """\
# Metrics and events

Generated from `central_otel/catalog/` by `python -m central_otel.catalog.docs`; do not
edit by hand (a test fails when this file and the catalogues disagree).

Every data point carries `aruba.customer.name` (the configured customer) and
`aruba.customer.id` (Central's id). Device identity attributes follow OpenTelemetry's
host conventions: `host.id` (serial), `host.name`, `host.mac` (`AA-BB-CC-DD-EE-FF`),
`host.ip`, plus `hw.model` and `aruba.device.type` (`ap`, `switch`, `gateway`). They are
data-point attributes; the Collector's `groupbyattrs` processor can promote them to one
resource per device.

Any metric or event can be turned off by name with `metrics.disabled`. Per-client
metrics need `metrics.per_client: true`.

**Both platforms.** Classic Central and New Central feed the same metrics and events:
the tables give each one's Classic source and its New Central source (see
docs/new-central.md; "—": New Central's streams carry nothing for it). New Central
adds the device's site, `aruba.site.id` and `aruba.site.name`, to every device-scoped
series and event whose stream tells it (switch payloads carry the site name, client
payloads the site id of the AP or switch the client is on, alerts both).

**How long a series lives.** Metrics are read from the entity store at each export, so
a series exists exactly while its entity does: a stats series (from a `*Stats`
message) stops after `metrics.series_ttl` without a fresh message (a device that went
down or away); a state entity (device, radio, client...) stays until Central sends its
DELETE or `metrics.state_ttl` passes. A DELETE also removes the stats series that
belong to that entity (a departed client's signal strength, a removed device's CPU)
at the next export: no ghost series. An entity that comes back is a new series (a new
start time for its counters). A device's counters that go down (a reboot) are carried
over, so exported counters stay monotonic.

## Device context

With a customer's `inventory` ([device-context.md](device-context.md)), every
device-scoped data point and event record (the device's own series, its radios',
ports', VAPs', tunnels' probes and clients', and the client counts per AP) also
carries the device's context from Central's REST inventory:

| attribute | type | meaning |
|---|---|---|
| `aruba.site.name` | string | the device's site; absent when it has none |
| `aruba.group.name` | string | its configuration group |
| `aruba.device.labels` | string array | its labels, sorted; absent when it has none |

The inventory's name, model and type also fill `host.name`, `hw.model` and
`aruba.device.type` until the streams say them (a device seen in statistics before
its state message). The context comes from the inventory, not from the streams: it can
lag a site move, a regrouping or a label change by up to the inventory's `interval`.
Where New Central's streams say a device's site (`aruba.site.id`, `aruba.site.name`,
above), that wins over the inventory's site name: it is the fresher of the two.

**No new series.** Each attribute has one value per device, so context adds no series:
it goes on the series that exist. When Central's inventory changes (a site renamed, a
device moved, a label added) the device's series get the new attribute set at the next
sync: in Prometheus-like backends that is a new series (the old one ends), as a
renamed device would be.

**Labels as one string array.** A device has any number of labels, with any
characters, chosen by each customer. As one attribute per label
(`aruba.device.label.<name>`), every customer's label names would become attribute
names: label names with spaces or punctuation collide once backends sanitise them
(`floor 1` and `floor-1` are both `aruba_device_label_floor_1` in Prometheus), the set
of attribute keys grows with every label anyone creates (a mapping explosion in
document stores such as Elasticsearch or OpenSearch, whose indices cap their fields,
and new columns in columnar stores), and no dashboard can list them. One string
array keeps one attribute name whatever the labels: backends with typed attributes
(Elasticsearch, OpenSearch, ClickHouse, Honeycomb, most OTLP-native stores) keep the
array and filter by element; Prometheus-based backends (Prometheus' OTLP receiver,
Mimir, the Collector's `prometheus`/`prometheusremotewrite` exporters) turn it into one
label holding its JSON text, `aruba_device_labels="[\"floor-1\",\"lobby\"]"`, which a
regular expression matches: `{aruba_device_labels=~".*\"lobby\".*"}`. Sorting makes the
same labels the same value (one series).
"""


def _attributes(spec: MetricSpec) -> str:
    names = dict.fromkeys(SOURCES[spec.source][1])
    for series in spec.series:
        names.update(dict.fromkeys(series.attributes))
    return code_list(names)


METRIC_COLUMNS = (
    "name",
    "instrument",
    "unit",
    "description",
    "Classic source (message: fields)",
    "New Central source",
    "attributes",
    "default",
)


def metrics_table() -> str:
    rows = [
        (
            f"`{spec.name}`",
            spec.instrument.value,
            f"`{spec.unit}`",
            spec.description,
            f"{spec.message}: {spec.fields}",
            METRIC_SOURCES[spec.name] or "—",
            _attributes(spec),
            "per-client opt-in" if spec.per_client else "on",
        )
        for spec in METRICS
    ]
    rows.extend(
        (
            f"`{agg.name}`",
            "updowncounter",
            f"`{agg.unit}`",
            agg.description,
            f"{agg.message} (count of entities)",
            METRIC_SOURCES[agg.name] or "—",
            code_list(agg.group_attributes),
            "on",
        )
        for agg in AGGREGATES
    )
    return table(METRIC_COLUMNS, rows)


def events_section() -> str:
    return (
        "\n## Events (OpenTelemetry log records)\n\n"
        + events_intro_markdown()
        + "\n"
        + events_table_markdown()
    )


def render() -> str:
    intro = f"\n## Metrics\n\nAll metrics also carry {code_list(CUSTOMER_NAMES)}.\n\n"
    return HEADER + intro + metrics_table() + events_section()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{DOC} is out of date: run python -m central_otel.catalog.docs\n")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
