"""State messages kept as their wire bytes, parsed again when read.

A decoded message costs several times its wire size (upb allocates every MAC and
IP address as a submessage of its own, and a Python wrapper besides), and it holds
the arena of the whole payload it came from. State messages (devices, radios,
VAPs, interfaces, clients...) change rarely and are read about once an export
cycle: the store keeps them packed (`EntityStore.pack_states`, on the export
thread every few seconds and after each cycle, never on the ingest path), and
`Entity.msg` parses a packed one at each read. Stats messages are replaced every
round and read once in between: they stay decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from google.protobuf.message import Message

from central_otel.state.compaction import Held


class PackedMessage(bytes):
    """A message's wire bytes; its type's `parse` gives the message back."""

    __slots__ = ()
    parse: ClassVar[Callable[[bytes], Any]]

    def unpack(self) -> Any:
        return type(self).parse(self)


_TYPES: dict[str, type[PackedMessage]] = {}


def packed_type(message_type: type[Message]) -> type[PackedMessage]:
    """The `PackedMessage` subclass of a message type (one per type)."""
    name = message_type.DESCRIPTOR.full_name
    found = _TYPES.get(name)
    if found is None:
        found = _TYPES[name] = type(
            f"Packed{message_type.__name__}",
            (PackedMessage,),
            {"__slots__": (), "parse": message_type.FromString},
        )
    return found


def pack(msg: Message) -> PackedMessage:
    return packed_type(type(msg))(msg.SerializeToString())


def pack_messages(entities: Sequence[Held]) -> int:
    """Pack each entity's message that is not packed yet; it then holds no payload
    (`source` 0). Returns how many were packed."""
    packed = 0
    for entity in entities:
        held = entity.held
        if isinstance(held, Message):
            entity.held = pack(held)
            entity.source = 0
            packed += 1
    return packed
