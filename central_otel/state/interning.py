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

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from itertools import chain, islice
from typing import Any

Key = tuple[Any, ...]


class KeyInterner:
    """Maps each key, and each part of one, to its one shared copy.

    Parts are compared by value: the store's key parts are str, bytes and ints (no
    bools or floats, which would equal ints), as the entity classes read them.
    """

    __slots__ = ("_built", "_live", "_table", "intern")

    def __init__(self) -> None:
        table: dict[Any, Any] = {}
        self._table = table  # rebuilt in place: `intern` holds it
        self._built = 0  # the table's size after the last rebuild
        self._live = 0  # the live keys it was rebuilt from
        get, setdefault = table.get, table.setdefault

        # A closure over the table's methods: a third cheaper than a method.
        def intern(key: Key) -> Key:
            """The shared copy of `key` (made of shared parts)."""
            known: Key | None = get(key)
            if known is not None:
                return known
            shared = tuple(map(setdefault, key, key))
            table[shared] = shared
            return shared

        self.intern: Callable[[Key], Key] = intern

    def __len__(self) -> int:
        return len(self._table)

    def due(self, live: int) -> bool:
        """Whether `rebuild` would pay: the table doubled since it was last rebuilt
        (keys come and go: clients), or the live keys (`live`) halved since."""
        return len(self._table) > 2 * self._built or 2 * live < self._live

    def rebuild(self, lock: AbstractContextManager[Any], classes: Iterable[Iterable[Key]]) -> None:
        """Keep only the live keys (`classes`: each class's keys, all interned) and
        their parts. `lock` guards the classes and the table: it is held for copies of
        the key lists and the swap, not while the new table is built (hashing every
        key), and what was interned meanwhile is kept."""
        with lock:
            copies = [list(keys) for keys in classes]
            mark = len(self._table)
        live = list(chain.from_iterable(copies))
        parts = list(chain.from_iterable(live))
        fresh: dict[Any, Any] = dict(zip(live, live, strict=True))
        fresh.update(zip(parts, parts, strict=True))
        with lock:
            table = self._table
            fresh.update(islice(table.items(), mark, None))  # interned since the copies
            table.clear()  # in place: `intern` holds the table
            table.update(fresh)
            self._built = len(table)
            self._live = len(live)
