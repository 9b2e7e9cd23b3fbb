"""A running bridge's /status as people read it: one row per subscription, per
customer and per export signal, then whatever other sections the bridge reports,
then what is wrong.

Tolerant by design: /status grows as the bridge does (the event queue, device
context, OAuth tokens), so known sections get their columns and any other section is
drawn generically, and a missing field reads as ``-``. What counts as unhealthy is
`problems`; the `status` command exits non-zero when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from central_otel.views.text import (
    BAD,
    DIM,
    GOOD,
    ago,
    counts_text,
    duration,
    grid,
    state_text,
    styled,
)

MAX_LOOP_LAG = 5.0  # seconds; the same bound as /healthz (central_otel.health)
FAILED_OUTCOMES = frozenset({"failed", "rejected", "error"})

# Sections drawn with their own columns (or folded into the headline and the
# ingest line); every other top-level key is drawn generically.
_KNOWN = frozenset(
    {
        "ready",
        "summary",
        "event_loop_lag_seconds",
        "event_loop_max_lag_seconds",
        "events",
        "subscriptions",
        "customers",
        "exports",
        "frames_decoded",
        "decode_errors",
        "events_emitted",
        "entities",
        "entities_dropped",
    }
)
_CUSTOMER_COLUMNS = (
    "customer",
    "key_fingerprint",
    "key_last_validated",
    "key_last_outcome",
    "key_validations",
    "key_renewals",
    # A New Central customer's access token, shown in the same columns.
    "platform",
    "token_fingerprint",
    "token_age_seconds",
    "token_expires_in_seconds",
    "token_expires_at",
    "token_requests",
    "token_renewals",
    "token_last_outcome",
    "token_last_error",
)


def problems(doc: Mapping[str, Any]) -> list[str]:
    """What is wrong, one line each; empty when the bridge is healthy."""
    found: list[str] = []
    if not doc.get("ready", False):
        found.append(f"not ready: {doc.get('summary') or 'no summary'}")
    for sub in _rows(doc.get("subscriptions")):
        state = sub.get("state")
        if state != "connected":
            where = f"{sub.get('customer', '?')}/{sub.get('topic', '?')}"
            error = f": {sub['last_error']}" if sub.get("last_error") else ""
            found.append(f"subscription {where} is {state or 'in no state'}{error}")
    for customer in _rows(doc.get("customers")):
        outcome = customer.get("key_last_outcome")
        if outcome in FAILED_OUTCOMES:
            found.append(f"customer {customer.get('customer', '?')}: key validation {outcome}")
        token = customer.get("token_last_outcome")  # a New Central customer's access token
        if token in FAILED_OUTCOMES:
            found.append(f"customer {customer.get('customer', '?')}: access token {token}")
    for signal, export in _named_rows(doc.get("exports")):
        if export.get("last_error"):
            found.append(f"{signal} export failing: {export['last_error']}")
    lag = doc.get("event_loop_lag_seconds")
    if isinstance(lag, int | float) and lag > MAX_LOOP_LAG:
        found.append(f"event loop lagging {lag:.1f}s")
    found.extend(_event_problems(doc.get("events")))
    for name, value in doc.items():
        if name not in _KNOWN:
            found.extend(f"{_title(name).lower()}: {p}" for p in _section_problems(value))
    return found


def render(doc: Mapping[str, Any], *, source: str, now: float) -> RenderableType:
    """The whole view of one /status document fetched from `source` at `now`."""
    parts: list[RenderableType] = [_headline(doc, source)]
    parts.append(_subscriptions(doc.get("subscriptions"), now))
    parts.append(_customers(doc.get("customers"), now))
    exports = _exports(doc.get("exports"), now)
    if exports is not None:
        parts.append(exports)
    ingest = _ingest(doc)
    if ingest is not None:
        parts.append(ingest)
    events = _events(doc.get("events"), now)
    if events is not None:
        parts.append(events)
    for name, value in doc.items():
        if name not in _KNOWN:
            parts.append(_generic(name, value, now))
    parts.append(_verdict(problems(doc)))
    return Group(*_spaced(parts))


# -- sections -------------------------------------------------------------------------


def _headline(doc: Mapping[str, Any], source: str) -> Text:
    ready = bool(doc.get("ready", False))
    line = Text()
    line.append("READY" if ready else "NOT READY", style=f"bold {GOOD if ready else BAD}")
    line.append(f"  {doc.get('summary') or ''}")
    lag = doc.get("event_loop_lag_seconds")
    if isinstance(lag, int | float):
        line.append(f"  loop lag {duration(lag)}", style=BAD if lag > MAX_LOOP_LAG else DIM)
    line.append(f"  {source}", style=DIM)
    return line


def _subscriptions(value: Any, now: float) -> Table:
    table = grid(("customer", "topic", "state", "last frame", "frames", "reconnects", "last error"))
    for sub in _rows(value):
        age = sub.get("last_frame_age_seconds")
        table.add_row(
            str(sub.get("customer", "-")),
            str(sub.get("topic", "-")),
            state_text(sub.get("state")),
            "-" if age is None else f"{duration(age)} ago",
            _cell("frames", sub.get("frames"), now),
            counts_text(sub.get("reconnects")),
            styled(str(sub["last_error"]), BAD) if sub.get("last_error") else styled("-", DIM),
        )
    if not table.row_count:
        table.add_row(styled("(no subscriptions)", DIM), *[""] * 6)
    return table


def _customers(value: Any, now: float) -> Table:
    rows = _rows(value)
    extra = _extra_keys(rows, _CUSTOMER_COLUMNS)
    tokens = any("token_fingerprint" in row for row in rows)
    headers: tuple[str, ...] = (
        "customer", "key", "key validated", "outcome", "validations", "renewals"
    )  # fmt: skip
    if tokens:  # New Central customers too: their token in the same columns
        headers = ("customer", "key / token", "validated / issued", "outcome",
                   "validations / requests", "renewals", "token expires")  # fmt: skip
    table = grid((*headers, *(_title(k) for k in extra)))
    for customer in rows:
        cells = (
            _token_cells(customer, now)
            if "token_fingerprint" in customer
            else [
                str(customer.get("key_fingerprint") or "-"),
                ago(_number(customer.get("key_last_validated")), now),
                state_text(customer.get("key_last_outcome")),
                _cell("key_validations", customer.get("key_validations"), now),
                _cell("key_renewals", customer.get("key_renewals"), now),
            ]
        )
        if tokens and "token_fingerprint" not in customer:
            cells.append(styled("-", DIM))
        table.add_row(
            str(customer.get("customer", "-")),
            *cells,
            *(_cell(k, customer.get(k), now) for k in extra),
        )
    return table


def _token_cells(customer: Mapping[str, Any], now: float) -> list[Any]:
    """A New Central customer's access token: fingerprint, issued, outcome, requests,
    renewals and when it expires (never the token)."""
    age = _number(customer.get("token_age_seconds"))
    expires = _number(customer.get("token_expires_in_seconds"))
    return [
        str(customer.get("token_fingerprint") or "-"),
        ago(None if age is None else now - age, now),
        state_text(customer.get("token_last_outcome")),
        _cell("token_requests", customer.get("token_requests"), now),
        _cell("token_renewals", customer.get("token_renewals"), now),
        "-" if expires is None else (f"in {duration(expires)}" if expires >= 0 else "expired"),
    ]


def _exports(value: Any, now: float) -> Table | None:
    rows = _named_rows(value)
    if not rows:
        return None
    table = grid(
        (
            "export",
            "ok",
            "failed",
            "last items",
            "items",
            "failed items",
            "dropped",
            "last",
            "took",
            "last error",
        )
    )
    for signal, export in rows:
        error = export.get("last_error")
        failed = export.get("exports_failed") or 0
        table.add_row(
            signal,
            styled(str(export.get("exports_succeeded", "-")), GOOD),
            styled(str(failed), BAD if failed else None),
            _cell("last_export_items", export.get("last_export_items"), now),
            _cell("items_exported", export.get("items_exported"), now),
            _lost(export.get("items_failed")),
            _lost(export.get("items_dropped")),
            ago(_number(export.get("last_export_unix")), now),
            duration(_number(export.get("last_export_duration_seconds"))),
            styled(str(error), BAD) if error else styled("-", DIM),
        )
    return table


def _ingest(doc: Mapping[str, Any]) -> Text | None:
    frames = doc.get("frames_decoded")
    if not isinstance(frames, Mapping):
        return None
    line = Text("INGEST", style="bold")
    line.append(f"  frames {sum(_ints(frames.values()))}")
    errors = doc.get("decode_errors")
    bad = sum(_ints(errors.values())) if isinstance(errors, Mapping) else 0
    line.append(f"  decode errors {bad}", style=BAD if bad else None)
    line.append(f"  events {doc.get('events_emitted', '-')}")
    entities = doc.get("entities")
    if isinstance(entities, Mapping):
        held = sum(sum(_ints(c.values())) for c in entities.values() if isinstance(c, Mapping))
        line.append(f"  entities {held}")
    dropped = doc.get("entities_dropped")
    if isinstance(dropped, Mapping):
        lost = sum(sum(_ints(c.values())) for c in dropped.values() if isinstance(c, Mapping))
        line.append(f"  entities dropped {lost}", style=BAD if lost else None)
    return line


def _events(events: Any, now: float) -> Text | None:
    """The event queue on one line: what waits, where, what became of the rest."""
    if not isinstance(events, Mapping) or not isinstance(events.get("queue"), Mapping):
        return None
    queue = events["queue"]
    line = Text("EVENTS", style="bold")
    waiting = queue.get("records", 0)
    line.append(f"  queued {waiting}", style=BAD if waiting else None)
    oldest = queue.get("oldest_age_seconds")
    if isinstance(oldest, int | float):
        line.append(f" (oldest {duration(oldest)})")
    memory = events.get("storage") == "memory"
    line.append(f"  {events.get('storage', '?')}", style=BAD if memory else DIM)
    for name in ("accepted", "delivered", "retried"):
        line.append(f"  {name} {events.get(name, '-')}")
    dropped = events.get("dropped")
    lost = {k: v for k, v in dropped.items() if v} if isinstance(dropped, Mapping) else {}
    line.append(f"  dropped {counts_text(lost) if lost else 0}", style=BAD if lost else None)
    if events.get("last_error"):
        line.append(f"  last error {events['last_error']}", style=BAD)
    elif isinstance(events.get("last_delivery_unix"), int | float):
        line.append(f"  last delivery {ago(events['last_delivery_unix'], now)}", style=DIM)
    return line


def _event_problems(events: Any) -> list[str]:
    if not isinstance(events, Mapping):
        return []
    found: list[str] = []
    if events.get("last_error"):
        found.append(f"events export failing: {events['last_error']}")
    if events.get("storage") == "memory" and events.get("storage_error"):
        found.append(f"events queued in memory only: {events['storage_error']}")
    return found


def _generic(name: str, value: Any, now: float) -> RenderableType:
    """A section this view has no columns for: a table of its rows, or one line."""
    rows = _named_rows(value) if isinstance(value, Mapping) else []
    if isinstance(value, Mapping) and rows and len(rows) == len(value):
        keys = _extra_keys([r for _, r in rows], ())
        table = grid(("name", *(_title(k) for k in keys)), title=_title(name).upper())
        for row_name, row in rows:
            table.add_row(row_name, *(_cell(k, row.get(k), now) for k in keys))
        return table
    if isinstance(value, Mapping):
        table = grid([_title(k) for k in value], title=_title(name).upper())
        table.add_row(*(_cell(k, v, now) for k, v in value.items()))
        return table
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        keys = _extra_keys(value, ())
        table = grid([_title(k) for k in keys], title=_title(name).upper())
        for row in value:
            table.add_row(*(_cell(k, row.get(k), now) for k in keys))
        return table
    line = Text(_title(name).upper(), style="bold")
    line.append(f"  {_cell(name, value, now)}")
    return line


def _verdict(found: Sequence[str]) -> RenderableType:
    if not found:
        return Text("healthy", style=f"bold {GOOD}")
    lines = [Text(f"UNHEALTHY: {len(found)} problem(s)", style=f"bold {BAD}")]
    lines.extend(Text(f"  - {p}", style=BAD) for p in found)
    return Group(*lines)


# -- generic values -------------------------------------------------------------------


def _section_problems(value: Any) -> list[str]:
    """Problems a section states itself: ``healthy``/``ok`` false, a failed outcome."""
    found: list[str] = []
    named = _named_rows(value) if isinstance(value, Mapping) else []
    if named and len(named) == len(value):
        for row_name, row in named:
            found.extend(f"{row_name}: {p}" for p in _section_problems(row))
        return found
    if isinstance(value, list):
        for index, row in enumerate(value):
            label = row.get("customer") or row.get("name") if isinstance(row, Mapping) else None
            found.extend(f"{label or index}: {p}" for p in _section_problems(row))
        return found
    if not isinstance(value, Mapping):
        return found
    for flag in ("healthy", "ok"):
        if value.get(flag) is False:
            found.append(f"not {flag}")
    for key, item in value.items():
        if "outcome" in key and isinstance(item, str) and item.lower() in FAILED_OUTCOMES:
            found.append(f"{_title(key).lower()} {item}")
    return found


def _cell(key: str, value: Any, now: float) -> Text:
    """One value as text: times as ages, seconds as durations, counts as numbers."""
    if value is None:
        return styled("-", DIM)
    if isinstance(value, bool):
        return styled("yes" if value else "no", GOOD if value else BAD)
    if isinstance(value, int | float):
        if _is_time(key) and value > 1e9:
            return Text(ago(float(value), now))
        if key.endswith("_seconds"):
            return Text(duration(float(value)))
        return Text(f"{value:g}" if isinstance(value, float) else str(value))
    if isinstance(value, Mapping):
        return Text(counts_text(value) if value else "-")
    if isinstance(value, list):
        return Text(", ".join(str(v) for v in value) or "-")
    text = str(value)
    if "outcome" in key or key in ("state", "status"):
        return state_text(text)
    return Text(text)


def _is_time(key: str) -> bool:
    return key.endswith(("_unix", "_at", "_since", "_validated", "_time")) or "expires" in key


def _lost(value: Any) -> Text:
    lost = value if isinstance(value, int) else 0
    return styled(str(value if value is not None else "-"), BAD if lost else None)


def _title(key: str) -> str:
    return key.replace("_", " ")


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def _named_rows(value: Any) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(value, Mapping):
        return []
    return [(str(k), v) for k, v in value.items() if isinstance(v, Mapping)]


def _extra_keys(rows: Sequence[Mapping[str, Any]], known: Sequence[str]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(k for k in row if k not in known))
    return list(keys)


def _ints(values: Any) -> list[int]:
    return [v for v in values if isinstance(v, int)]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _spaced(parts: Sequence[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return spaced
