"""Which pod serves which subscription when the bridge runs as N shards.

Rendezvous (highest-random-weight) hashing: each (customer, topic) goes to the
shard with the highest hash of (subscription, shard). Every pod computes the same
answer on its own, every subscription lands on exactly one shard, and changing N
moves only the subscriptions whose winner changed (about 1/N of them), so
Kubernetes scaling a StatefulSet is the whole coordination.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_ORDINAL = re.compile(r"-(\d+)$")


def _weight(customer: str, topic: str, shard: int) -> int:
    digest = hashlib.blake2b(f"{customer}\x00{topic}\x00{shard}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def shard_of(customer: str, topic: str, shard_count: int) -> int:
    """The shard (0..shard_count-1) that serves this subscription."""
    return max(range(shard_count), key=lambda shard: _weight(customer, topic, shard))


@dataclass(frozen=True, slots=True)
class Shard:
    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"shard index {self.index} is not within 0..{self.count - 1}")

    def serves(self, customer: str, topic: str) -> bool:
        return self.count == 1 or shard_of(customer, topic, self.count) == self.index

    def __str__(self) -> str:
        return f"shard {self.index} of {self.count}"


def index_from_hostname(hostname: str) -> int | None:
    """The StatefulSet ordinal in a pod name like `central-otel-3` (None if absent)."""
    match = _ORDINAL.search(hostname)
    return int(match.group(1)) if match else None
