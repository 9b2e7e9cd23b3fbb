"""No event storms: state changes become events only when they are news.

Central reports the state of every client and device again after each connection
(the snapshot that follows a start or a reconnect). Without a memory of what was
already reported, every start would say "client connected" for every client that was
there all along. `ReportedStates` is that memory: per customer and tracked entity
(clients: present; devices, interfaces, tunnels, uplinks: UP or DOWN), the state last
reported as an event, or taken as the baseline. It is kept with the event queue
(`state_dir`), in the same transactions as the records, so a restart repeats no
transition and a record is never lost to a remembered state whose record was not
written (the state is written after its record, never before).

`Transitions` sits in front of the event catalogue:

- a state that differs from the one remembered is a transition, whenever it comes
  (a device that went down while the bridge was stopped is reported after the start);
- a state equal to the one remembered is not news, whatever Central's ``action``;
- an entity with no remembered state is news only when Central says it is new (an
  ``action`` of ADD, or none) outside the baseline window that follows a connection
  (`events.baseline_window`, counted on Central's clock from the first frame it sent
  on the connection, so that a bridge slow to read its snapshot still takes all of it
  as the baseline); otherwise its state is only remembered. An UPDATE is never a first
  sight: Central says the entity existed before;
- a DELETE of an entity the store does not hold, but whose presence was reported
  before a restart, is still a disconnect.
"""

from __future__ import annotations

import asyncio
import math
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from central_otel.decoding import DecodedFrame, present
from central_otel.delivery.rows import ReportedState
from central_otel.new_central.decoding import NewCentralFrame
from central_otel.pipeline.ingest import EventMapper, NewCentralEventMapper
from central_otel.proto import monitoring_pb2
from central_otel.state.entities import BY_FIELD, Key
from central_otel.state.store import Change, EntityStore
from central_otel.topics import Topic

UP, DOWN, DELETE, UPDATE = (
    monitoring_pb2.UP,
    monitoring_pb2.DOWN,
    monitoring_pb2.DELETE,
    monitoring_pb2.UPDATE,
)
KNOWN = 0  # the state of an entity that exists, status unknown (or a client: present)
EXPIRY_SLICE = 10_000  # remembered states looked at between two yields of an expiry

# Entity class -> the field holding its status (None: presence is its state).
TRACKED: dict[str, str | None] = {
    "wireless_client": None,
    "wired_client": None,
    "device": "status",
    "interface": "oper_state",
    "tunnel": "status",
    "uplink": "status",
}
_TRACKED_FIELDS = tuple((name, cls.name) for name, cls in BY_FIELD.items() if cls.name in TRACKED)


# -- keys as bytes (the database stores them as BLOBs) ------------------------------------


def encode_key(key: Key) -> bytes:
    """An entity key (str, bytes and int parts) as bytes, reversibly."""
    parts: list[bytes] = []
    for part in key:
        if isinstance(part, bytes):
            parts.append(b"b" + struct.pack(">I", len(part)) + part)
        elif isinstance(part, str):
            raw = part.encode("utf-8")
            parts.append(b"s" + struct.pack(">I", len(raw)) + raw)
        elif isinstance(part, int):
            parts.append(b"i" + struct.pack(">q", part))
        else:
            raise TypeError(f"cannot encode a key part of type {type(part).__name__}")
    return b"".join(parts)


def decode_key(raw: bytes) -> Key:
    parts: list[Any] = []
    offset = 0
    while offset < len(raw):
        kind = raw[offset : offset + 1]
        if kind == b"i":
            parts.append(struct.unpack(">q", raw[offset + 1 : offset + 9])[0])
            offset += 9
            continue
        (length,) = struct.unpack(">I", raw[offset + 1 : offset + 5])
        data = raw[offset + 5 : offset + 5 + length]
        if kind not in (b"b", b"s") or len(data) != length:
            raise ValueError("not an encoded key")
        parts.append(data if kind == b"b" else data.decode("utf-8"))
        offset += 5 + length
    return tuple(parts)


# -- the memory -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Remembered:
    state: int
    seen: float  # monotonic time Central last reported the entity; 0: not since the start


class ReportedStates:
    """The state last reported (or taken as baseline) per customer and tracked entity.

    Changes to persist accumulate in `take_changes`. Used on the event loop only.
    """

    def __init__(
        self, rows: Iterable[ReportedState] = (), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._stamped = -math.inf  # the clock reading entries are stamped with (`_now`)
        self._groups: dict[tuple[str, str], dict[Key, _Remembered]] = {}
        self._unseen: dict[str, int] = {}  # per customer: restored, not reported since
        self._changes: list[ReportedState] = []
        for customer, cls, raw, state in rows:
            if cls not in TRACKED or state is None:
                continue
            try:
                key = decode_key(raw)
            except (ValueError, UnicodeDecodeError, struct.error):
                continue  # a row this version cannot read is forgotten
            self._groups.setdefault((customer, cls), {})[key] = _Remembered(state, 0.0)
            self._unseen[customer] = self._unseen.get(customer, 0) + 1

    def __len__(self) -> int:
        return sum(len(group) for group in self._groups.values())

    def lookup(self, customer: str, cls: str, key: Key) -> int | None:
        """The remembered state (and the entity counts as reported now), or None."""
        entry = self._groups.get((customer, cls), {}).get(key)
        if entry is None:
            return None
        if not entry.seen:
            self._unseen[customer] -= 1
        entry.seen = self._now()
        return entry.state

    def peek(self, customer: str, cls: str, key: Key) -> int | None:
        entry = self._groups.get((customer, cls), {}).get(key)
        return None if entry is None else entry.state

    def remember(self, customer: str, cls: str, key: Key, state: int) -> None:
        group = self._groups.setdefault((customer, cls), {})
        entry = group.get(key)
        if entry is None:
            group[key] = _Remembered(state, self._now())
        else:
            if not entry.seen:
                self._unseen[customer] -= 1
            entry.state, entry.seen = state, self._now()
        self._changes.append((customer, cls, encode_key(key), state))

    def forget(self, customer: str, cls: str, key: Key) -> None:
        entry = self._groups.get((customer, cls), {}).pop(key, None)
        if entry is None:
            return
        if not entry.seen:
            self._unseen[customer] -= 1
        self._changes.append((customer, cls, encode_key(key), None))

    def _now(self) -> float:
        """The clock to the second, as one float object per second: the entries stamped
        within a second share it (a float each is 24 bytes per entity tracked); their
        expiry is a matter of days."""
        now = self._clock()
        if not 0 <= now - self._stamped < 1.0:
            self._stamped = now
        return self._stamped

    def restored_unseen(self, customer: str) -> bool:
        """True while states remembered from before the start were not reported again."""
        return self._unseen.get(customer, 0) > 0

    def expire(self, older_than: float) -> int:
        """Forget entities Central has not reported for `older_than` seconds (the store's
        state TTL: both forget an entity that left without a DELETE); how many."""
        forgotten = [0]
        for _ in self.expire_steps(older_than, forgotten):
            pass
        return forgotten[0]

    def expire_steps(self, older_than: float, forgotten: list[int]) -> Iterator[None]:
        """`expire`, a slice at a time: yields after each `EXPIRY_SLICE` entities looked
        at, so that the event loop's other work goes on (MSP estates hold millions);
        adds to `forgotten[0]`."""
        horizon = self._clock() - older_than
        for (customer, cls), group in list(self._groups.items()):
            keys = list(group)
            for start in range(0, len(keys), EXPIRY_SLICE):
                stale = [
                    key
                    for key in keys[start : start + EXPIRY_SLICE]
                    if (entry := group.get(key)) is not None and 0 < entry.seen < horizon
                ]
                for key in stale:
                    self.forget(customer, cls, key)
                forgotten[0] += len(stale)
                yield

    def take_changes(self) -> list[ReportedState]:
        changes, self._changes = self._changes, []
        return changes


# -- in front of the catalogue ----------------------------------------------------------------


@dataclass(slots=True)
class TransitionStats:
    baseline: int = 0  # first reports taken as the baseline (remembered, no record)
    repeated: int = 0  # reports of a state already reported (no record)
    transitions: int = 0  # changes from a remembered state (a record each, if enabled)


class Transitions:
    """The catalogue's events, with state changes filtered through `ReportedStates`.

    `in_baseline(customer, sent_ns)`: whether a monitoring frame Central sent at
    `sent_ns` (None: unknown) belongs to the baseline that follows a connection; asked
    once per monitoring frame, for that frame's changes. `persist` receives the
    remembered states to
    write; it is called after the records of the same changes were handed on (on the
    event loop's next turn, or at the next frame), so that a state is never written
    before its record.
    """

    def __init__(
        self,
        catalogue: EventMapper,
        reported: ReportedStates,
        *,
        in_baseline: Callable[[str, int | None], bool],
        persist: Callable[[list[ReportedState]], None] | None = None,
    ) -> None:
        self._catalogue = catalogue
        self.reported = reported
        self._in_baseline = in_baseline
        self._persist = persist
        self._flush_scheduled = False
        self._baseline: dict[str, bool] = {}  # per customer: the current frame's verdict
        self.stats = TransitionStats()

    # -- the EventMapper protocol

    def for_frame(self, frame: DecodedFrame, store: EntityStore) -> Sequence[Any]:
        self.flush()  # the previous frame's records were handed on by now
        if frame.topic is Topic.MONITORING:
            self._baseline[store.customer] = self._in_baseline(store.customer, frame.timestamp_ns)
        records = list(self._catalogue.for_frame(frame, store))
        if self.reported.restored_unseen(store.customer) and isinstance(
            frame.payload, monitoring_pb2.MonitoringInformation
        ):
            gone = self._deleted_before_seen(frame.payload, store)
            if gone:
                records.extend(self._catalogue.for_changes(gone, store, frame=frame))
        return records

    def for_new_central_frame(self, frame: NewCentralFrame, store: EntityStore) -> Sequence[Any]:
        """New Central's message-borne events (alerts, audit records...): not state, so
        not filtered."""
        if isinstance(self._catalogue, NewCentralEventMapper):
            return self._catalogue.for_new_central_frame(frame, store)
        return []

    def for_changes(
        self, changes: Sequence[Change], store: EntityStore, *, frame: DecodedFrame | None = None
    ) -> Sequence[Any]:
        customer = store.customer
        baseline = self._baseline.get(customer, False)
        news = [
            passed
            for change in changes
            if (passed := self._filter(customer, change, baseline)) is not None
        ]
        self._schedule_flush()
        if not news:
            return []
        return self._catalogue.for_changes(news, store, frame=frame)

    # -- persistence

    def flush(self) -> None:
        """Hand the remembered states changed so far to `persist`."""
        self._flush_scheduled = False
        changes = self.reported.take_changes()
        if changes and self._persist is not None:
            self._persist(changes)

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # synchronous use: the next frame flushes
        self._flush_scheduled = True
        loop.call_soon(self.flush)

    # -- the rules

    def _filter(self, customer: str, change: Change, baseline: bool) -> Change | None:
        cls = change.cls
        if cls not in TRACKED:
            return change
        reported = self.reported
        if change.new is None:  # deleted: a disconnect when it was there
            reported.forget(customer, cls, change.key)
            return change
        status_field = TRACKED[cls]
        state = KNOWN if status_field is None else present(change.new, status_field)
        before = reported.lookup(customer, cls, change.key)
        if before is None:
            reported.remember(customer, cls, change.key, KNOWN if state is None else state)
            if change.old is not None:
                return change  # the store knew it: its own old and new tell
            if baseline or present(change.new, "action") == UPDATE:
                self.stats.baseline += 1
                return None
            return change
        if state is None or state == before:
            self.stats.repeated += 1
            return None
        reported.remember(customer, cls, change.key, state)
        if before == KNOWN or status_field is None:
            return None  # unknown -> known is no transition
        self.stats.transitions += 1
        if change.old is not None and present(change.old, status_field) == before:
            return change
        old = type(change.new)()
        setattr(old, status_field, before)
        return Change(cls, change.key, old, change.new)

    def _deleted_before_seen(
        self, payload: monitoring_pb2.MonitoringInformation, store: EntityStore
    ) -> list[Change]:
        """Disconnects of clients reported present before the start, which Central
        deletes before reporting them again (the store never held them)."""
        customer = store.customer
        gone: list[Change] = []
        for field_name, cls in _TRACKED_FIELDS:
            if TRACKED[cls] is not None:
                continue  # a device's DELETE is no event; its state is just forgotten
            for msg in getattr(payload, field_name):
                if msg.action != DELETE:
                    continue
                key = BY_FIELD[field_name].key(msg)
                if key is None or store.get(cls, key) is not None:
                    continue
                if self.reported.peek(customer, cls, key) is not None:
                    self.reported.forget(customer, cls, key)
                    gone.append(Change(cls, key, msg, None))
        for field_name, cls in _TRACKED_FIELDS:
            if TRACKED[cls] is None:
                continue
            for msg in getattr(payload, field_name):
                if msg.action == DELETE:
                    key = BY_FIELD[field_name].key(msg)
                    if key is not None and store.get(cls, key) is None:
                        self.reported.forget(customer, cls, key)
        self._schedule_flush()
        return gone
