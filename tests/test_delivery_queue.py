"""The event queue on a real disk: order, batches, settlement, budgets, the memory tier,
and what survives a stop, a SIGKILL and a full disk (real files, real processes)."""

from __future__ import annotations

import json
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from central_otel.delivery.database import FILE_NAME, StorageError, open_database
from central_otel.delivery.queue import (
    MEMORY_OVERHEAD,
    DropReason,
    EventQueue,
    NewRecord,
    QueueBudget,
)

BIG = QueueBudget(max_bytes=1 << 30, max_age=7 * 86400.0, memory_max_bytes=1 << 30)


def body(n: int, size: int = 100) -> bytes:
    return f"{n:08d}".encode().ljust(size, b".")


def records(
    first: int, count: int, *, accepted: float | None = None, size: int = 100
) -> list[NewRecord]:
    when = time.time() if accepted is None else accepted
    return [NewRecord(when, "CustomerA", body(n, size)) for n in range(first, first + count)]


def drain(queue: EventQueue, batch: int = 1000) -> list[bytes]:
    """Every record, sent and acknowledged batch by batch, in the order handed out."""
    out: list[bytes] = []
    while (b := queue.next_batch(batch, 1 << 30)) is not None:
        out.extend(r.body for r in b.records)
        queue.settle(b)
    return out


def test_records_leave_in_order_in_batches_only_when_settled(tmp_path: Path) -> None:
    queue = EventQueue.open(BIG, tmp_path)
    queue.add(records(0, 25))
    first = queue.next_batch(10, 1 << 30)
    assert first is not None
    assert first.on_disk
    assert [r.seq for r in first.records] == list(range(1, 11))
    queue.retry(first)  # a failed attempt keeps them at the front
    again = queue.next_batch(10, 1 << 30)
    assert again is not None
    assert again.records == first.records
    queue.settle(again, rejected=2)
    by_bytes = queue.next_batch(100, 350)  # three 100-byte records fit in 350 bytes
    assert by_bytes is not None
    assert [r.seq for r in by_bytes.records] == [11, 12, 13]
    queue.settle(by_bytes)
    status = queue.status()
    assert (status.accepted, status.delivered, status.retried) == (25, 11, 10)
    assert status.dropped == {DropReason.REJECTED: 2}
    assert (status.disk_records, status.disk_bytes) == (12, 1200)
    assert drain(queue) == [body(n) for n in range(13, 25)]
    queue.close()


def test_a_record_larger_than_the_byte_limit_is_still_sent_alone(tmp_path: Path) -> None:
    queue = EventQueue.open(BIG, tmp_path)
    queue.add(records(0, 2, size=5000))
    batch = queue.next_batch(10, 1000)
    assert batch is not None
    assert len(batch) == 1
    queue.close()


def test_the_queue_survives_a_stop_and_counts_what_may_arrive_twice(tmp_path: Path) -> None:
    queue = EventQueue.open(BIG, tmp_path)
    queue.add(records(0, 30))
    sent = queue.next_batch(10, 1 << 30)
    assert sent is not None
    queue.sending(sent)  # handed to the backend, no answer before the stop
    queue.close()
    folder = tmp_path / "events"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / FILE_NAME).stat().st_mode) == 0o600
    reopened = EventQueue.open(BIG, tmp_path)
    status = reopened.status()
    assert (status.disk_records, status.resent_after_restart) == (30, 10)
    assert drain(reopened) == [body(n) for n in range(30)]
    reopened.close()
    assert EventQueue.open(BIG, tmp_path).status().records == 0


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from central_otel.delivery.queue import EventQueue, NewRecord, QueueBudget
    queue = EventQueue.open(QueueBudget(1 << 30, 86400.0, 1 << 20), Path(sys.argv[1]))
    n = 0
    while True:
        queue.add([NewRecord(time.time(), "A", f"{n + i:08d}".encode() * 8) for i in range(7)])
        n += 7
        sys.stdout.write(f"{n}\\n")
        sys.stdout.flush()
    """
)


def test_every_record_added_before_a_sigkill_is_there_after_it(tmp_path: Path) -> None:
    """`add` returns once the records are on disk: killed at any moment, the writer
    loses nothing whose `add` returned (and nothing is torn)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    confirmed = 0
    for line in child.stdout:
        confirmed = int(line)
        if confirmed >= 3000:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    queue = EventQueue.open(BIG, tmp_path)
    found = drain(queue)
    queue.close()
    assert len(found) >= confirmed
    assert len(found) % 7 == 0  # whole transactions only
    assert found == [f"{n:08d}".encode() * 8 for n in range(len(found))]


def test_beyond_max_bytes_the_oldest_go_first_counted_exactly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    queue = EventQueue.open(QueueBudget(1000, 86400.0, 1 << 20), tmp_path)
    for first in range(0, 100, 20):
        queue.add(records(first, 20))
    status = queue.status()
    assert status.dropped == {DropReason.QUEUE_FULL: 90}
    assert (status.disk_records, status.disk_bytes) == (10, 1000)
    assert drain(queue) == [body(n) for n in range(90, 100)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[0] == (
        "events queue: dropped the 10 oldest undelivered events, beyond the queue's budget "
        "(events.queue.max_bytes, or memory_max_bytes in memory); 10 so far "
        "(central_otel.events.dropped)"
    )
    assert len(warnings) == 1  # then at DEBUG, with a reminder every 10 minutes
    queue.close()


def test_a_drained_queue_gives_its_disk_space_back(tmp_path: Path) -> None:
    """The file does not keep the size of its largest backlog."""
    queue = EventQueue.open(BIG, tmp_path)
    for first in range(0, 50_000, 1000):
        queue.add(records(first, 1000, size=400))
    path = tmp_path / "events" / FILE_NAME
    full = path.stat().st_size
    assert full > 20_000_000
    assert len(drain(queue, batch=5000)) == 50_000
    queue.maintain()
    assert path.stat().st_size < 100_000
    assert not (tmp_path / "events" / f"{FILE_NAME}-wal").stat().st_size
    queue.close()


def test_past_max_age_the_oldest_go_first_counted_exactly(tmp_path: Path) -> None:
    now = [1_000_000.0]
    opened = open_database(tmp_path)
    queue = EventQueue(QueueBudget(1 << 30, 3600.0, 1 << 20), opened, clock=lambda: now[0])
    queue.add(records(0, 5, accepted=now[0] - 7200))
    queue.add(records(5, 3, accepted=now[0] - 60))
    assert queue.status().dropped == {DropReason.TOO_OLD: 5}
    now[0] += 3600
    queue.maintain()
    status = queue.status()
    assert status.dropped == {DropReason.TOO_OLD: 8}
    assert status.records == 0
    queue.close()


def test_a_batch_being_sent_is_not_dropped_under_the_senders_feet(tmp_path: Path) -> None:
    queue = EventQueue.open(QueueBudget(500, 86400.0, 1 << 20), tmp_path)
    queue.add(records(0, 5))
    batch = queue.next_batch(3, 1 << 30)
    assert batch is not None
    queue.add(records(5, 5))  # over budget while the batch is out
    assert queue.status().dropped == {}
    queue.settle(batch)
    queue.maintain()
    status = queue.status()
    assert status.delivered == 3
    assert status.dropped == {DropReason.QUEUE_FULL: 2}
    assert drain(queue) == [body(n) for n in range(5, 10)]
    queue.close()


def test_without_state_dir_the_queue_is_in_memory_bounded_and_lost_at_stop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    limit = 10 * (100 + MEMORY_OVERHEAD)
    queue = EventQueue.open(QueueBudget(1 << 30, 86400.0, limit), None)
    queue.add(records(0, 25))
    status = queue.status()
    assert (status.storage, status.path, status.memory_records) == ("memory", None, 10)
    assert status.dropped == {DropReason.QUEUE_FULL: 15}
    batch = queue.next_batch(4, 1 << 30)
    assert batch is not None
    assert not batch.on_disk
    assert [r.body for r in batch.records] == [body(n) for n in range(15, 19)]
    queue.settle(batch)
    queue.close()
    assert queue.status().dropped == {DropReason.QUEUE_FULL: 15, DropReason.NOT_PERSISTED: 6}
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == (
        "events queue in memory (no state_dir): up to 2600 bytes, lost if the process "
        "stops before the backend accepted them"
    )
    assert messages[-1] == (
        "events queue: 6 undelivered events were held in memory only and are lost with this "
        "stop (no state_dir)"
    )


def test_a_state_dir_that_cannot_be_created_keeps_events_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    queue = EventQueue.open(BIG, blocker / "state")
    status = queue.status()
    assert status.storage == "memory"
    assert status.storage_failures == 1
    assert status.storage_error == f"cannot use {blocker / 'state' / 'events'}: Not a directory"
    message = caplog.records[-1].getMessage()
    assert message.startswith(
        f"events queue in memory: cannot use {blocker / 'state' / 'events'}: Not a directory;"
    )
    queue.close()


def test_one_process_per_state_dir(tmp_path: Path) -> None:
    first = EventQueue.open(BIG, tmp_path)
    second = EventQueue.open(BIG, tmp_path)
    assert second.status().storage_error == (
        f"{tmp_path / 'events'} is in use by another central-otel process (each needs its own "
        "state_dir)"
    )
    second.close()
    first.close()
    third = EventQueue.open(BIG, tmp_path)  # the lock went with the first
    assert third.status().storage == "disk"
    third.close()


_FULL_DISK = textwrap.dedent(
    """
    import json, logging, resource, signal, sys, time
    from pathlib import Path
    from central_otel.delivery import queue as q
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, like ENOSPC
    clock = [0.0]
    budget = q.QueueBudget(1 << 30, 86400.0, 1 << 30)
    queue = q.EventQueue(budget, q.open_database(Path(sys.argv[1])), monotonic=lambda: clock[0])
    path = Path(sys.argv[1]) / "events" / "events.db"
    def add(first, count):
        block = range(first, first + count)
        queue.add([q.NewRecord(time.time(), "A", f"{n:08d}".encode() * 64) for n in block])
    add(0, 10)
    limit = path.stat().st_size + (path.parent / "events.db-wal").stat().st_size
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    n = 10
    while queue.status().storage == "disk":
        add(n, 50)
        n += 50
    failed = queue.status()
    add(n, 50)
    n += 50
    clock[0] += q.RESTORE_INTERVAL  # not yet: the disk is still full
    queue.maintain()
    still = queue.status()
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    clock[0] += q.RESTORE_INTERVAL
    queue.maintain()
    restored = queue.status()
    queue.close()
    print(json.dumps({"added": n, "failed": [failed.storage, failed.storage_failures,
        failed.memory_records, failed.storage_error], "still": still.storage,
        "restored": [restored.storage, restored.disk_records, restored.memory_records]}))
    """
)


def test_a_full_disk_falls_back_to_memory_and_back_to_disk(tmp_path: Path) -> None:
    """A real write failure (a file-size limit, as a full disk fails a write): the
    records keep coming into memory, then go back to disk behind the older ones."""
    result = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    storage, failures, in_memory, error = report["failed"]
    assert (storage, failures) == ("memory", 1)
    assert in_memory == 50  # the batch whose write failed: in memory, not lost
    # A file-size limit fails the write with EFBIG, which SQLite calls an I/O error (a
    # full disk, ENOSPC, is "database or disk is full"): both are the same to the queue.
    assert error == "disk I/O error"
    assert report["still"] == "memory"
    assert report["restored"] == ["disk", report["added"], 0]
    path = tmp_path / "events" / FILE_NAME
    assert result.stderr.splitlines() == [
        f"events queue: cannot write to {path} (disk I/O error); new events are kept in memory "
        "(up to 1GiB) and written back every 30s until it works again",
        f"events queue: {path} can be written again; 100 events moved from memory to disk",
    ]
    queue = EventQueue.open(BIG, tmp_path)
    assert drain(queue) == [f"{n:08d}".encode() * 64 for n in range(report["added"])]
    queue.close()


# -- damaged and foreign files ---------------------------------------------------------


def _filled(folder: Path, count: int = 20_000, delivered: int = 0) -> Path:
    queue = EventQueue.open(BIG, folder)
    for first in range(0, count, 1000):
        queue.add(records(first, min(1000, count - first), size=200))
    while delivered > 0:
        batch = queue.next_batch(min(delivered, 1000), 1 << 30)
        assert batch is not None
        queue.settle(batch)
        delivered -= len(batch)
    queue.close()
    return folder / "events" / FILE_NAME


def _reopened(folder: Path) -> tuple[list[int], dict[str, int]]:
    queue = EventQueue.open(BIG, folder)
    dropped = dict(queue.status().dropped)
    found = [int(b[:8]) for b in drain(queue)]
    queue.close()
    return found, dropped


def test_a_truncated_file_gives_up_every_readable_record_and_counts_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _filled(tmp_path, delivered=5000)
    os.truncate(path, path.stat().st_size * 3 // 4)
    found, dropped = _reopened(tmp_path)
    assert found == list(range(5000, 5000 + len(found)))  # in order, none delivered before
    assert 5000 < len(found) < 15000
    assert dropped == {DropReason.UNREADABLE: 15000 - len(found)}
    (aside,) = path.parent.glob(f"{FILE_NAME}.damaged-*")
    warning = next(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert warning == (
        f"events queue: {path} was damaged (database disk image is malformed); "
        f"{len(found)} events recovered from it and queued, {15000 - len(found)} could not be "
        f"read (counted as dropped: unreadable); the file was moved to {aside}"
    )


def test_a_damaged_page_costs_only_the_records_on_it(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    with path.open("r+b") as stream:
        stream.seek(path.stat().st_size // 2)
        stream.write(os.urandom(4096))
    found, dropped = _reopened(tmp_path)
    lost = 20_000 - len(found)
    assert 0 < lost < 40  # one 4 KiB page of 200-byte records
    assert found == sorted(found)
    assert dropped == {DropReason.UNREADABLE: lost}


@pytest.mark.parametrize("damage", ["header", "first page"])
def test_a_file_whose_first_page_is_gone_is_still_read(tmp_path: Path, damage: str) -> None:
    """SQLite refuses such a file altogether; the reader below it does not."""
    path = _filled(tmp_path)
    with path.open("r+b") as stream:
        stream.write(os.urandom(100) if damage == "header" else bytes(4096))
    found, dropped = _reopened(tmp_path)
    assert found == list(range(20_000))
    assert dropped == {}


_KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from central_otel.delivery.queue import EventQueue, NewRecord, QueueBudget
    queue = EventQueue.open(QueueBudget(1 << 30, 86400.0, 1 << 20), Path(sys.argv[1]))
    for first in range(0, 3000, 100):
        block = range(first, first + 100)
        queue.add([NewRecord(time.time(), "A", f"{n:08d}".encode() * 25) for n in block])
    print("done", flush=True)
    time.sleep(60)
    """
)


def test_records_only_in_the_write_ahead_log_are_read_from_a_damaged_file(
    tmp_path: Path,
) -> None:
    """Killed before a checkpoint, then the main file damaged: the committed records in
    the log are still found (frames checked by salt and checksum)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "done\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    path = tmp_path / "events" / FILE_NAME
    assert (path.parent / f"{FILE_NAME}-wal").stat().st_size > 0
    with path.open("r+b") as stream:
        stream.write(os.urandom(100))
    queue = EventQueue.open(BIG, tmp_path)
    found = drain(queue)
    queue.close()
    assert found == [f"{n:08d}".encode() * 25 for n in range(3000)]


@pytest.mark.parametrize("kind", ["sqlite", "text", "empty sqlite"])
def test_a_foreign_file_is_moved_aside_and_a_new_queue_created(
    tmp_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    folder = tmp_path / "events"
    folder.mkdir()
    path = folder / FILE_NAME
    if kind == "text":
        path.write_text("not a database\n" * 500)
    else:
        connection = sqlite3.connect(path)
        if kind == "sqlite":
            connection.execute("CREATE TABLE something (x)")
            connection.commit()
        connection.execute("PRAGMA user_version=7")
        connection.close()
    queue = EventQueue.open(BIG, tmp_path)
    queue.add(records(0, 3))
    assert queue.status().storage == "disk"
    assert drain(queue) == [body(n) for n in range(3)]
    queue.close()
    (aside,) = folder.glob(f"{FILE_NAME}.foreign-*")
    what = "not an SQLite database" if kind == "text" else "not a central-otel events database"
    assert caplog.records[0].getMessage() == (
        f"events queue: {path} was foreign ({what}); moved to {aside}, a new queue was created"
    )


def test_a_file_of_a_newer_version_is_kept_aside(tmp_path: Path) -> None:
    import sqlite3

    _filled(tmp_path, count=10)
    path = tmp_path / "events" / FILE_NAME
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version=99")
    connection.close()
    found, _ = _reopened(tmp_path)
    assert found == []
    (aside,) = path.parent.glob(f"{FILE_NAME}.newer-*")
    assert aside.stat().st_size > 0


def test_storage_errors_name_the_problem(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("")
    with pytest.raises(StorageError, match=r"cannot use .*/events: File exists"):
        open_database(tmp_path)
