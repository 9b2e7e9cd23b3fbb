"""Generates docs/metrics.md from the catalogues (as collector receivers generate
documentation.md from metadata.yaml). `python -m central_otel.catalog.docs` writes
it; `--check` exits 1 when the committed file is out of date."""

from __future__ import annotations

import sys
from pathlib import Path

from central_otel.catalog.attributes import CUSTOMER_NAMES, SOURCES
from central_otel.catalog.docs_events import events_intro_markdown, events_table_markdown
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
"""


def _attributes(spec: MetricSpec) -> str:
    names = dict.fromkeys(SOURCES[spec.source][1])
    for series in spec.series:
        names.update(dict.fromkeys(series.attributes))
    return ", ".join(f"`{name}`" for name in names)


def metrics_table() -> str:
    rows = [
        "| name | instrument | unit | description | Classic source (message: fields) "
        "| New Central source | attributes | default |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for spec in METRICS:
        default = "per-client opt-in" if spec.per_client else "on"
        rows.append(
            f"| `{spec.name}` | {spec.instrument.value} | `{spec.unit}` | {spec.description} | "
            f"{spec.message}: {spec.fields} | {METRIC_SOURCES[spec.name] or '—'} | "
            f"{_attributes(spec)} | {default} |"
        )
    for agg in AGGREGATES:
        attrs = ", ".join(f"`{name}`" for name in agg.group_attributes)
        rows.append(
            f"| `{agg.name}` | updowncounter | `{agg.unit}` | {agg.description} | "
            f"{agg.message} (count of entities) | {METRIC_SOURCES[agg.name] or '—'} | "
            f"{attrs} | on |"
        )
    return "\n".join(rows) + "\n"


def events_section() -> str:
    return (
        "\n## Events (OpenTelemetry log records)\n\n"
        + events_intro_markdown()
        + "\n"
        + events_table_markdown()
    )


def render() -> str:
    customer = ", ".join(f"`{n}`" for n in CUSTOMER_NAMES)
    intro = f"\n## Metrics\n\nAll metrics also carry {customer}.\n\n"
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
