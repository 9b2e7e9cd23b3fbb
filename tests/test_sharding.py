"""Shards: total, disjoint, deterministic, and minimal movement when N changes."""

from __future__ import annotations

import pytest

from central_otel.sharding import Shard, index_from_hostname, shard_of
from central_otel.topics import TOPIC_NAMES

SUBSCRIPTIONS = [(f"customer-{i:03d}", topic) for i in range(200) for topic in TOPIC_NAMES]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 16])
def test_partition_is_total_and_disjoint(count: int) -> None:
    shards = [Shard(i, count) for i in range(count)]
    for customer, topic in SUBSCRIPTIONS:
        owners = [s.index for s in shards if s.serves(customer, topic)]
        assert len(owners) == 1, (customer, topic, owners)


@pytest.mark.parametrize("count", [2, 4, 8])
def test_load_is_spread(count: int) -> None:
    per_shard = [0] * count
    for customer, topic in SUBSCRIPTIONS:
        per_shard[shard_of(customer, topic, count)] += 1
    fair = len(SUBSCRIPTIONS) / count
    assert min(per_shard) > 0.75 * fair
    assert max(per_shard) < 1.25 * fair


@pytest.mark.parametrize(("before", "after"), [(4, 5), (5, 4), (8, 9), (1, 2)])
def test_changing_the_count_moves_few_subscriptions(before: int, after: int) -> None:
    moved = sum(shard_of(c, t, before) != shard_of(c, t, after) for c, t in SUBSCRIPTIONS)
    # Ideal rendezvous movement is |1/before - ... | about 1/max(before, after) of all.
    ideal = len(SUBSCRIPTIONS) / max(before, after)
    assert moved < 1.3 * ideal
    # Only subscriptions of the added (or removed) shard move.
    for c, t in SUBSCRIPTIONS:
        a, b = shard_of(c, t, before), shard_of(c, t, after)
        if a != b:
            assert after - 1 in (a, b) if after > before else before - 1 in (a, b)


def test_deterministic_across_calls() -> None:
    assert [shard_of(c, t, 7) for c, t in SUBSCRIPTIONS[:50]] == [
        shard_of(c, t, 7) for c, t in SUBSCRIPTIONS[:50]
    ]


@pytest.mark.parametrize(("index", "count"), [(-1, 2), (2, 2), (0, 0)])
def test_invalid_shard(index: int, count: int) -> None:
    with pytest.raises(ValueError, match="shard index"):
        Shard(index, count)


@pytest.mark.parametrize(
    ("hostname", "index"),
    [
        ("central-otel-0", 0),
        ("central-otel-12", 12),
        ("my-release-central-otel-3", 3),
        ("laptop", None),
    ],
)
def test_index_from_hostname(hostname: str, index: int | None) -> None:
    assert index_from_hostname(hostname) == index
