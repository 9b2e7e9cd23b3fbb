"""One copy of each entity key, and of each key part, per store.

Keys are decoded anew from every message: without this, each entity's key would
hold its own copies of its parts (a VAP's key repeats its device's serial and its
radio's MAC), and a stats entity keyed like its state entity (``device_stats`` and
``device``: ``(serial,)``) would hold another, equal tuple. The store interns a key
when it creates an entity (an existing entity keeps the key it was created with), so
the hot path of updates never pays for it.

The table holds what it interned strongly (tuples, str and bytes cannot be weakly
referenced): `rebuild` replaces it with the live keys and their parts, when `due`.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

Key = tuple[Any, ...]


class KeyInterner:
    """Maps each key, and each part of one, to its one shared copy.

    Parts are compared by value: the store's key parts are str, bytes and ints (no
    bools or floats, which would equal ints), as the entity classes read them.
    """

    __slots__ = ("_built", "_live", "_table")

    def __init__(self) -> None:
        self._table: dict[Any, Any] = {}
        self._built = 0  # the table's size after the last rebuild
        self._live = 0  # the live keys it was rebuilt from

    def __len__(self) -> int:
        return len(self._table)

    def __call__(self, key: Key) -> Key:
        """The shared copy of `key` (made of shared parts)."""
        table = self._table
        known: Key | None = table.get(key)
        if known is not None:
            return known
        shared = tuple(map(table.setdefault, key, key))
        table[shared] = shared
        return shared

    def due(self, live: int) -> bool:
        """Whether `rebuild` would pay: the table doubled since it was last rebuilt
        (keys come and go: clients), or the live keys (`live`) halved since."""
        return len(self._table) > 2 * self._built or 2 * live < self._live

    def rebuild(self, keys: Iterable[Iterable[Key]]) -> None:
        """Keep only `keys` (the live keys, by class: already shared) and their parts.
        C-level loops: the caller holds the store's lock."""
        live = list(chain.from_iterable(keys))
        table: dict[Any, Any] = dict(zip(live, live, strict=True))
        parts = list(chain.from_iterable(live))
        table.update(zip(parts, parts, strict=True))
        self._table = table
        self._built = len(table)
        self._live = len(live)
