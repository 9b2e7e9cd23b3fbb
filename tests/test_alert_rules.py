"""The Prometheus alerting rules of examples/alerts: promtool, and the names they use.

`promtool check rules` and `promtool test rules` run when promtool is available
(scripts/check-alerts installs it in CI; with CI=true a missing promtool fails instead
of skipping). The metric and label names of every expression, and of every test
series, must be ones Prometheus derives from the metric catalogue and the
self-metrics (tests/prometheus_names.py), so renaming a metric breaks this test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.prometheus_names import (
    COUNTER,
    GAUGE,
    RESOURCE_LABELS,
    UPDOWN,
    PromMetric,
    exported_metrics,
    metric_name,
    promql_names,
    self_metrics,
)

ROOT = Path(__file__).resolve().parents[1]
ALERTS = ROOT / "examples" / "alerts"
RULES = ALERTS / "central-otel-rules.yaml"
RULE_TESTS = sorted(ALERTS.glob("*.test.yaml"))
OPERATING = ROOT / "docs" / "operating.md"
PROMETHEUS_OWN = {"up"}  # Prometheus' own series, in the "no data at all" test


def _promtool() -> str | None:
    found = shutil.which("promtool")
    if found:
        return found
    beside = Path(sys.executable).parent / "promtool"  # scripts/check-alerts puts it here
    return str(beside) if beside.is_file() else None


@pytest.fixture(scope="module")
def promtool() -> str:
    path = _promtool()
    if path is None:
        message = "promtool is not installed (scripts/check-alerts installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must run the rule tests")
        pytest.skip(message)
    return path


def _run(promtool: str, *args: str) -> str:
    result = subprocess.run(
        [promtool, *args],
        cwd=ALERTS,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_promtool_check_rules(promtool: str) -> None:
    output = _run(promtool, "check", "rules", RULES.name)
    assert "SUCCESS" in output


def test_promtool_test_rules(promtool: str) -> None:
    assert RULE_TESTS
    output = _run(promtool, "test", "rules", *(path.name for path in RULE_TESTS))
    assert output.count("SUCCESS") == len(RULE_TESTS), output


# -- the rules themselves, without promtool -----------------------------------------------


def _rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def _alert_tests() -> list[tuple[str, dict[str, Any]]]:
    """(test group name, alert_rule_test entry) over every test file."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in RULE_TESTS:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert document["rule_files"] == [RULES.name]
        for group in document["tests"]:
            found.extend((group["name"], case) for case in group.get("alert_rule_test", []))
    return found


@pytest.fixture(scope="module")
def metrics() -> dict[str, PromMetric]:
    return exported_metrics()


@pytest.mark.parametrize(
    ("name", "unit", "instrument", "expected"),
    [
        # The examples of prometheus/otlptranslator's documentation.
        ("http.server.request.duration", "s", "histogram", "http_server_request_duration_seconds"),
        ("requests.count", "1", COUNTER, "requests_count_total"),
        ("memory.usage", "By", GAUGE, "memory_usage_bytes"),
        # Ours: unit words, _total, _ratio only for gauges of unit 1, braces add nothing,
        # a unit already in the name is not repeated, per-units.
        ("aruba.radio.utilization", "1", GAUGE, "aruba_radio_utilization_ratio"),
        ("aruba.device.status", "1", UPDOWN, "aruba_device_status"),
        ("system.network.errors", "{error}", COUNTER, "system_network_errors_total"),
        ("system.network.io", "By", COUNTER, "system_network_io_bytes_total"),
        ("central_otel.bytes.received", "By", COUNTER, "central_otel_bytes_received_total"),
        ("aruba.radio.noise_floor", "dBm", GAUGE, "aruba_radio_noise_floor_dBm"),
        ("aruba.device.temperature", "Cel", GAUGE, "aruba_device_temperature_celsius"),
        ("aruba.client.link_speed", "bit/s", GAUGE, "aruba_client_link_speed_bit_per_second"),
        ("aruba.client.count", "{client}", UPDOWN, "aruba_client_count"),
        ("central_otel.frame.age", "s", GAUGE, "central_otel_frame_age_seconds"),
    ],
)
def test_translation(name: str, unit: str, instrument: str, expected: str) -> None:
    assert metric_name(name, unit, instrument) == expected


def test_header_examples_follow_the_translation() -> None:
    comment = " ".join(
        line.lstrip("#").strip()
        for line in RULES.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    assert "UnderscoreEscapingWithSuffixes" in comment
    examples = re.findall(r"([\w.]+) \((gauge|counter), ([^)]+)\) is (\w+)", comment)
    assert len(examples) >= 4
    for name, instrument, unit, prometheus in examples:
        assert metric_name(name, unit, instrument) == prometheus


def _check_expression(expr: str, metrics: dict[str, PromMetric], allowed: set[str]) -> None:
    names = promql_names(expr)
    assert names.selectors, expr
    available: set[str] = set()
    for selector in names.selectors:
        if selector.metric in allowed:
            continue
        assert selector.metric in metrics, f"{selector.metric} is not an exported metric: {expr}"
        labels = metrics[selector.metric].labels
        assert selector.labels <= labels, f"{selector.metric} has no {selector.labels - labels}"
        available |= labels
    missing = names.grouping_labels - available - RESOURCE_LABELS
    assert not missing, f"grouping by {missing}, which no selected metric has: {expr}"


def test_rules_use_exported_metrics_and_labels(metrics: dict[str, PromMetric]) -> None:
    for rule in _rules():
        _check_expression(rule["expr"], metrics, set())


def test_test_series_are_exported_metrics(metrics: dict[str, PromMetric]) -> None:
    for path in RULE_TESTS:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in document["tests"]:
            for series in group["input_series"]:
                _check_expression(series["series"], metrics, PROMETHEUS_OWN)


def test_every_alert_is_tested_firing_and_quiet() -> None:
    alerts = {rule["alert"] for rule in _rules()}
    firing = {case["alertname"] for _, case in _alert_tests() if case["exp_alerts"]}
    quiet = {case["alertname"] for _, case in _alert_tests() if not case["exp_alerts"]}
    assert alerts - firing == set(), "never shown firing"
    assert alerts - quiet == set(), "never shown quiet"
    assert (firing | quiet) <= alerts


def test_the_issue_s_alerts_are_there() -> None:
    alerts = {rule["alert"] for rule in _rules()}
    assert {
        "ArubaApDown",
        "ArubaRadioChannelUtilizationHigh",
        "ArubaInterfaceErrorsRising",
        "CentralOtelSubscriptionDown",
        "CentralOtelKeyRefused",
        "CentralOtelKeyRenewalOverdue",
        "CentralOtelKeyValidationStalled",
        "CentralOtelExportFailing",
        "CentralOtelDecodeErrorsRising",
        "CentralOtelEntitiesDropped",
    } <= alerts


def test_rules_have_severity_summary_and_description() -> None:
    for rule in _rules():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert {"summary", "description"} <= set(rule["annotations"]), rule["alert"]
        assert re.fullmatch(r"[A-Z][A-Za-z]+", rule["alert"])
        runbook = rule["annotations"].get("runbook")
        if runbook is not None:
            path, _, anchor = runbook.partition("#")
            text = (ROOT / path).read_text(encoding="utf-8")
            headings = {
                re.sub(r"[^\w\- ]", "", line.lstrip("#").strip()).lower().replace(" ", "-")
                for line in text.splitlines()
                if line.startswith("#")
            }
            assert anchor in headings, f"{runbook}: no such heading"


def test_operating_doc_lists_every_self_metric_with_its_prometheus_name() -> None:
    rows = {}
    for line in OPERATING.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        if line.startswith("| `central_otel.") and len(cells) == 5:
            rows[cells[0]] = (cells[1], cells[2], cells[4])
    expected = {name: (kind, unit) for name, (kind, unit, _) in self_metrics().items()}
    assert set(rows) == set(expected)
    for name, (kind, unit) in expected.items():
        assert rows[name] == (kind, unit, metric_name(name, unit, kind)), name
