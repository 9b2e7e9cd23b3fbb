"""The Classic Streaming API topics: the values of the `Topic` header and of `MsgProto.subject`."""

from __future__ import annotations

from enum import StrEnum


class Topic(StrEnum):
    MONITORING = "monitoring"
    PRESENCE = "presence"
    SECURITY = "security"
    LOCATION = "location"
    APPRF = "apprf"
    AUDIT = "audit"


# Documentation and error-message order (the order of the Central UI's Streaming page).
TOPIC_NAMES: tuple[str, ...] = tuple(topic.value for topic in Topic)


def parse_topic(value: str) -> Topic | None:
    """The topic named by `value` (case and surrounding blanks ignored), or None."""
    try:
        return Topic(value.strip().lower())
    except ValueError:
        return None
