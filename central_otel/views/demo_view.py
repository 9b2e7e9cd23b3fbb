"""The live summary of `central-otel demo`: what the bridge is doing, at a glance.

Built on what any bridge offers: its subscriptions' stats and entity stores (the
`Bridge` that `serve` hands to `on_started`), the export counters of its telemetry,
and the event records it emits (`EventTap`, a log record processor added to the
telemetry's logger provider). On a terminal it is redrawn in place (`rich.live`);
elsewhere `plain_lines` gives the same facts as greppable lines.
"""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from central_otel.pipeline.app import Bridge
from central_otel.streaming.subscription import StreamState
from central_otel.telemetry.logs_api import LogRecordProcessor, ReadWriteLogRecord
from central_otel.telemetry.stats import ExportSnapshot, TelemetryStats
from central_otel.views.estate import NO_BAND, Estate, SiteCount, estate
from central_otel.views.text import (
    BAD,
    DIM,
    GOOD,
    PENDING,
    ago,
    counts_text,
    duration,
    grid,
    state_text,
    styled,
)

ESTATE_SHARE = 0.1  # of the time spent re-reading the estate, at most
EVENTS_SHOWN = 6
EVENT_KINDS_SHOWN = 3  # the most frequent, counted in the events' title
LOG_LINES_SHOWN = 3
# Events of every client coming and going would bury the rest: they are counted, the
# others listed (alerts, WIDS, rogues, devices and interfaces up and down, audit).
COUNTED_ONLY = ("aruba.client.",)


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    customer: str
    topic: str
    state: StreamState
    frames: int
    last_frame_age: float | None
    reconnects: str


@dataclass(frozen=True, slots=True)
class EventLine:
    number: int  # 1, 2, ... in the order emitted
    at: float  # wall clock
    severity: int  # OpenTelemetry SeverityNumber
    name: str
    body: str

    def severity_word(self) -> str:
        if self.severity >= 21:
            return "FATAL"
        if self.severity >= 17:
            return "ERROR"
        if self.severity >= 13:
            return "WARN"
        return "INFO"

    def style(self) -> str | None:
        return {"FATAL": BAD, "ERROR": BAD, "WARN": PENDING}.get(self.severity_word())

    def plain(self) -> str:
        clock = time.strftime("%H:%M:%S", time.localtime(self.at))
        return f"{clock} {self.severity_word():<5} {self.name}: {self.body}"


class EventTap(LogRecordProcessor):
    """Keeps the last event records the bridge emits, and counts them by name.

    Called on the emitting thread (the event loop) for every record: an append, no
    more. Records whose name starts with one of `counted_only` are only counted."""

    def __init__(self, keep: int = 200, counted_only: Sequence[str] = COUNTED_ONLY) -> None:
        self.lines: deque[EventLine] = deque(maxlen=keep)
        self.counts: Counter[str] = Counter()
        self._counted_only = tuple(counted_only)
        self._numbered = 0

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        record = log_record.log_record
        name = record.event_name or "(log)"
        self.counts[name] += 1
        if name.startswith(self._counted_only):
            return
        self._numbered += 1
        severity = record.severity_number.value if record.severity_number else 0
        self.lines.append(
            EventLine(self._numbered, time.time(), severity, name, str(record.body or ""))
        )

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class LogLines(io.TextIOBase):
    """A stream for the process log while the summary owns the terminal: keeps the
    last lines, for the summary to show."""

    def __init__(self, keep: int = 50) -> None:
        super().__init__()
        self.lines: deque[str] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            *complete, self._partial = (self._partial + text).split("\n")
            self.lines.extend(line for line in complete if line)
        return len(text)


class ExportWindow:
    """Items each signal exported (or tried to) over the last export interval.

    The catalogue's export and the SDK's self-metrics share the metrics counters, with
    a call each per interval: one interval's worth is what a person calls "the last
    export". Until a whole interval has passed, everything so far."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._history: deque[tuple[float, dict[str, int]]] = deque([(clock(), {})])

    def update(self, snapshots: Sequence[ExportSnapshot]) -> None:
        now = self._clock()
        totals = {s.signal: s.items_exported + s.items_failed for s in snapshots}
        self._history.append((now, totals))
        horizon = now - self.interval
        while len(self._history) > 2 and self._history[1][0] <= horizon:
            self._history.popleft()

    def items(self, signal: str) -> int:
        """The signal's items over the last interval, as of the last `update`."""
        latest = self._history[-1][1].get(signal, 0)
        base_at, base = self._history[0]
        if base_at > self._history[-1][0] - self.interval:
            base = {}  # less than an interval of history: since the start
        return latest - base.get(signal, 0)


class DemoView:
    """The summary of one demo run; `attach` the bridge once it runs."""

    def __init__(
        self,
        *,
        exporting_to: str,
        export_stats: TelemetryStats,
        export_interval: float,
        events: EventTap,
        log: LogLines | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.exporting_to = exporting_to
        self.export_stats = export_stats
        self.exported = ExportWindow(export_interval)
        self.events = events
        self.log = log
        self._clock = clock
        self.started = clock()
        self.bridge: Bridge | None = None
        self._printed_events = 0
        self._facts: Estate | None = None
        self._facts_at = 0.0  # monotonic
        self._facts_cost = 0.0

    def attach(self, bridge: Bridge) -> None:
        self.bridge = bridge

    # -- reading ------------------------------------------------------------------------

    def _subscriptions(self) -> list[SubscriptionRow]:
        if self.bridge is None:
            return []
        now = self._clock()
        rows = []
        for sub in self.bridge.streamer.all_subscriptions:
            stats = sub.stats
            age = None if stats.last_frame_at is None else now - stats.last_frame_at
            reconnects = counts_text(dict(stats.reconnects))
            rows.append(
                SubscriptionRow(
                    sub.customer, sub.topic.value, stats.state, stats.frames, age, reconnects
                )
            )
        return rows

    def _estate(self) -> Estate | None:
        return self._facts

    async def refresh(self) -> None:
        """Re-read the estate when it is due: in a worker thread, as the exporter
        reads the stores (100 000 clients take a quarter of a second), and at most
        `ESTATE_SHARE` of the time."""
        self.exported.update(self._exports())
        if self.bridge is None:
            return
        if self._facts is not None:
            due = self._facts_at + self._facts_cost / ESTATE_SHARE
            if time.monotonic() < due:
                return
        started = time.monotonic()
        stores = list(self.bridge.ingest.stores.values())
        self._facts = await asyncio.to_thread(estate, stores)
        self._facts_at = time.monotonic()
        self._facts_cost = self._facts_at - started

    def _exports(self) -> list[ExportSnapshot]:
        # The catalogue's metrics and the events: what a user of the demo looks for.
        return [self.export_stats.metrics.snapshot(), self.export_stats.logs.snapshot()]

    def exports_done(self) -> int:
        """Metric exports so far (succeeded or not): the plain lines' cadence."""
        s = self.export_stats.metrics.snapshot()
        return s.exports_succeeded + s.exports_failed

    # -- the live view --------------------------------------------------------------------

    def render(self) -> RenderableType:
        now = self._clock()
        parts: list[RenderableType] = [self._header(now)]
        subs = self._subscriptions()
        facts = self._estate()
        parts.append(_side_by_side(self._subscription_table(subs), self._device_table(facts)))
        if facts is not None:
            parts.append(_side_by_side(_client_table(facts), _busiest_table(facts)))
            if facts.sites:
                parts.append(_site_table(facts))
        parts.append(self._export_table(now))
        parts.append(self._event_lines())
        if self.log is not None and self.log.lines:
            log = Group(
                Text("LOG", style="bold"),
                *(styled(line, PENDING) for line in list(self.log.lines)[-LOG_LINES_SHOWN:]),
            )
            parts.append(log)
        spaced: list[RenderableType] = []
        for part in parts:
            spaced.extend((part, Text("")))
        return Group(*spaced[:-1])

    def _header(self, now: float) -> Text:
        line = Text("central-otel demo", style="bold")
        line.append(f"  up {duration(now - self.started)}", style=DIM)
        if self.bridge is not None and self.bridge.health is not None:
            line.append(f"  /status http://127.0.0.1:{self.bridge.health.port}", style=DIM)
        line.append(f"  export: {self.exporting_to}  Ctrl-C stops", style=DIM)
        return line

    def _subscription_table(self, subs: Sequence[SubscriptionRow]) -> Table:
        connected = sum(1 for s in subs if s.state is StreamState.CONNECTED)
        colour = GOOD if subs and connected == len(subs) else PENDING if connected else BAD
        title = Text("SUBSCRIPTIONS  ")
        title.append(f"{connected}/{len(subs)} connected", style=colour)
        # Two customers (the demo's Classic and New Central ones) may share a topic name.
        several = len({s.customer for s in subs}) > 1
        customer = ("customer",) if several else ()
        table = grid((*customer, "topic", "state", "frames", "last frame", "reconnects"))
        table.title = title
        for sub in subs:
            age = sub.last_frame_age
            table.add_row(
                *((sub.customer,) if several else ()),
                sub.topic,
                state_text(sub.state.value),
                str(sub.frames),
                "-" if age is None else f"{duration(age)} ago",
                sub.reconnects,
            )
        return table

    def _device_table(self, facts: Estate | None) -> Table:
        table = grid(("devices", "up", "down"))
        for count in facts.devices if facts is not None else ():
            table.add_row(
                count.kind,
                styled(str(count.up), GOOD if count.up else None),
                styled(str(count.down), BAD if count.down else None),
            )
        return table

    def _export_table(self, now: float) -> Table:
        table = grid(("last export", "items", "took", "when", "ok", "failed", "lost"))
        for s in self._exports():
            table.add_row(
                s.signal,
                self._items(s.signal),
                duration(s.last_export_duration),
                ago(s.last_export_unix, now),
                styled(str(s.exports_succeeded), GOOD if s.exports_succeeded else None),
                styled(str(s.exports_failed), BAD if s.exports_failed else None),
                styled(str(s.items_lost), BAD if s.items_lost else None),
            )
        return table

    def _items(self, signal: str) -> str:
        unit = "points" if signal == "metrics" else "records"
        return f"{self.exported.items(signal)} {unit}"

    def _event_lines(self) -> RenderableType:
        total = sum(self.events.counts.values())
        title = Text("EVENTS", style="bold", no_wrap=True, overflow="ellipsis")
        kinds = self.events.counts.most_common()
        counted = ", ".join(f"{n} {name}" for name, n in kinds[:EVENT_KINDS_SHOWN])
        if len(kinds) > EVENT_KINDS_SHOWN:
            counted += f", {len(kinds) - EVENT_KINDS_SHOWN} more kind(s)"
        title.append(f"  {total} since start" + (f": {counted}" if counted else ""), style=DIM)
        shown = list(self.events.lines)[-EVENTS_SHOWN:]
        lines: list[RenderableType] = [title]
        # One line per event: a long one is cut, not wrapped (`plain_lines` has it whole).
        lines.extend(
            Text(e.plain(), style=e.style() or "", no_wrap=True, overflow="ellipsis") for e in shown
        )
        if not shown:
            lines.append(styled("(none yet)", DIM))
        return Group(*lines)

    # -- plain lines ----------------------------------------------------------------------

    def plain_lines(self) -> list[str]:
        """The summary as lines (no colours, no cursor movement): for a pipe or a file."""
        now = self._clock()
        stamp = time.strftime("%H:%M:%S", time.localtime(now))
        subs = self._subscriptions()
        connected = sum(1 for s in subs if s.state is StreamState.CONNECTED)
        customers = list(dict.fromkeys(s.customer for s in subs))
        states = "; ".join(
            (f"{customer}: " if len(customers) > 1 else "")
            + ", ".join(f"{s.topic} {s.state.value}" for s in subs if s.customer == customer)
            for customer in customers
        )
        lines = [f"subscriptions: {connected}/{len(subs)} connected ({states})"]
        facts = self._estate()
        if facts is not None:
            devices = "; ".join(f"{d.kind} {d.up} up {d.down} down" for d in facts.devices)
            lines.append(f"devices: {devices or 'none yet'}")
            if facts.sites:
                sites = "; ".join(
                    f"{_site_name(facts, s)} {s.devices} devices {s.down} down" for s in facts.sites
                )
                lines.append(f"sites: {sites}")
            per_ssid = "; ".join(
                f"{ssid}: " + ", ".join(f"{band} {n}" for band, n in _by_band(facts, bands))
                for ssid, bands in sorted(facts.clients.items())
            )
            lines.append(
                f"clients: {facts.wireless_clients} wireless ({per_ssid or 'none'}), "
                f"{facts.wired_clients} wired"
            )
            busiest = "; ".join(
                f"{ap.name} {ap.clients} clients {_percent(ap.utilization)}"
                + (f" ({ap.band})" if ap.band else "")
                + (f" at {ap.site}" if ap.site else "")
                for ap in facts.busiest
            )
            lines.append(f"busiest APs: {busiest or 'none yet'}")
        exports = "; ".join(
            f"{s.signal} {self._items(s.signal)}, took {duration(s.last_export_duration)} "
            f"({s.exports_succeeded} ok, "
            f"{s.exports_failed} failed, {s.items_lost} lost)"
            for s in self._exports()
        )
        lines.append(f"last export: {exports}")
        return [f"{stamp} {line}" for line in lines]

    def new_event_lines(self) -> list[str]:
        """Event lines not given by an earlier call (oldest first)."""
        fresh = [e for e in self.events.lines if e.number > self._printed_events]
        if fresh:
            self._printed_events = fresh[-1].number
        return [f"event {e.plain()}" for e in fresh]

    def new_log_lines(self, seen: int) -> tuple[list[str], int]:
        """Log lines after the first `seen`, and the new count."""
        if self.log is None:
            return [], seen
        lines = list(self.log.lines)
        return lines[seen:], len(lines)


def _side_by_side(left: RenderableType, right: RenderableType) -> Table:
    layout = Table.grid(padding=(0, 6))
    layout.add_row(left, right)
    return layout


def _by_band(facts: Estate, bands: Counter[str]) -> list[tuple[str, int]]:
    return [(band, bands[band]) for band in facts.bands() if bands[band]]


def _client_table(facts: Estate) -> Table:
    bands = facts.bands()
    table = grid(("clients (ssid)", *(Text(band, style="bold") for band in bands), "total"))
    for ssid, counts in sorted(facts.clients.items()):
        table.add_row(
            ssid,
            *(str(counts[band]) if counts[band] else "-" for band in bands),
            str(sum(counts.values())),
        )
    table.add_row(styled("wired", DIM), *([""] * len(bands)), styled(str(facts.wired_clients), DIM))
    if NO_BAND in bands:
        table.caption = "-: band not known yet"
    return table


def _busiest_table(facts: Estate) -> Table:
    with_site = any(ap.site for ap in facts.busiest)
    table = grid(("busiest aps", "clients", "channel util", *(("site",) if with_site else ())))
    for ap in facts.busiest:
        util = Text(_percent(ap.utilization), style=_utilization_style(ap.utilization) or "")
        if ap.band:
            util.append(f" {ap.band}", style=DIM)
        site = (ap.site or "-",) if with_site else ()
        table.add_row(ap.name, str(ap.clients), util, *site)
    return table


def _site_table(facts: Estate) -> Table:
    """Devices per site (device context from Central's REST API)."""
    table = grid(("sites", "devices", "down"))
    for site in facts.sites:
        table.add_row(
            _site_name(facts, site),
            str(site.devices),
            styled(str(site.down), BAD if site.down else None),
        )
    return table


def _site_name(facts: Estate, site: SiteCount) -> str:
    """A site, with its customer's name when sites of several customers are shown (two
    customers' "HQ" are two sites)."""
    several = len({s.customer for s in facts.sites}) > 1
    return f"{site.customer}/{site.site}" if several else site.site


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction:.0%}"


def _utilization_style(fraction: float | None) -> str | None:
    if fraction is None:
        return None
    if fraction >= 0.8:
        return BAD
    return PENDING if fraction >= 0.5 else GOOD
