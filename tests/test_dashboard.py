"""The Grafana dashboard of examples/grafana: valid, complete, and on real metric names.

Every PromQL expression (panel targets and template variables) may only use metric
and label names Prometheus derives from the metric catalogue and the self-metrics
(tests/prometheus_names.py, the translation the alert rules assume), so renaming a
metric breaks this test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.prometheus_names import RESOURCE_LABELS, PromMetric, exported_metrics, promql_names

DASHBOARD = (
    Path(__file__).resolve().parents[1] / "examples" / "grafana" / "central-otel-dashboard.json"
)
DATASOURCE = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
ROWS = ["Estate overview", "RF health", "Client experience", "Collector health"]
GRID_WIDTH = 24


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    value = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


@pytest.fixture(scope="module")
def metrics() -> dict[str, PromMetric]:
    return exported_metrics()


def all_panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows and the panels of collapsed rows included."""
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def graph_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [panel for panel in all_panels(dashboard) if panel["type"] != "row"]


def variable_queries(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    queries = []
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            query = variable["query"]
            queries.append((variable["name"], query["query"] if isinstance(query, dict) else query))
    return queries


def test_is_a_recent_dashboard_with_a_datasource_variable(dashboard: dict[str, Any]) -> None:
    assert dashboard["schemaVersion"] >= 39
    assert dashboard["uid"] == "central-otel"
    assert dashboard["title"]
    (datasource,) = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert datasource["name"] == "DS_PROMETHEUS"
    assert datasource["query"] == "prometheus"
    for panel in graph_panels(dashboard):
        assert panel["datasource"] == DATASOURCE, panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == DATASOURCE, panel["title"]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"] == DATASOURCE, variable["name"]


def test_panels_have_unique_ids_titles_and_targets(dashboard: dict[str, Any]) -> None:
    ids = [panel["id"] for panel in all_panels(dashboard)]
    assert all(isinstance(i, int) for i in ids)
    assert len(ids) == len(set(ids)), "duplicate panel ids"
    titles = [panel["title"] for panel in graph_panels(dashboard)]
    assert len(titles) == len(set(titles)), "duplicate panel titles"
    for panel in graph_panels(dashboard):
        assert panel["targets"], f"{panel['title']} has no target"
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip(), panel["title"]


def test_rows_in_order(dashboard: dict[str, Any]) -> None:
    rows = [panel["title"] for panel in dashboard["panels"] if panel["type"] == "row"]
    assert rows == ROWS


def test_layout_fits_the_grid_without_overlaps(dashboard: dict[str, Any]) -> None:
    taken: dict[tuple[int, int], str] = {}
    for panel in all_panels(dashboard):
        grid = panel["gridPos"]
        assert grid["x"] >= 0
        assert grid["w"] > 0
        assert grid["x"] + grid["w"] <= GRID_WIDTH
        assert grid["h"] > 0
        assert grid["y"] >= 0
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                other = taken.setdefault((x, y), panel["title"])
                assert other == panel["title"], f"{panel['title']} overlaps {other}"


def _check(expr: str, metrics: dict[str, PromMetric], where: str) -> None:
    names = promql_names(expr)
    assert names.selectors, f"{where}: no metric in {expr}"
    available: set[str] = set()
    for selector in names.selectors:
        assert selector.metric in metrics, f"{where}: {selector.metric} is not exported"
        labels = metrics[selector.metric].labels
        assert selector.labels <= labels, (
            f"{where}: {selector.metric} has no {selector.labels - labels}"
        )
        available |= labels
    missing = names.grouping_labels - available - RESOURCE_LABELS
    assert not missing, f"{where}: grouping by {missing}, which no selected metric has"


def test_every_expression_uses_exported_metrics_and_labels(
    dashboard: dict[str, Any], metrics: dict[str, PromMetric]
) -> None:
    for panel in graph_panels(dashboard):
        for target in panel["targets"]:
            _check(target["expr"], metrics, panel["title"])


def test_template_variables_use_exported_metrics_and_labels(
    dashboard: dict[str, Any], metrics: dict[str, PromMetric]
) -> None:
    queries = variable_queries(dashboard)
    assert {name for name, _ in queries} == {"customer", "site", "ap"}
    for name, query in queries:
        match = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", query)
        assert match, f"{name}: {query}"
        selector, label = match.groups()
        _check(selector, metrics, name)
        (metric,) = promql_names(selector).selectors
        assert label in metrics[metric.metric].labels, f"{name}: {metric.metric} has no {label}"


def test_variables_used_are_defined(dashboard: dict[str, Any]) -> None:
    defined = {variable["name"] for variable in dashboard["templating"]["list"]}
    text = json.dumps(dashboard["panels"]) + json.dumps(variable_queries(dashboard))
    used = set(re.findall(r"\$\{?(\w+)", text))
    assert used - defined - {"__rate_interval", "__interval", "__range"} == set()


def test_covers_the_estate_the_radios_the_clients_and_the_bridge(dashboard: dict[str, Any]) -> None:
    used = {
        selector.metric
        for panel in graph_panels(dashboard)
        for target in panel["targets"]
        for selector in promql_names(target["expr"]).selectors
    }
    assert {
        "aruba_device_status",
        "aruba_client_count",
        "aruba_radio_utilization_ratio",
        "aruba_radio_noise_floor_dBm",
        "aruba_radio_tx_power_dBm",
        "aruba_client_signal_strength_dBm",
        "central_otel_subscription_up_ratio",
        "central_otel_frames_received_total",
        "central_otel_reconnects_total",
        "central_otel_decode_errors_total",
        "central_otel_key_validations_total",
        "central_otel_export_failures_total",
        "central_otel_events_queue_records",
        "central_otel_events_queue_age_seconds",
        "central_otel_events_dropped_total",
    } <= used


def test_collector_health_shows_the_event_backlog(dashboard: dict[str, Any]) -> None:
    (panel,) = [p for p in graph_panels(dashboard) if p["title"] == "Event backlog"]
    exprs = [target["expr"] for target in panel["targets"]]
    assert exprs == [
        "sum by (instance, storage) (central_otel_events_queue_records)",
        "max by (instance) (central_otel_events_queue_age_seconds)",
    ]
    rows = [p for p in dashboard["panels"] if p["type"] == "row"]
    health = next(r for r in rows if r["title"] == "Collector health")
    assert panel["gridPos"]["y"] > health["gridPos"]["y"]


def test_every_estate_panel_follows_the_site_variable(dashboard: dict[str, Any]) -> None:
    """Device context (docs/device-context.md): the estate, RF and client panels are
    filtered by site; the bridge's own panels are not (they have no site)."""
    (site,) = [v for v in dashboard["templating"]["list"] if v["name"] == "site"]
    assert site["query"]["query"] == (
        'label_values(aruba_device_status{aruba_customer_name=~"$customer"}, aruba_site_name)'
    )
    assert (site["includeAll"], site["multi"], site["allValue"]) == (True, True, ".*")
    for panel in graph_panels(dashboard):
        for target in panel["targets"]:
            on_the_bridge = "central_otel_" in target["expr"]
            assert ('aruba_site_name=~"$site"' in target["expr"]) != on_the_bridge, panel["title"]
    titles = {panel["title"] for panel in graph_panels(dashboard)}
    assert {"Devices down by site", "Wireless clients by site"} <= titles
