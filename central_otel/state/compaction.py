"""Copying the messages a store keeps into fresh arenas, so the payloads they came from can go.

A decoded message lives in its payload's arena (upb), and holds all of it: as long
as the store keeps one message of a payload, the whole payload stays in memory.
Partial updates (clients joining and leaving, a stats round that skips an entity
for a while) leave the entities holding many payloads, most of each replaced long
ago. Each entity records the number of the payload its message came from
(`Entity.source`) and the store how many messages it took from each payload:
`held_and_kept` counts from these what the held payloads carry against what is
still kept. When more than half is dead, or when the store holds many payloads for
few messages (`due`), `copy_messages` copies the kept messages into fresh
containers, a chunk at a time, and the old payloads go.

The second case is a platform that sends each event in a frame of its own (New
Central): every entity then holds a payload of its own, and an arena costs more
than the message in it (`python -m bench.store_memory arenas`).

A store whose stats rounds replace every entity, in a few large payloads, never
gets there: each round frees the previous one whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from google.protobuf.message import Message

from central_otel.proto import monitoring_pb2
from central_otel.state.entities import ENTITY_CLASSES, Kind

# The class names whose entities hold monitoring messages, and those of them that are
# state (packed: `state.packing`).
MESSAGE_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(cls.name for cls in ENTITY_CLASSES))
STATE_MESSAGE_CLASSES: tuple[str, ...] = tuple(
    dict.fromkeys(cls.name for cls in ENTITY_CLASSES if cls.kind is Kind.STATE)
)
# Messages copied per hold of the store's lock (a few milliseconds of C-level copies).
COMPACT_CHUNK = 2048
# Payloads a store may hold without copying, however few messages it keeps.
FEW_PAYLOADS = 16

_INFO = monitoring_pb2.MonitoringInformation


def _field_by_type() -> dict[str, str]:
    """The repeated `MonitoringInformation` field a kept message of each type goes in."""
    fields = {}
    for cls in ENTITY_CLASSES:
        message_type = _INFO.DESCRIPTOR.fields_by_name[cls.field].message_type
        assert message_type is not None  # every entity field is a message field
        fields[message_type.full_name] = cls.field
    return fields


FIELD_BY_TYPE: dict[str, str] = _field_by_type()


class Held(Protocol):
    """What the copy (and `state.packing`) needs of an entity (the store's `Entity`)."""

    held: Any
    source: int


def held_and_kept(sources: Iterable[int], sizes: Mapping[int, int]) -> tuple[int, int, set[int]]:
    """From the kept messages' payload numbers (`sources`; 0: not a payload's) and the
    messages taken from each payload (`sizes`): (the messages the held payloads carry,
    the messages kept, the payloads held). A payload of unknown size counts as kept
    whole."""
    live = Counter(sources)
    live.pop(0, None)
    held = sum(sizes.get(source, count) for source, count in live.items())
    return held, sum(live.values()), set(live)


def due(held: int, kept: int, payloads: int) -> bool:
    """Whether to copy: more than half of what the held payloads carry is dead, or
    more than `FEW_PAYLOADS` payloads are held for fewer than two messages kept each
    (copying every message after as many new payloads as half the messages kept: two
    copies per message received, at most)."""
    return held > 2 * kept or payloads > max(FEW_PAYLOADS, kept // 2)


def copy_messages(entities: Sequence[Held], source: int) -> int:
    """Copy each entity's monitoring message into one fresh container (one arena), and
    record `source` as where it came from now; other entities are left as they are.
    The copies are equal to the messages they replace. Returns how many were copied."""
    container = _INFO()
    groups: dict[str, list[Held]] = {}
    for entity in entities:
        msg = entity.held
        if isinstance(msg, Message):  # not packed
            field = FIELD_BY_TYPE.get(msg.DESCRIPTOR.full_name)
            if field is not None:
                groups.setdefault(field, []).append(entity)
    copied = 0
    for field, members in groups.items():
        repeated = getattr(container, field)
        repeated.extend([member.held for member in members])
        for member, copy in zip(members, repeated, strict=True):
            member.held = copy
            member.source = source
        copied += len(members)
    return copied
