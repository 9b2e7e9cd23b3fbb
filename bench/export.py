"""Export: data points/s for collect + encode + serialise of N live series.

Ours: `export.OtlpMetricEncoder` (requests as bytes, ready to send), in the
steady state and after a state change (caches revalidated). Baseline: the same
plan through the SDK (`export.sdk_reference`): observable instruments collected by
an SDK reader, then encoded and serialised by the OTLP exporter's own encoder.

Then the same store with device context (docs/device-context.md: every device's
site, group and labels from the inventory, as the simulator's REST API lists them):
the same cycles, plus one after a sync that moved every device to another site
(every attribute set rebuilt), against the cycles without context of the same run.
"""

from __future__ import annotations

from dataclasses import replace

from bench.stores import PLAN, fill, frames_for, inventory_for, new_store
from bench.timing import Timing, best_of, rate
from central_otel.export.encoder import EncodeLimits, OtlpMetricEncoder
from central_otel.export.sdk_reference import SdkReference
from central_otel.state.store import EntityStore
from central_otel.telemetry.resource import build_resource


def encoder() -> OtlpMetricEncoder:
    return OtlpMetricEncoder(PLAN, build_resource(), EncodeLimits())


def sdk_cycle(store: EntityStore) -> SdkReference:
    return SdkReference(PLAN, lambda: [store], build_resource(), 10_000_000)


def sdk_export(sdk: SdkReference) -> int:
    return len(sdk.request().SerializeToString())


def _line(label: str, points: int, t: Timing) -> str:
    return f"  {label}: {rate(points, t.cpu)} points ({t.cpu:.3f} s CPU per cycle)"


def _size(size: int, quick: bool, sdk_rate: float | None) -> tuple[list[str], float]:
    """Figures for one size; returns them and the SDK baseline's steady points/s."""
    store = fill(new_store(), frames_for(size))
    ours = encoder()

    def encode() -> None:
        ours.encode([store])

    def bump() -> None:
        store.version += 1  # as after any state change: every cache is revalidated

    first = best_of(1, encode)
    points = ours.encode([store]).total_points
    repeat = 2 if quick or size >= 1_000_000 else 5
    steady = best_of(repeat, encode)
    changed = best_of(repeat, encode, setup=bump)
    lines = [
        f"{points} live series ({size // 1000}k target):",
        _line("direct, first cycle (attributes built)", points, first),
        _line("direct, steady state", points, steady),
        _line("direct, after a state change", points, changed),
    ]
    if sdk_rate is not None:
        # ~4 KiB and ~0.1 ms per series: 1 M would take minutes and ~4.5 GiB; the
        # SDK baseline's per-point cost is flat, so its smaller-size rate stands in.
        lines.append(
            f"  baseline SDK reference: {sdk_rate / 1000:.0f} k/s points (measured at 100k)"
        )
        lines.append(f"  ratio: {points / steady.cpu / sdk_rate:.1f}x the baseline (steady)")
        return lines + _with_context(store, size, repeat, points, (first, steady, changed)), (
            sdk_rate
        )
    reference = sdk_cycle(store)

    def sdk() -> None:
        sdk_export(reference)

    sdk()  # the first collection creates the SDK's per-series state
    base = best_of(1 if size >= 100_000 else repeat, sdk)
    base_changed = best_of(1, sdk, setup=bump)
    reference.shutdown()
    lines += [
        _line("baseline SDK reference (collect + OTLP encode + serialise)", points, base),
        _line("baseline SDK reference, after a state change", points, base_changed),
        f"  ratio: {base.cpu / steady.cpu:.1f}x the baseline (steady), "
        f"{base_changed.cpu / changed.cpu:.1f}x (after a state change)",
    ]
    return lines + _with_context(store, size, repeat, points, (first, steady, changed)), (
        points / base.cpu
    )


def _with_context(
    store: EntityStore,
    size: int,
    repeat: int,
    points: int,
    without: tuple[Timing, Timing, Timing],
) -> list[str]:
    """The cycles again once the store has the estate's device context."""
    inventory = inventory_for(size)
    moved = [replace(device, site=f"{device.site} (moved)") for device in inventory]
    store.replace_inventory(inventory)
    ours = encoder()
    flip = [moved, inventory]

    def encode() -> None:
        ours.encode([store])

    def bump() -> None:
        store.version += 1

    def sync_moving_every_site() -> None:
        flip.reverse()
        store.replace_inventory(flip[0])

    first = best_of(1, encode)
    with_context = ours.encode([store]).total_points
    assert with_context == points, "device context must add no series"
    steady = best_of(repeat, encode)
    changed = best_of(repeat, encode, setup=bump)
    resited = best_of(repeat, encode, setup=sync_moving_every_site)
    ratios = ", ".join(
        f"{label} {t.cpu / base.cpu:.2f}x"
        for label, t, base in zip(
            ("first cycle", "steady", "after a state change"),
            (first, steady, changed),
            without,
            strict=True,
        )
    )
    return [
        f"  with device context ({len(inventory)} devices: site, group, labels; "
        f"{with_context} points, no new series):",
        _line("  direct, first cycle (attributes built)", points, first),
        _line("  direct, steady state", points, steady),
        _line("  direct, after a state change", points, changed),
        _line("  direct, after a sync moving every device to another site", points, resited),
        f"    cost: {ratios} the same cycle without context",
    ]


SIZES = {"tiny": (2_000,), "quick": (10_000,), "full": (10_000, 100_000, 1_000_000)}


def run(mode: str) -> list[str]:
    quick = mode != "full"
    sizes = SIZES[mode]
    lines: list[str] = []
    sdk_rate: float | None = None
    for size in sizes:
        more, rate_ = _size(size, quick, sdk_rate if size >= 1_000_000 else None)
        lines += more
        sdk_rate = rate_
    return lines
