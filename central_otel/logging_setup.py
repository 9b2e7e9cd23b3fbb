"""Process logging for operators: readable text by default, JSON lines for log
pipelines, and a last line of defence that redacts configured secrets from
everything written: messages, and tracebacks and error texts too (a library's
exception might quote a header, e.g. a collector's error details)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from central_otel.secret import Secret, redact

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Third-party chatter only at DEBUG (-v): the SDK and aiohttp log their own retries.
QUIET_LOGGERS = ("opentelemetry", "aiohttp.access", "grpc")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and error type)."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage(), self._secrets),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            entry["error"] = redact(error, self._secrets)
        return json.dumps(entry, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """A text formatter whose whole output is redacted: the message, and any traceback
    or stack appended to it."""

    def __init__(self, fmt: str, secrets: Iterable[Secret] = ()) -> None:
        super().__init__(fmt)
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[Secret]) -> None:
        super().__init__()
        self._secrets = tuple(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            cleaned = redact(message, self._secrets)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        return True


def configure_logging(
    level: str = "info",
    fmt: str = "text",
    secrets: Iterable[Secret] = (),
    stream: TextIO | None = None,
) -> None:
    """Set up the root logger once for a command (replacing earlier handlers)."""
    secrets = tuple(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter(secrets) if fmt == "json" else RedactingFormatter(TEXT_FORMAT, secrets)
    )
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(
            logging.DEBUG if numeric <= logging.DEBUG else logging.WARNING
        )
