"""The events database: one SQLite file, `state_dir/events/events.db`, holding the
delivery queue (`records`) and the states already reported as events (`reported`).

SQLite in WAL mode with ``synchronous=FULL``: a commit returns once the write-ahead
log is on disk, so a committed record survives SIGKILL, a crash and a power cut, and
a write torn at the end of the log belongs to a transaction that never committed
(SQLite checksums log frames and ignores such a tail when it opens the file). One
process owns the directory (an advisory lock, ``events.lock``); the connection holds
SQLite's lock exclusively, so no shared-memory file is used.

Opening checks, in order: that the file is SQLite at all, that it is ours
(``application_id``) and of a schema this version reads (``user_version``), and
``quick_check``. A file that fails is moved aside (``events.db.<problem>-<time>``,
only the latest such file is kept) and a new one is created; a damaged file of ours
first gives up every record that can still be read, in order, and says how many
could not be. Every failure is a `StorageError`: the caller falls back to memory.

Not thread-safe: `central_otel.delivery.queue.EventQueue` serialises the calls.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from central_otel.config.files import SECRET_FILE_MODE, make_private_dir
from central_otel.delivery.rows import ReportedState, StoredRecord
from central_otel.delivery.salvage import salvage

log = logging.getLogger(__name__)

APPLICATION_ID = 0x43454F31  # "CEO1": a file with another id is not ours
SCHEMA_VERSION = 1
DIRECTORY = "events"
FILE_NAME = "events.db"
LOCK_NAME = "events.lock"
WAL_LIMIT = 8 * 1024 * 1024  # bytes the write-ahead log is truncated to after a checkpoint
# Free pages given back to the file system once they are this share of the file (and
# at least RECLAIM_MIN bytes): a drained queue does not keep its peak size on disk.
RECLAIM_SHARE = 0.25
RECLAIM_MIN = 4 * 1024 * 1024

_SCHEMA = (
    "CREATE TABLE records (seq INTEGER PRIMARY KEY, accepted REAL NOT NULL,"
    " customer TEXT NOT NULL, body BLOB NOT NULL)",
    "CREATE TABLE reported (customer TEXT NOT NULL, cls TEXT NOT NULL, key BLOB NOT NULL,"
    " state INTEGER NOT NULL, PRIMARY KEY (customer, cls, key)) WITHOUT ROWID",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)
_TABLES = {"records", "reported", "meta"}
# last_seq: the last sequence number given; removed_through: the last removed (removal is
# from the front); records: how many are queued; sent_through: the last record handed to
# the backend (records up to it still queued at start may have been delivered already).
# Kept in the same transactions as the records, they tell a damaged file's reader how
# many records it held and which rows are gone.
_META = ("last_seq", "removed_through", "records", "sent_through")
PAGE_SIZE = 4096


class StorageError(Exception):
    """The database cannot be used (unwritable directory, full disk, I/O error, lock held)."""


@dataclass(frozen=True, slots=True)
class Opened:
    """An open database and what opening it found."""

    database: EventsDatabase
    problem: str | None = None
    """What was wrong with the file found (None: nothing), as a log line says it."""
    moved_to: Path | None = None
    """Where that file went."""
    salvaged: int = 0
    """Records read back from a damaged file (they are in the new one)."""
    unreadable: int | None = 0
    """Records of a damaged file that could not be read; None: not known (its
    bookkeeping was unreadable too)."""


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # EXCLUSIVE before WAL: then the log needs no shared-memory file.
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        connection.close()
        raise sqlite3.OperationalError(f"cannot use write-ahead logging (journal mode {mode})")
    connection.execute("PRAGMA synchronous=FULL")
    # Deleted rows are zeroed: a damaged file's reader (`salvage`) cannot bring back an
    # event that was already delivered.
    connection.execute("PRAGMA secure_delete=ON")
    connection.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
    return connection


class EventsDatabase:
    """The open file. Every method raises `StorageError` on failure and leaves the file
    as it was (each change is one transaction)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, lock_fd: int) -> None:
        self.path = path
        self._db = connection
        self._lock_fd = lock_fd
        meta = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        self.last_seq = int(meta.get("last_seq", 0))
        self.sent_through = int(meta.get("sent_through", 0))
        count, size, top = self._db.execute(
            "SELECT count(*), coalesce(sum(length(body)), 0), coalesce(max(seq), 0) FROM records"
        ).fetchone()
        self.records = int(count)
        self.bytes = int(size)
        self.last_seq = max(self.last_seq, int(top))

    # -- writing

    def store(
        self, records: Sequence[StoredRecord], reported: Iterable[ReportedState] = ()
    ) -> None:
        """Add `records` (sequence numbers above `last_seq`) and apply `reported`, in one
        transaction: on return both are on disk."""
        last = records[-1].seq if records else self.last_seq
        size = sum(len(r.body) for r in records)
        with self._transaction():
            self._db.executemany(
                "INSERT INTO records (seq, accepted, customer, body) VALUES (?, ?, ?, ?)",
                [(r.seq, r.accepted, r.customer, r.body) for r in records],
            )
            self._apply_reported(reported)
            if records:
                self._set_meta("last_seq", last)
                self._set_meta("records", self.records + len(records))
        self.last_seq = max(self.last_seq, last)
        self.records += len(records)
        self.bytes += size

    def _apply_reported(self, reported: Iterable[ReportedState]) -> None:
        for customer, cls, key, state in reported:
            if state is None:
                self._db.execute(
                    "DELETE FROM reported WHERE customer = ? AND cls = ? AND key = ?",
                    (customer, cls, key),
                )
            else:
                self._db.execute(
                    "INSERT INTO reported (customer, cls, key, state) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (customer, cls, key) DO UPDATE SET state = excluded.state",
                    (customer, cls, key, state),
                )

    def remove_through(self, seq: int) -> tuple[int, int]:
        """Remove the records up to `seq`; (records, bytes) removed."""
        with self._transaction():
            count, size = self._db.execute(
                "SELECT count(*), coalesce(sum(length(body)), 0) FROM records WHERE seq <= ?",
                (seq,),
            ).fetchone()
            self._db.execute("DELETE FROM records WHERE seq <= ?", (seq,))
            self._set_meta("records", self.records - int(count))
            self._set_meta("removed_through", seq)
        self.records -= int(count)
        self.bytes -= int(size)
        return int(count), int(size)

    def mark_sent(self, seq: int) -> None:
        """Remember that the records up to `seq` were handed to the backend."""
        if seq > self.sent_through:
            with self._transaction():
                self._set_meta("sent_through", seq)
            self.sent_through = seq

    def reclaim(self) -> int:
        """Give free pages back to the file system when they are a large share of the
        file; the bytes given back."""
        try:
            page_size = int(self._db.execute("PRAGMA page_size").fetchone()[0])
            pages = int(self._db.execute("PRAGMA page_count").fetchone()[0])
            free = int(self._db.execute("PRAGMA freelist_count").fetchone()[0])
            if free * page_size < RECLAIM_MIN or free < pages * RECLAIM_SHARE:
                return 0
            # executescript steps the pragma to its end (one page per step); execute
            # would free a single page.
            self._db.executescript("PRAGMA incremental_vacuum;")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None
        return free * page_size

    def _set_meta(self, name: str, value: int) -> None:
        self._db.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError) as error:
            raise StorageError(_describe(error)) from None

    # -- reading

    def oldest(self, after: int, limit: int) -> list[StoredRecord]:
        """Up to `limit` records with a sequence number above `after`, oldest first."""
        try:
            rows = self._db.execute(
                "SELECT seq, accepted, customer, body FROM records WHERE seq > ?"
                " ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None
        return [StoredRecord(int(s), float(a), str(c), bytes(b)) for s, a, c, b in rows]

    def sizes(self, after: int, limit: int) -> list[tuple[int, int, float]]:
        """(seq, bytes, accepted) of the `limit` oldest records above `after`."""
        try:
            rows = self._db.execute(
                "SELECT seq, length(body), accepted FROM records WHERE seq > ?"
                " ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None
        return [(int(s), int(n), float(a)) for s, n, a in rows]

    def oldest_accepted(self) -> float | None:
        try:
            row = self._db.execute("SELECT accepted FROM records ORDER BY seq LIMIT 1").fetchone()
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None
        return None if row is None else float(row[0])

    def count_through(self, seq: int) -> int:
        """Records with a sequence number up to `seq`."""
        try:
            row = self._db.execute("SELECT count(*) FROM records WHERE seq <= ?", (seq,))
            return int(row.fetchone()[0])
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None

    def reported(self) -> list[ReportedState]:
        try:
            rows = self._db.execute("SELECT customer, cls, key, state FROM reported").fetchall()
        except sqlite3.Error as error:
            raise StorageError(_describe(error)) from None
        return [(str(c), str(k), bytes(key), int(s)) for c, k, key, s in rows]

    def file_bytes(self) -> int:
        """The size of the database and its log on disk."""
        total = 0
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        with contextlib.suppress(OSError):
            os.close(self._lock_fd)


# -- opening -----------------------------------------------------------------------------


def open_database(state_dir: Path) -> Opened:
    """Open (or create) the events database under `state_dir`, recovering a damaged or
    foreign file. StorageError when the directory cannot be used."""
    folder = state_dir / DIRECTORY
    try:
        make_private_dir(state_dir)
        make_private_dir(folder)
        lock_fd = _lock(folder / LOCK_NAME)
    except OSError as error:
        raise StorageError(f"cannot use {folder}: {_describe(error)}") from None
    try:
        return _open_locked(folder / FILE_NAME, lock_fd)
    except BaseException:
        os.close(lock_fd)
        raise


def _lock(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, SECRET_FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StorageError(
            f"{path.parent} is in use by another central-otel process (each needs its own "
            "state_dir)"
        ) from None
    except OSError:
        os.close(fd)
        raise
    return fd


def _open_locked(path: Path, lock_fd: int) -> Opened:
    problem = _problem(path) if path.exists() and path.stat().st_size > 0 else None
    if problem is None and path.exists():
        try:
            return Opened(EventsDatabase(_connect(path), path, lock_fd))
        except (sqlite3.Error, OSError) as error:
            problem = f"damaged ({_describe(error)})"
    if problem is None:
        return Opened(_create(path, lock_fd))
    kind = problem.split(" ", 1)[0]
    found = salvage(path) if kind in ("damaged", "unreadable") else None
    if kind == "unreadable":
        # Not SQLite to SQLite: a file of ours whose first page is gone still has our
        # rows further on; anything else is someone else's file.
        if found is not None and set(_META) <= found.meta_names:
            kind, problem = "damaged", "damaged (its first page cannot be read)"
        else:
            kind, problem, found = "foreign", "foreign (not an SQLite database)", None
    moved = _move_aside(path, kind)
    database = _create(path, lock_fd)
    if found is None:
        return Opened(database, problem, moved)
    try:
        for start in range(0, len(found.records), 5000):
            database.store(found.records[start : start + 5000])
        database.store([], found.reported)
        database.mark_sent(found.sent_through)
    except StorageError:
        database.close()
        raise
    unreadable = None if found.held is None else max(0, found.held - len(found.records))
    return Opened(database, problem, moved, len(found.records), unreadable)


def _problem(path: Path) -> str | None:
    """What is wrong with the file at `path`, None if it is a sound database of ours."""
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        return f"damaged ({_describe(error)})"
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if application_id != APPLICATION_ID:
            return "foreign (not a central-otel events database)"
        if version > SCHEMA_VERSION:
            return f"newer (schema {version}, written by a newer central-otel)"
        if not tables >= _TABLES:
            return "damaged (tables missing)"
        result = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
        if result != ["ok"]:
            return f"damaged ({'; '.join(str(r) for r in result)})"
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            return "unreadable (not an SQLite database)"
        return f"damaged ({_describe(error)})"
    finally:
        connection.close()
    return None


def _move_aside(path: Path, kind: str) -> Path:
    """Rename the database (and its log) out of the way; older files moved aside go."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.{kind}-{stamp}")
    for old in path.parent.glob(f"{path.name}.*-*"):
        with contextlib.suppress(OSError):
            old.unlink()
    try:
        os.replace(path, target)
        for suffix in ("-wal", "-shm", "-journal"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, target.with_name(target.name + suffix))
    except OSError as error:
        raise StorageError(f"cannot move {path} aside: {_describe(error)}") from None
    return target


def _create(path: Path, lock_fd: int) -> EventsDatabase:
    try:
        # Private before anything is written; SQLite gives its log the same mode.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, SECRET_FILE_MODE)
        os.close(fd)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA page_size={PAGE_SIZE}")  # before the first table
            connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
            connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.execute("BEGIN")
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.executemany(
                "INSERT INTO meta (name, value) VALUES (?, 0)", [(name,) for name in _META]
            )
            connection.execute("COMMIT")
        finally:
            connection.close()
        return EventsDatabase(_connect(path), path, lock_fd)
    except (sqlite3.Error, OSError) as error:
        raise StorageError(f"cannot create {path}: {_describe(error)}") from None
