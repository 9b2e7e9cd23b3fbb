"""`run --shard-count/--shard-index`: each pod streams only its share, all shares together
stream everything exactly once."""

from __future__ import annotations

import argparse

import pytest

from central_otel.commands.run import shard_from_args
from central_otel.config import parse_config
from central_otel.settings import streams_settings
from central_otel.sharding import Shard
from central_otel.streaming.streamer import Streamer
from central_otel.topics import TOPIC_NAMES


def _args(count: int, index: int | None) -> argparse.Namespace:
    return argparse.Namespace(shard_count=count, shard_index=index)


def test_single_process_has_no_shard() -> None:
    assert shard_from_args(_args(1, None)) is None


def test_index_from_the_statefulset_hostname(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTNAME", "central-otel-2")
    assert shard_from_args(_args(4, None)) == Shard(2, 4)
    assert shard_from_args(_args(4, 1)) == Shard(1, 4)


@pytest.mark.parametrize(
    ("count", "index", "hostname", "message"),
    [
        (
            4,
            None,
            "laptop",
            "--shard-index not given and hostname 'laptop' ends in no ordinal "
            "(like central-otel-2)",
        ),
        (4, 4, "x-0", "shard index 4 is not within 0..3"),
        (0, 0, "x-0", "--shard-count must be at least 1 (got 0)"),
    ],
)
def test_bad_shard_arguments(
    count: int, index: int | None, hostname: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTNAME", hostname)
    with pytest.raises(ValueError, match="shard") as info:
        shard_from_args(_args(count, index))
    assert str(info.value) == message


def test_shards_partition_the_configured_subscriptions() -> None:
    customers = {
        f"Customer{i}": {"key": f"key-{i:04d}-abcdef", "topics": list(TOPIC_NAMES)}
        for i in range(30)
    }
    config = parse_config(
        {"central": {"base_url": "central.example"}, "customers": customers}, source="t"
    )
    everything = sorted((c.name, t) for c, t in config.subscriptions)
    parts = [
        sorted(
            Streamer(
                config,
                lambda *a: None,
                settings=streams_settings(config.streaming),
                shard=Shard(i, 3),
            ).selected()
        )
        for i in range(3)
    ]
    assert sorted(s for part in parts for s in part) == everything  # total, no duplicates
    assert all(len(part) > 30 for part in parts)  # 180 subscriptions spread over 3
