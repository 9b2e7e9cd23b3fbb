"""The entity store of one customer: latest messages by entity, TTLs, caps, resets.

Written from the asyncio loop (one frame at a time), read by the metric
collection on its export thread: a lock guards the dictionaries, held for one
frame's update or one class's copy (C-level: the expiry scan runs outside it),
never across I/O. Messages are replaced, never mutated, so a reader may use a
snapshot's messages unlocked.

The write path is the ingest hot loop: keys are read a frame's list of messages
at a time, and counter resets are found by comparing each stats message's counter
values with the previous message's (kept on the entity, packed) before any per-field
check (see `_apply_stats`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import attrgetter
from struct import Struct
from typing import Any, NamedTuple

from google.protobuf.message import Message

from central_otel.decoding import present
from central_otel.proto import monitoring_pb2, presence_pb2
from central_otel.state.compaction import (
    COMPACT_CHUNK,
    MESSAGE_CLASSES,
    STATE_MESSAGE_CLASSES,
    copy_messages,
    due,
    held_and_kept,
)
from central_otel.state.dependents import drop_dependents
from central_otel.state.entities import (
    BY_FIELD,
    CLASS_KINDS,
    CONTEXT_CLASS,
    INVENTORY_CLASS,
    PRESENCE_CLASS,
    Key,
    Kind,
)
from central_otel.state.interning import KeyInterner
from central_otel.state.packing import PackedMessage, pack_messages

DELETE = monitoring_pb2.DELETE
_SOURCE = attrgetter("source")


@dataclass(slots=True, eq=False)
class Entity:
    """One entity's latest message. The object lives as long as the entity does (its
    message is replaced in place), so its identity is the entity's."""

    # The message as kept: a state message packed (`state.packing`) by the export
    # thread within seconds of its arrival, any other as it came. Read `msg`; `held`
    # is the store's (and what tells a replaced message from the same one, by identity).
    held: Message | PackedMessage | PresenceSummary | DeviceContext | DeviceInfo
    seen: float  # monotonic time of the last update
    # The store's number of the payload the message came from (0: none, packed): the
    # message lives in that payload's arena and holds all of it (see `compact_if_due`).
    source: int = 0
    offsets: dict[str, int] | None = None  # counter-reset compensation, by field
    counters: int = 0  # stats with counters: the counter values of `msg`, packed (`_Counters`)
    # State classes: how many times `msg` was replaced. Whoever must notice a change
    # (the export's side table) keeps the entity and this count, not the message: a
    # message holds its whole frame alive, and a re-sent snapshot replaces them all.
    changes: int = 0

    @property
    def msg(self) -> Any:
        """The message (a packed one is parsed anew at each read: read it once)."""
        held = self.held
        if isinstance(held, PackedMessage):
            return held.unpack()
        return held


class Change(NamedTuple):
    """A state entity was added, updated or deleted (for events such as up/down).

    Immutable. The store builds one per state update (a state snapshot makes tens of
    thousands) with `new_change`, the tuple constructor itself: a named tuple's own
    constructor, like a dataclass's, runs Python code for each.
    """

    cls: str
    key: Key
    old: Message | None  # None: added
    new: Message | None  # None: deleted


new_change = tuple.__new__


@dataclass(frozen=True, slots=True)
class PresenceSummary:
    """Stations one AP heard in its last presence report (never their MACs)."""

    associated: int
    unassociated: int


@dataclass(frozen=True, slots=True)
class DeviceContext:
    """Where a device is: what its telemetry carries besides its identity
    (`aruba.site.id`, `aruba.site.name`). Empty text: not known."""

    site_id: str = ""
    site_name: str = ""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One device as Central's REST inventory lists it (`INVENTORY_CLASS`); None or
    empty where it says nothing."""

    serial: str
    site: str | None = None
    group: str | None = None
    labels: tuple[str, ...] = ()
    """Label names, sorted and distinct."""
    name: str | None = None
    model: str | None = None
    device_type: str | None = None
    """``ap``, ``switch`` or ``gateway`` (as ``aruba.device.type``)."""
    site_id: str | None = None
    """New Central's site id (Classic's inventory names sites only)."""


@dataclass(frozen=True, slots=True)
class StoreLimits:
    """`config.MetricsConfig`'s limits (defaults live there: `settings.store_limits`)."""

    series_ttl: float  # stats not refreshed for this long stop being exported
    state_ttl: float  # state is re-sent only on change: keep it long
    max_entities: Mapping[str, int]  # per class
    default_max_entities: int


SWEEP_INTERVAL = 60.0  # seconds between sweeps of the classes nothing read lately


class EntityStore:
    def __init__(
        self,
        customer: str,
        limits: StoreLimits,
        counter_fields: Mapping[str, tuple[str, ...]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        unread: frozenset[str] = frozenset(),
    ) -> None:
        """`unread`: stats classes nothing reads (no enabled metric, no view): their
        messages are not kept at all (`unread_stats`)."""
        self.customer = customer
        self.customer_id = ""
        self.limits = limits
        self._counters = {
            cls: _counters(names) for cls, names in (counter_fields or {}).items() if names
        }
        self._clock = clock
        self._lock = threading.Lock()
        self._classes: dict[str, dict[Key, Entity]] = {name: {} for name in CLASS_KINDS}
        self.unread = unread
        # Every entity is created with its key from here (equal keys and key parts
        # shared between entities and classes); pruned by `sweep` and `expire`.
        self._keys = KeyInterner()
        self.dropped: Counter[str] = Counter()  # entities refused by the caps, by class
        self.version = 0  # bumps when state changes; invalidates attribute caches
        self.presence_states: Counter[str] = Counter()  # latest client_state report
        # Classes no enabled metric reads (client_stats without per_client) are never
        # passed through `items`: `sweep` expires them, from the export thread after
        # each cycle, and from the write path as a fallback.
        self._sweep_every = min(SWEEP_INTERVAL, self.limits.series_ttl / 2)
        self._next_sweep = clock() + self._sweep_every
        self._swept: dict[str, float] = {}  # when each class was last swept, by either
        # Payloads by number (`Entity.source`): how many messages the store took from
        # each, for `compact_if_due`; forgotten once no entity holds one of them.
        self._payloads = 0
        self._payload_sizes: dict[int, int] = {}
        self._packed_at = 0  # `version` at the last `pack_states`

    # -- writing (event loop) ----------------------------------------------------

    def apply_monitoring(
        self, info: monitoring_pb2.MonitoringInformation, changes: list[Change], chunk: int
    ) -> Iterator[None]:
        """Fold one monitoring payload in, `chunk` messages at a time, appending the
        state changes it makes to `changes`; yields between chunks, with the lock
        released (run it to the end: the payload is applied as the caller goes).

        A large frame is many milliseconds of work: the caller may let other work run
        in between. Each chunk is applied atomically, and the version bumps with the
        chunk that made a change, so an export that reads between two chunks sees
        consistent entities.
        """
        now = self._clock()
        if info.customer_id:
            self.customer_id = info.customer_id
        with self._lock:
            self._payloads += 1
            source = self._payloads
        taken = 0
        for descriptor, values in info.ListFields():
            cls = BY_FIELD.get(descriptor.name)
            if cls is None or not descriptor.is_repeated:
                continue
            if cls.name in self.unread:
                taken += len(values)  # they share the payload's arena all the same
                continue
            everything = list(values)  # one wrapper per message, shared by keys and store
            taken += len(everything)
            for start in range(0, len(everything), chunk):
                msgs = everything[start : start + chunk]
                with self._lock:
                    if cls.kind is Kind.STATE:
                        before = len(changes)
                        self._apply_states(
                            cls.name, cls.keys(msgs), msgs, now, changes, source=source
                        )
                        if len(changes) > before:
                            self.version += 1
                    else:
                        self._apply_stats(cls.name, cls.keys(msgs), msgs, now, source=source)
                yield
        if taken:
            with self._lock:
                self._payload_sizes[source] = taken
        if now >= self._next_sweep:
            # A fallback: the metrics export sweeps on its own thread after each cycle
            # (`sweep`); the event loop only sweeps what nothing swept for two intervals.
            self._next_sweep = now + self._sweep_every
            self.sweep(older_than=2 * self._sweep_every)

    def expire(self) -> None:
        """Drop the expired entities of every class."""
        self._next_sweep = self._clock() + self._sweep_every
        for cls in CLASS_KINDS:
            self._expire(cls)
        self._prune_keys()

    def sweep(self, *, older_than: float | None = None) -> None:
        """Drop the expired entities of the classes not swept (here or by `items`) for
        `older_than` seconds (default: the sweep interval): the classes no enabled
        metric reads, which would otherwise stay until their cap."""
        now = self._clock()
        window = self._sweep_every if older_than is None else older_than
        for cls in CLASS_KINDS:
            if now - self._swept.get(cls, -math.inf) >= window:
                self._expire(cls)
        self._prune_keys()

    def pack_states(self) -> int:
        """Pack the state messages that arrived since the last call (`state.packing`):
        the export thread calls it every few seconds and after each cycle (before
        `compact_if_due`). Returns how many were packed. A packed message equals the
        one it replaces: no change, no version bump."""
        with self._lock:
            if self._packed_at == self.version:
                return 0  # no state message arrived since
            self._packed_at = self.version
            todo = [
                entity
                for name in STATE_MESSAGE_CLASSES
                for entity in self._classes[name].values()
                if not isinstance(entity.held, PackedMessage)
            ]
        packed = 0
        for start in range(0, len(todo), COMPACT_CHUNK):
            with self._lock:  # an update in between is packed, not overwritten
                packed += pack_messages(todo[start : start + COMPACT_CHUNK])
        return packed

    def compact_if_due(self) -> int:
        """Copy the kept messages out of the payloads they came from, when more than
        half of what those payloads carry is no longer kept, or many payloads hold
        few messages each (`state.compaction`): the export thread calls it after each
        cycle. Returns how many were copied (0: not due). Copies are equal to what they
        replace: no change, no version bump."""
        with self._lock:
            classes = [list(self._classes[name].values()) for name in MESSAGE_CLASSES]
            sizes = dict(self._payload_sizes)
        sources = map(_SOURCE, chain.from_iterable(classes))
        held, kept, live = held_and_kept(sources, sizes)
        with self._lock:
            for source in sizes.keys() - live:  # nothing holds them any more
                del self._payload_sizes[source]
            if not due(held, kept, len(live)):
                return 0
            self._payloads += 1
            source = self._payloads
        copied = 0
        for name in MESSAGE_CLASSES:
            with self._lock:
                entities = list(self._classes[name].values())
            for start in range(0, len(entities), COMPACT_CHUNK):
                with self._lock:  # an update in between is copied, not overwritten
                    copied += copy_messages(entities[start : start + COMPACT_CHUNK], source)
        with self._lock:
            self._payload_sizes[source] = copied
        return copied

    def _prune_keys(self) -> None:
        """Forget the interned keys of departed entities when that pays."""
        if self._keys.due(sum(map(len, self._classes.values()))):
            self._keys.rebuild(self._lock, self._classes.values())

    def apply_presence(self, event: presence_pb2.presence_event) -> None:
        """Aggregate a presence report: stations heard per AP, associated or not."""
        now = self._clock()
        if event.customer_id:
            self.customer_id = event.customer_id
        heard: dict[str, list[int]] = {}
        for item in event.pa_proximity_event.proximity:
            counts = heard.setdefault(item.device_id, [0, 0])
            counts[0 if item.associated else 1] += 1
        if not heard and event.HasField("pa_rssi_event"):
            for rssi in event.pa_rssi_event.rssi:
                if not rssi.is_ap:
                    counts = heard.setdefault(rssi.device_id, [0, 0])
                    counts[0 if rssi.associated else 1] += 1
        states: Counter[str] = Counter()
        for state in event.pa_client_state.presence_client_state:
            value = present(state, "state")
            if value is not None:
                states[presence_pb2.presence_client_state.client_state.Name(value)] += 1
        with self._lock:
            entities = self._classes[PRESENCE_CLASS]
            for device_id, (assoc, unassoc) in heard.items():
                key = (device_id,)
                if device_id and self._room_for(PRESENCE_CLASS, entities, key):
                    summary = Entity(PresenceSummary(assoc, unassoc), now)
                    if key in entities:
                        entities[key] = summary  # the entity keeps its key
                    else:
                        entities[self._keys.intern(key)] = summary
            if states:
                self.presence_states = states

    def set_context(self, serial: str, *, site_id: str = "", site_name: str = "") -> bool:
        """Record what is known of where device `serial` is: empty values keep what was
        known before. True when the context changed (the attributes of the device's
        series change with it)."""
        if not serial or not (site_id or site_name):
            return False
        now = self._clock()
        with self._lock:
            entities = self._classes[CONTEXT_CLASS]
            old = entities.get((serial,))
            known = old.msg if old is not None else None
            before = known if isinstance(known, DeviceContext) else DeviceContext()
            after = DeviceContext(site_id or before.site_id, site_name or before.site_name)
            if old is not None and after == before:
                old.seen = now
                return False
            if old is None and not self._room_for(CONTEXT_CLASS, entities, (serial,)):
                return False
            entities[self._keys.intern((serial,))] = Entity(after, now)
            self.version += 1
            return True

    def context(self, serial: str) -> DeviceContext | None:
        """Where device `serial` is, if known."""
        entity = self._classes[CONTEXT_CLASS].get((serial,))
        msg = entity.msg if entity is not None else None
        return msg if isinstance(msg, DeviceContext) else None

    def replace_inventory(self, devices: Iterable[DeviceInfo]) -> bool:
        """Make `devices` the whole inventory context (a device missing from it loses
        its context; the last entry of a serial wins); True when anything changed.

        A device whose record is unchanged keeps its entity and message, so that the
        attributes built from it stay valid; any change bumps `version`.
        """
        now = self._clock()
        with self._lock:
            old = self._classes[INVENTORY_CLASS]
            fresh: dict[Key, Entity] = {}
            for info in devices:
                key = (info.serial,)
                if not self._room_for(INVENTORY_CLASS, fresh, key):
                    continue
                key = self._keys.intern(key)
                entity = old.get(key)
                if entity is not None and entity.msg == info:
                    entity.seen = now
                else:
                    entity = Entity(info, now)
                fresh[key] = entity
            changed = len(fresh) != len(old) or any(
                old.get(key) is not entity for key, entity in fresh.items()
            )
            self._classes[INVENTORY_CLASS] = fresh
            if changed:
                self.version += 1
        return changed

    def inventory(self, serial: str) -> DeviceInfo | None:
        """What the inventory says about device `serial`, if anything."""
        entity = self._classes[INVENTORY_CLASS].get((serial,))
        info = entity.msg if entity is not None else None
        return info if isinstance(info, DeviceInfo) else None

    def _apply_states(
        self,
        cls: str,
        keys: Iterable[Key],
        msgs: list[Any],
        now: float,
        changes: list[Change],
        *,
        source: int,
    ) -> None:
        entities = self._classes[cls]
        get = entities.get
        for key, msg in zip(keys, msgs, strict=True):
            old = get(key)
            # `action` defaults to UPDATE: reading it is presence-exact for DELETE.
            if msg.action == DELETE:
                if old is not None:
                    del entities[key]
                    changes.append(new_change(Change, (cls, key, old.msg, None)))
                # Its stats go too (even when the state itself was capped away):
                # Central just stops sending them, and they must not linger as ghosts.
                drop_dependents(self._classes, cls, key)
            elif old is not None:
                changes.append(new_change(Change, (cls, key, old.msg, msg)))
                old.held = msg
                old.seen = now
                old.source = source
                old.changes += 1
            elif key[0] and self._room_for(cls, entities, key):  # else: no identity
                shared = self._keys.intern(key)
                entities[shared] = Entity(msg, now, source)
                changes.append(new_change(Change, (cls, shared, None, msg)))

    def _apply_stats(
        self, cls: str, keys: Iterable[Key], msgs: list[Any], now: float, *, source: int
    ) -> None:
        entities = self._classes[cls]
        get = entities.get
        counters = self._counters.get(cls)
        if counters is None:
            for key, msg in zip(keys, msgs, strict=True):
                old = get(key)
                if old is not None:
                    old.held = msg
                    old.seen = now
                    old.source = source
                elif key[0] and self._room_for(cls, entities, key):  # else: no identity
                    entities[self._keys.intern(key)] = Entity(msg, now, source)
            return
        read, pack, lanes, guards = counters.read, counters.pack, counters.lanes, counters.guards
        from_bytes = int.from_bytes
        for key, msg in zip(keys, msgs, strict=True):
            old = get(key)
            packed = from_bytes(pack(*read(msg)), "little")  # see `_Counters`
            if old is None:
                if key[0] and self._room_for(cls, entities, key):
                    entities[self._keys.intern(key)] = Entity(msg, now, source, counters=packed)
                continue
            # Counter resets, exactly as `_carry_resets` defines them, but cheaply:
            # every counter of the new message read and packed in C, and compared with
            # the previous message's (kept packed from its own arrival) all at once
            # (`_Counters`). Only when one of them went down does the exact, per-field
            # check run.
            if (old.counters + lanes - packed) & guards:
                _carry_resets(old, msg, counters.names)
            old.counters = packed
            old.held = msg
            old.seen = now
            old.source = source

    def _room_for(self, cls: str, entities: dict[Key, Entity], key: Key) -> bool:
        limit = self.limits.max_entities.get(cls, self.limits.default_max_entities)
        if key in entities or len(entities) < limit:
            return True
        self.dropped[cls] += 1
        return False

    # -- reading (export thread) -------------------------------------------------

    def items(self, cls: str) -> list[tuple[Key, Entity]]:
        """A snapshot of one class's entities, after dropping expired ones."""
        return list(zip(*self.snapshot(cls), strict=True))

    def snapshot(self, cls: str) -> tuple[list[Key], list[Entity]]:
        """`items` as two lists, keys and entities: no tuple per entity (hundreds of
        thousands of young objects for the garbage collector to walk, every cycle)."""
        return self._expire(cls, snapshot=True)

    def _expire(self, cls: str, *, snapshot: bool = False) -> tuple[list[Key], list[Entity]]:
        now = self._clock()
        ttl = self.limits.series_ttl if CLASS_KINDS[cls] is Kind.STATS else self.limits.state_ttl
        horizon = now - ttl
        self._swept[cls] = now
        entities = self._classes[cls]
        # The lock is held for C-level copies, not for a Python scan of every entity
        # (hundreds of thousands of clients: the writer on the event loop would wait).
        with self._lock:
            keys = list(entities)
            values = list(entities.values())
        stale = [key for key, entity in zip(keys, values, strict=True) if entity.seen < horizon]
        if stale:
            with self._lock:
                removed = 0
                for key in stale:
                    entity = entities.get(key)
                    if entity is not None and entity.seen < horizon:  # not refreshed since
                        del entities[key]
                        removed += 1
                if removed and CLASS_KINDS[cls] is Kind.STATE:
                    self.version += 1
        if not snapshot:
            return [], []
        if stale:
            kept = [i for i, entity in enumerate(values) if entity.seen >= horizon]
            keys = [keys[i] for i in kept]
            values = [values[i] for i in kept]
        return keys, values

    def get(self, cls: str, key: Key) -> Entity | None:
        return self._classes[cls].get(key)

    @property
    def interned(self) -> int:
        """How many keys and key parts the store keeps one shared copy of."""
        return len(self._keys)

    def counts(self) -> dict[str, int]:
        """Entities held per class (for the self-metrics)."""
        with self._lock:
            return {cls: len(entities) for cls, entities in self._classes.items() if entities}


_LANE = 72  # bits per counter packed by `_Counters` ("Qx"): its 64, a guard above


class _Counters:
    """The counter fields of one stats class, read and packed at C level.

    An entity keeps its message's counter values packed into one int (`pack` to
    bytes, then `int.from_bytes(..., "little")`): a few digits, where a tuple of
    ints costs a 32-byte object per value above 256. Counter i is in the low 64 bits
    of lane i, 72 bits wide (counter fields are unsigned, 64 bits at most: a test
    checks the catalogue's). Whether any counter went down from packing `old` to
    packing `new` is three operations on whole ints: ``(old + lanes - new) & guards``.
    In each lane, ``old + 2**64 - 1 - new`` stays in [0, 2**65): no carry or borrow
    crosses a lane, and its bit 64 (the lane's guard) is set exactly when the new
    value is below the old one.
    """

    __slots__ = ("guards", "lanes", "names", "pack", "read")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        get: Callable[[Any], Any] = attrgetter(*names)
        # Raw values: an absent field reads as its default, so a value that "went
        # down" here may not be a reset (`_carry_resets` decides, with presence);
        # a real reset always shows here.
        self.read: Callable[[Any], tuple[int, ...]] = (
            get if len(names) > 1 else (lambda m: (get(m),))
        )
        # Little-endian: struct packs it with its native code on x86 and ARM hosts.
        self.pack: Callable[..., bytes] = Struct("<" + "Qx" * len(names)).pack
        self.lanes = sum((2**64 - 1) << (_LANE * i) for i in range(len(names)))
        self.guards = sum(1 << (64 + _LANE * i) for i in range(len(names)))


@cache
def _counters(names: tuple[str, ...]) -> _Counters:
    """One (immutable) `_Counters` per set of fields, shared by every customer's store."""
    return _Counters(names)


def _carry_resets(old: Entity, msg: Any, counters: tuple[str, ...]) -> None:
    """A cumulative counter that went down was reset (device reboot): remember the
    last total so the exported counter stays monotonic across the reset."""
    previous = old.held
    assert isinstance(previous, Message)  # stats classes are never packed
    for name in counters:
        if msg.HasField(name) and previous.HasField(name):
            before = getattr(previous, name)
            if getattr(msg, name) < before:
                offsets = old.offsets if old.offsets is not None else {}
                offsets[name] = offsets.get(name, 0) + before
                old.offsets = offsets
