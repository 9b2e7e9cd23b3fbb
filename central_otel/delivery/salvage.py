"""Reading what can still be read from a damaged events database.

Two readers, whose results are merged by sequence number:

- through SQLite: the queue's records in order from the front, and from the back
  when the middle cannot be read; the reported states; the bookkeeping;
- below SQLite, from the file format itself (sqlite.org/fileformat2.html): every
  page of the file, overlaid with the pages of transactions committed to the
  write-ahead log (frames checked against their salts and checksums, up to the last
  commit), is looked at, and every table or index leaf page gives up the rows it
  holds. This works when SQLite refuses the whole file: a truncated file, a damaged
  header, a damaged interior page.

Deleted rows cannot come back: the database runs with ``secure_delete`` (deleted
content is zeroed) and the reader ignores records at or below the last removed
sequence number when that is known.
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from central_otel.delivery.rows import (
    ReportedState,
    StoredRecord,
)

_HEADER = b"SQLite format 3\x00"
_TABLE_LEAF, _INDEX_LEAF = 13, 10
_WAL_MAGIC = (0x377F0682, 0x377F0683)  # little- and big-endian checksums


@dataclass(slots=True)
class Salvage:
    """What a damaged database gave up."""

    records: list[StoredRecord] = field(default_factory=list)  # oldest first
    reported: list[ReportedState] = field(default_factory=list)
    held: int | None = None  # records the file held by its bookkeeping; None: not known
    sent_through: int = 0
    meta_names: frozenset[str] = frozenset()  # the bookkeeping rows found


def salvage(path: Path) -> Salvage:
    """Everything readable in the damaged database at `path` (and its log)."""
    through_sql = _through_sqlite(path)
    below = _below_sqlite(path)
    meta = {**below.meta, **through_sql.meta}
    removed = meta.get("removed_through", 0)
    records = {r.seq: r for r in below.records if r.seq > removed}
    records.update((r.seq, r) for r in through_sql.records if r.seq > removed)
    reported = through_sql.reported or below.reported
    held = through_sql.count if through_sql.count is not None else meta.get("records")
    return Salvage(
        records=[records[seq] for seq in sorted(records)],
        reported=list({(c, k, key): (c, k, key, s) for c, k, key, s in reported}.values()),
        held=held,
        sent_through=meta.get("sent_through", 0),
        meta_names=frozenset(meta),
    )


@dataclass(slots=True)
class _Found:
    records: list[StoredRecord] = field(default_factory=list)
    reported: list[ReportedState] = field(default_factory=list)
    meta: dict[str, int] = field(default_factory=dict)
    count: int | None = None


# -- through SQLite ------------------------------------------------------------------------


def _through_sqlite(path: Path) -> _Found:
    found = _Found()
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return found
    try:
        found.records = _scan(connection, "ASC")
        tail = _scan(connection, "DESC", above=found.records[-1].seq if found.records else 0)
        found.records.extend(reversed(tail))
        with contextlib.suppress(sqlite3.Error):
            for customer, cls, key, state in connection.execute(
                "SELECT customer, cls, key, state FROM reported"
            ):
                found.reported.append((str(customer), str(cls), bytes(key), int(state)))
        with contextlib.suppress(sqlite3.Error):
            found.meta = {
                str(name): int(value)
                for name, value in connection.execute("SELECT name, value FROM meta")
            }
        with contextlib.suppress(sqlite3.Error):
            found.count = int(connection.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        connection.close()
    return found


def _scan(connection: sqlite3.Connection, order: str, *, above: int = 0) -> list[StoredRecord]:
    """Records in `order` until the first that cannot be read."""
    found: list[StoredRecord] = []
    query = f"SELECT seq, accepted, customer, body FROM records WHERE seq > ? ORDER BY seq {order}"
    with contextlib.suppress(sqlite3.Error):
        for seq, accepted, customer, body in connection.execute(query, (above,)):
            if not isinstance(body, bytes) or not isinstance(customer, str):
                break
            found.append(StoredRecord(int(seq), float(accepted), customer, body))
    return found


# -- below SQLite --------------------------------------------------------------------------


def _below_sqlite(path: Path) -> _Found:
    found = _Found()
    try:
        data = path.read_bytes()
    except OSError:
        return found
    page_size = _page_size(data)
    pages = {
        number + 1: data[offset : offset + page_size]
        for number, offset in enumerate(range(0, len(data) - page_size + 1, page_size))
    }
    wal_size, wal_pages = _wal_pages(path.with_name(path.name + "-wal"))
    if wal_pages and page_size in (0, wal_size):
        page_size = wal_size
        pages.update(wal_pages)
    if not page_size:
        return found
    usable = page_size - (data[20] if len(data) > 20 and data.startswith(_HEADER) else 0)
    reader = _PageReader(pages, usable)
    for number, page in pages.items():
        start = 100 if number == 1 else 0
        if len(page) < start + 8 or page[start] not in (_TABLE_LEAF, _INDEX_LEAF):
            continue
        for rowid, values in reader.cells(page, start):
            _classify(found, rowid, values)
    return found


def _classify(found: _Found, rowid: int | None, values: list[Any]) -> None:
    """A row of one of the three tables, told apart by shape (sqlite_master's are not)."""
    if rowid is not None and len(values) == 4:  # records (seq is the rowid)
        _, accepted, customer, body = values
        if (
            isinstance(accepted, int | float)
            and isinstance(customer, str)
            and isinstance(body, bytes)
        ):
            found.records.append(StoredRecord(rowid, float(accepted), customer, body))
    elif rowid is None and len(values) == 2:  # meta
        name, value = values
        if isinstance(name, str) and isinstance(value, int):
            found.meta[name] = value
    elif rowid is None and len(values) == 4:  # reported
        customer, cls, key, state = values
        if (
            isinstance(customer, str)
            and isinstance(cls, str)
            and isinstance(key, bytes)
            and isinstance(state, int)
        ):
            found.reported.append((customer, cls, key, state))


def _page_size(data: bytes) -> int:
    if len(data) < 100 or not data.startswith(_HEADER):
        return 4096 if len(data) >= 4096 else 0  # the size this project creates files with
    size = struct.unpack(">H", data[16:18])[0]
    size = 65536 if size == 1 else size
    return size if size >= 512 and size & (size - 1) == 0 else 4096


def _wal_pages(path: Path) -> tuple[int, dict[int, bytes]]:
    """(page size, the latest committed image of each page) of a write-ahead log."""
    try:
        wal = path.read_bytes()
    except OSError:
        return 0, {}
    if len(wal) < 32:
        return 0, {}
    magic, _version, page_size, _checkpoint, salt1, salt2 = struct.unpack(">6I", wal[:24])
    if magic not in _WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return 0, {}
    order = ">" if magic & 1 else "<"
    s0, s1 = _checksum(wal[:24], 0, 0, order)
    if (s0, s1) != struct.unpack(">2I", wal[24:32]):
        return 0, {}
    committed: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + page_size <= len(wal):
        number, commit, f_salt1, f_salt2, c0, c1 = struct.unpack(">6I", wal[offset : offset + 24])
        page = wal[offset + 24 : offset + 24 + page_size]
        if (f_salt1, f_salt2) != (salt1, salt2):
            break
        s0, s1 = _checksum(wal[offset : offset + 8], s0, s1, order)
        s0, s1 = _checksum(page, s0, s1, order)
        if (s0, s1) != (c0, c1):
            break
        pending[number] = page
        if commit:
            committed.update(pending)
            pending.clear()
        offset += 24 + page_size
    return page_size, committed


def _checksum(data: bytes, s0: int, s1: int, order: str) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


class _PageReader:
    """Cells of b-tree leaf pages, following overflow chains through `pages`."""

    def __init__(self, pages: dict[int, bytes], usable: int) -> None:
        self.pages = pages
        self.usable = usable

    def cells(self, page: bytes, start: int) -> Iterator[tuple[int | None, list[Any]]]:
        kind = page[start]
        count = struct.unpack(">H", page[start + 3 : start + 5])[0]
        pointers = start + 8
        for index in range(count):
            at = pointers + 2 * index
            if at + 2 > len(page):
                return
            offset = struct.unpack(">H", page[at : at + 2])[0]
            with contextlib.suppress(ValueError, IndexError, struct.error):
                yield self._cell(page, offset, kind)

    def _cell(self, page: bytes, offset: int, kind: int) -> tuple[int | None, list[Any]]:
        size, offset = _varint(page, offset)
        rowid: int | None = None
        if kind == _TABLE_LEAF:
            rowid, offset = _varint(page, offset)
        payload = self._payload(page, offset, size, kind)
        return rowid, _record(payload)

    def _payload(self, page: bytes, offset: int, size: int, kind: int) -> bytes:
        usable = self.usable
        most = usable - 35 if kind == _TABLE_LEAF else (usable - 12) * 64 // 255 - 23
        if size <= most:
            if offset + size > len(page):
                raise ValueError("cell beyond its page")
            return page[offset : offset + size]
        least = (usable - 12) * 32 // 255 - 23
        local = least + (size - least) % (usable - 4)
        if local > most:
            local = least
        parts = [page[offset : offset + local]]
        remaining = size - local
        next_page = struct.unpack(">I", page[offset + local : offset + local + 4])[0]
        while remaining > 0:
            overflow = self.pages.get(next_page)
            if overflow is None:
                raise ValueError("overflow page missing")
            chunk = overflow[4 : 4 + min(remaining, usable - 4)]
            parts.append(chunk)
            remaining -= len(chunk)
            next_page = struct.unpack(">I", overflow[:4])[0]
        return b"".join(parts)


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value = 0
    for index in range(9):
        byte = data[offset + index]
        if index == 8:
            return (value << 8) | byte, offset + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, offset + index + 1
    raise ValueError("varint")  # pragma: no cover - the loop always returns


_INT_SIZES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def _record(payload: bytes) -> list[Any]:
    header_size, offset = _varint(payload, 0)
    types: list[int] = []
    while offset < header_size:
        serial, offset = _varint(payload, offset)
        types.append(serial)
    body = header_size
    values: list[Any] = []
    for serial in types:
        if serial == 0:
            values.append(None)
        elif serial in _INT_SIZES:
            width = _INT_SIZES[serial]
            values.append(int.from_bytes(payload[body : body + width], "big", signed=True))
            body += width
        elif serial == 7:
            values.append(struct.unpack(">d", payload[body : body + 8])[0])
            body += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12:
            length = (serial - 12) // 2
            raw = payload[body : body + length]
            if len(raw) != length:
                raise ValueError("value beyond its record")
            values.append(raw if serial % 2 == 0 else raw.decode("utf-8"))
            body += length
        else:
            raise ValueError("reserved serial type")
    return values
