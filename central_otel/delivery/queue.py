"""The event queue: records in order of acceptance, on disk when it can be, in memory
when it cannot, within a budget, removed only when settled.

Two tiers. The disk tier is `EventsDatabase` (`state_dir` set and usable); the memory
tier takes over when there is no `state_dir`, or when a write to the disk fails (full
disk, I/O error): the process keeps running, the failure is logged once and counted,
and every `RESTORE_INTERVAL` the records held in memory are written back to the disk
(behind the older ones already there) until that works again. Sequence numbers are
shared, so the two tiers together keep one order: the disk's records are always the
older ones.

Removal is always from the front: a batch is the oldest records, and it leaves the
queue when it is settled (acknowledged, partly or wholly refused) or when the budget
drops it: past ``max_age``, or beyond ``max_bytes`` (``memory_max_bytes`` for the
memory tier), the oldest records go first, each drop counted by reason. A batch being
sent is never dropped under the sender's feet: the budget waits for its outcome.

Thread-safe: one lock serialises the writer, the sender and readers of `status`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from central_otel.config.sizes import format_size
from central_otel.delivery.database import EventsDatabase, Opened, StorageError, open_database
from central_otel.delivery.rows import ReportedState, StoredRecord
from central_otel.streaming.failure_log import FailureLog

log = logging.getLogger(__name__)

RESTORE_INTERVAL = 30.0  # seconds between attempts to move memory records back to disk
# What a record held in memory costs besides its bytes (objects, references): counted
# against `memory_max_bytes` so that the bound is one of memory, not of payload.
MEMORY_OVERHEAD = 160
_DROP_CHUNK = 1000  # records looked at per step when the budget drops the oldest


class DropReason(StrEnum):
    """Why records left the queue without being delivered."""

    QUEUE_FULL = "queue_full"  # beyond max_bytes (memory: memory_max_bytes), oldest first
    TOO_OLD = "too_old"  # older than max_age
    REJECTED = "rejected"  # the backend refused them (partial success, or refused data)
    UNREADABLE = "unreadable"  # in a damaged queue file found at start
    NOT_PERSISTED = "not_persisted"  # held in memory only, undelivered when the process stopped


@dataclass(frozen=True, slots=True)
class QueueBudget:
    max_bytes: int
    max_age: float  # seconds
    memory_max_bytes: int


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record to queue: when it was accepted (Unix time), whose, its LogRecord bytes."""

    accepted: float
    customer: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Batch:
    """The oldest records, handed to the sender."""

    records: tuple[StoredRecord, ...]
    on_disk: bool

    @property
    def first(self) -> int:
        return self.records[0].seq

    @property
    def last(self) -> int:
        return self.records[-1].seq

    @property
    def bytes(self) -> int:
        return sum(len(r.body) for r in self.records)

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True, slots=True)
class QueueStatus:
    storage: str  # "disk" or "memory": where new records go
    path: str | None  # the database file, when there is one
    storage_error: str | None  # why records are in memory (None: they are not)
    disk_records: int
    disk_bytes: int
    memory_records: int
    memory_bytes: int
    oldest_accepted: float | None  # Unix time of the oldest queued record
    accepted: int
    delivered: int
    retried: int
    resent_after_restart: int
    dropped: dict[str, int] = field(default_factory=dict)
    carried_over: int = 0  # records found queued at the start
    storage_failures: int = 0

    @property
    def records(self) -> int:
        return self.disk_records + self.memory_records

    @property
    def bytes(self) -> int:
        return self.disk_bytes + self.memory_bytes


class EventQueue:
    def __init__(
        self,
        budget: QueueBudget,
        opened: Opened | None = None,
        *,
        storage_error: str | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`opened`: the disk tier (None: memory only, because of `storage_error` if
        given, else because there is no `state_dir`)."""
        self.budget = budget
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._db: EventsDatabase | None = opened.database if opened is not None else None
        self._disk_ok = self._db is not None
        self._storage_error = storage_error
        self._memory: deque[StoredRecord] = deque()
        self._memory_bytes = 0
        self._inflight: Batch | None = None
        self._next_restore = 0.0
        self._failures = FailureLog(log)
        self.dropped: Counter[str] = Counter()
        self.accepted = 0
        self.delivered = 0
        self.retried = 0
        self.storage_failures = 0
        self.resent_after_restart = 0
        self.carried_over = 0
        # The disk tier's front and totals, kept here: a removal that cannot be written
        # (a full disk) still removes the records from this process's view.
        self._disk_head = 0
        self._disk_records = 0
        self._disk_bytes = 0
        self._next_seq = 1
        if self._db is not None:
            self._disk_records, self._disk_bytes = self._db.records, self._db.bytes
            self.carried_over = self._db.records
            self._next_seq = self._db.last_seq + 1
            try:
                self.resent_after_restart = self._db.count_through(self._db.sent_through)
            except StorageError:
                self.resent_after_restart = 0
        if opened is not None and opened.unreadable:
            self.dropped[DropReason.UNREADABLE] += opened.unreadable

    @classmethod
    def open(cls, budget: QueueBudget, state_dir: Path | None) -> EventQueue:
        """The queue under `state_dir` (memory only without one, or when it cannot be
        used); what was found is logged."""
        if state_dir is None:
            log.info(
                "events queue in memory (no state_dir): up to %s, lost if the process stops "
                "before the backend accepted them",
                _size(budget.memory_max_bytes),
            )
            return cls(budget)
        try:
            opened = open_database(state_dir)
        except StorageError as error:
            log.warning(
                "events queue in memory: %s; up to %s, lost if the process stops before the "
                "backend accepted them",
                error,
                _size(budget.memory_max_bytes),
            )
            queue = cls(budget, storage_error=str(error))
            queue.storage_failures += 1
            return queue
        _report_opened(opened)
        queue = cls(budget, opened)
        if queue._disk_records:
            log.info(
                "events queue %s: %d records (%s) from before the start to deliver first, "
                "%d of them sent before and not acknowledged (they may arrive twice)",
                opened.database.path,
                queue._disk_records,
                _size(queue._disk_bytes),
                queue.resent_after_restart,
            )
        else:
            log.info("events queue on disk: %s", opened.database.path)
        return queue

    # -- the writer ------------------------------------------------------------------------

    def add(self, records: Sequence[NewRecord], reported: Sequence[ReportedState] = ()) -> None:
        """Queue `records` (in order) and remember `reported`, together: on return they are
        on disk (or, the disk failing, in memory)."""
        with self._lock:
            stored = [
                StoredRecord(self._next_seq + i, r.accepted, r.customer, r.body)
                for i, r in enumerate(records)
            ]
            self._next_seq += len(stored)
            self.accepted += len(stored)
            if self._disk_ok and self._db is not None:
                try:
                    self._db.store(stored, reported)
                except StorageError as error:
                    self._disk_failed(error)
                else:
                    self._disk_records += len(stored)
                    self._disk_bytes += sum(len(r.body) for r in stored)
                    self._enforce_locked()
                    return
            for record in stored:
                self._memory.append(record)
                self._memory_bytes += len(record.body)
            self._enforce_locked()

    def _disk_failed(self, error: StorageError) -> None:
        self._disk_ok = False
        self._storage_error = str(error)
        self.storage_failures += 1
        self._next_restore = self._monotonic() + RESTORE_INTERVAL
        log.warning(
            "events queue: cannot write to %s (%s); new events are kept in memory (up to %s) "
            "and written back every %gs until it works again",
            self._db.path if self._db is not None else "the disk",
            error,
            _size(self.budget.memory_max_bytes),
            RESTORE_INTERVAL,
        )

    def maintain(self) -> None:
        """The periodic work: drop what the budget no longer allows, move memory records
        back to disk when it is time to try, give free disk space back."""
        with self._lock:
            self._enforce_locked()
            if not self._disk_ok and self._db is not None:
                if self._monotonic() >= self._next_restore:
                    self._restore_locked()
            elif self._db is not None:
                # On failure the space stays in the file; the next write tells whether the
                # disk works.
                with contextlib.suppress(StorageError):
                    self._db.reclaim()

    def _restore_locked(self) -> bool:
        assert self._db is not None
        pending = list(self._memory)
        try:
            self._db.store(pending)
        except StorageError as error:
            self._next_restore = self._monotonic() + RESTORE_INTERVAL
            log.debug("events queue: still cannot write to %s: %s", self._db.path, error)
            return False
        self._memory.clear()
        self._memory_bytes = 0
        self._disk_records += len(pending)
        self._disk_bytes += sum(len(r.body) for r in pending)
        self._disk_ok = True
        self._storage_error = None
        log.info(
            "events queue: %s can be written again; %d events moved from memory to disk",
            self._db.path,
            len(pending),
        )
        return True

    # -- the sender ------------------------------------------------------------------------

    def next_batch(self, max_records: int, max_bytes: int) -> Batch | None:
        """The oldest records (at most `max_records`, and `max_bytes` unless the first alone
        is larger), or None when the queue is empty. The batch stays queued until settled
        or retried."""
        with self._lock:
            batch = self._oldest_locked(max_records, max_bytes)
            self._inflight = batch
            return batch

    def _oldest_locked(self, max_records: int, max_bytes: int) -> Batch | None:
        if self._disk_records and self._db is not None:
            try:
                rows = self._db.oldest(self._disk_head, max_records)
            except StorageError as error:
                # Unreadable now: what is left there is read again after a restart.
                self._failures.failure(
                    logging.WARNING,
                    "read",
                    f"events queue: cannot read {self._db.path} ({error}); the "
                    f"{self._disk_records} events there are delivered after a restart",
                )
                self._disk_records = self._disk_bytes = 0
                rows = []
            if rows:
                return Batch(_within(rows, max_bytes), on_disk=True)
            self._disk_records = self._disk_bytes = 0  # nothing left beyond the front
        if self._memory:
            picked = [self._memory[i] for i in range(min(max_records, len(self._memory)))]
            return Batch(_within(picked, max_bytes), on_disk=False)
        return None

    def sending(self, batch: Batch) -> None:
        """`batch` is about to be handed to the backend (after a restart, records found
        sent and still queued are counted as possibly delivered twice)."""
        if batch.on_disk and self._db is not None:
            # On failure only the count of possible duplicates after a restart is affected.
            with self._lock, contextlib.suppress(StorageError):
                self._db.mark_sent(batch.last)

    def settle(self, batch: Batch, *, rejected: int = 0) -> None:
        """The backend answered `batch`: `rejected` of its records refused, the rest
        accepted. The batch leaves the queue."""
        with self._lock:
            self._remove_locked(batch)
            self._inflight = None
            rejected = min(rejected, len(batch))
            self.delivered += len(batch) - rejected
            if rejected:
                self.dropped[DropReason.REJECTED] += rejected

    def retry(self, batch: Batch, *, counted: bool = True) -> None:
        """The attempt to send `batch` failed: it stays at the front of the queue
        (`counted`: its records count as retried)."""
        with self._lock:
            self._inflight = None
            if counted:
                self.retried += len(batch)
            self._enforce_locked()

    def _remove_locked(self, batch: Batch) -> None:
        if batch.on_disk:
            if self._db is None:
                return  # closed meanwhile (a stop): the file keeps them for the restart
            self._remove_disk_through(batch.last, len(batch), batch.bytes)
            return
        memory = self._memory
        while memory and memory[0].seq <= batch.last:
            self._memory_bytes -= len(memory.popleft().body)

    def _remove_disk_through(self, seq: int, records: int, size: int) -> None:
        self._disk_head = max(self._disk_head, seq)
        self._disk_records = max(0, self._disk_records - records)
        self._disk_bytes = max(0, self._disk_bytes - size)
        if self._db is None:
            return
        try:
            self._db.remove_through(seq)
        except StorageError as error:
            # Gone from this process's view; the file still has them: after a restart they
            # are sent again (counted then as possible duplicates).
            self._failures.failure(
                logging.WARNING,
                "remove",
                f"events queue: cannot remove delivered events from {self._db.path} ({error});"
                " they will be sent again after a restart",
            )

    # -- the budget ------------------------------------------------------------------------

    def _enforce_locked(self) -> None:
        if self._inflight is not None:
            return  # the front is being sent: its outcome first
        horizon = self._clock() - self.budget.max_age
        self._drop_disk(horizon)
        self._drop_memory(horizon)

    def _drop_disk(self, horizon: float) -> None:
        if self._db is None or not self._disk_records:
            return
        budget = self.budget.max_bytes
        while self._disk_records and (
            self._disk_bytes > budget or self._oldest_disk_locked() < horizon
        ):
            try:
                sizes = self._db.sizes(self._disk_head, _DROP_CHUNK)
            except StorageError:
                return
            if not sizes:
                self._disk_records = self._disk_bytes = 0
                return
            too_old = [row for row in sizes if row[2] < horizon]
            if too_old:
                last = too_old[-1][0]
                self._count_drop(DropReason.TOO_OLD, len(too_old))
                self._remove_disk_through(last, len(too_old), sum(r[1] for r in too_old))
                continue
            excess, taken, size = self._disk_bytes - budget, 0, 0
            for _seq, length, _accepted in sizes:
                taken += 1
                size += length
                if size >= excess:
                    break
            self._count_drop(DropReason.QUEUE_FULL, taken)
            self._remove_disk_through(sizes[taken - 1][0], taken, size)

    def _oldest_disk_locked(self) -> float:
        if self._db is None:
            return float("inf")
        try:
            rows = self._db.oldest(self._disk_head, 1)
        except StorageError:
            return float("inf")
        return rows[0].accepted if rows else float("inf")

    def _drop_memory(self, horizon: float) -> None:
        memory = self._memory
        too_old = 0
        while memory and memory[0].accepted < horizon:
            self._memory_bytes -= len(memory.popleft().body)
            too_old += 1
        if too_old:
            self._count_drop(DropReason.TOO_OLD, too_old)
        full = 0
        limit = self.budget.memory_max_bytes
        while memory and self._memory_bytes + MEMORY_OVERHEAD * len(memory) > limit:
            self._memory_bytes -= len(memory.popleft().body)
            full += 1
        if full:
            self._count_drop(DropReason.QUEUE_FULL, full)

    def _count_drop(self, reason: DropReason, records: int) -> None:
        self.dropped[reason] += records
        why = {
            DropReason.TOO_OLD: f"older than events.queue.max_age ({self.budget.max_age:g}s)",
            DropReason.QUEUE_FULL: "beyond the queue's budget (events.queue.max_bytes, or "
            "memory_max_bytes in memory)",
        }.get(reason, reason.value)
        self._failures.failure(
            logging.WARNING,
            f"drop:{reason.value}",
            f"events queue: dropped the {records} oldest undelivered events, {why}; "
            f"{self.dropped[reason]} so far (central_otel.events.dropped)",
        )

    # -- stopping and reading ----------------------------------------------------------------

    def close(self) -> None:
        """Write what memory holds to disk if possible, else count it as lost; close."""
        with self._lock:
            if self._memory and self._db is not None and not self._disk_ok:
                self._restore_locked()
            if self._memory:
                lost = len(self._memory)
                self.dropped[DropReason.NOT_PERSISTED] += lost
                log.warning(
                    "events queue: %d undelivered events were held in memory only and are "
                    "lost with this stop (%s)",
                    lost,
                    "no state_dir" if self._db is None else f"cannot write {self._db.path}",
                )
                self._memory.clear()
                self._memory_bytes = 0
            if self._db is not None:
                self._db.close()
                self._db = None
                self._disk_ok = False

    def reported_states(self) -> list[ReportedState]:
        """The reported states remembered on disk (empty without a disk tier)."""
        with self._lock:
            if self._db is None:
                return []
            try:
                return self._db.reported()
            except StorageError as error:
                log.warning("events queue: cannot read the reported states (%s)", error)
                return []

    def status(self) -> QueueStatus:
        with self._lock:
            oldest = self._memory[0].accepted if self._memory else None
            if self._disk_records:
                disk_oldest = self._oldest_disk_locked()
                if disk_oldest != float("inf"):
                    oldest = disk_oldest
            return QueueStatus(
                storage="disk" if self._disk_ok else "memory",
                path=str(self._db.path) if self._db is not None else None,
                storage_error=self._storage_error,
                disk_records=self._disk_records,
                disk_bytes=self._disk_bytes,
                memory_records=len(self._memory),
                memory_bytes=self._memory_bytes,
                oldest_accepted=oldest,
                accepted=self.accepted,
                delivered=self.delivered,
                retried=self.retried,
                resent_after_restart=self.resent_after_restart,
                dropped=dict(self.dropped),
                storage_failures=self.storage_failures,
                carried_over=self.carried_over,
            )

    def dropped_counts(self) -> dict[str, int]:
        """`dropped` by reason (cheaper than `status`: nothing is read from disk)."""
        with self._lock:
            return dict(self.dropped)

    @property
    def empty(self) -> bool:
        with self._lock:
            return not self._disk_records and not self._memory


def _within(rows: Sequence[StoredRecord], max_bytes: int) -> tuple[StoredRecord, ...]:
    """The leading `rows` within `max_bytes` (the first always)."""
    total = 0
    for index, row in enumerate(rows):
        total += len(row.body)
        if index and total > max_bytes:
            return tuple(rows[:index])
    return tuple(rows)


def _size(size: int) -> str:
    text = format_size(size)
    return f"{text} bytes" if text.isdigit() else text


def _report_opened(opened: Opened) -> None:
    if opened.problem is None:
        return
    if opened.problem.startswith("damaged"):
        lost = (
            "an unknown number could not be read"
            if opened.unreadable is None
            else f"{opened.unreadable} could not be read (counted as dropped: unreadable)"
        )
        log.warning(
            "events queue: %s was %s; %d events recovered from it and queued, %s; the file "
            "was moved to %s",
            opened.database.path,
            opened.problem,
            opened.salvaged,
            lost,
            opened.moved_to,
        )
    else:
        log.warning(
            "events queue: %s was %s; moved to %s, a new queue was created",
            opened.database.path,
            opened.problem,
            opened.moved_to,
        )
