"""`Secret`: a string that never shows itself, and `redact`, a last line of defence for logs.

A `Secret` renders as ``<redacted>`` everywhere Python turns objects into text
(``str``, ``repr``, f-strings and ``format``, ``%s``/``%r``, containers' and
dataclasses' reprs, logging arguments).  It refuses to be pickled, so it cannot
end up in a pickle stream either; copying returns the same (immutable) object, so
``copy.deepcopy`` and ``dataclasses.asdict`` work and still hold the wrapper.
The only way to the value is the explicit `Secret.reveal`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any, NoReturn, final

REDACTED = "<redacted>"


@final
class Secret:
    """An immutable secret string (a streaming key, an OTLP header value...)."""

    __slots__ = ("_Secret__value",)
    __value: str

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"Secret wraps a str, not {type(value).__name__}")
        object.__setattr__(self, "_Secret__value", value)

    def __init_subclass__(cls, **kwargs: Any) -> None:  # pragma: no cover - @final for mypy
        raise TypeError("Secret cannot be subclassed")

    def reveal(self) -> str:
        """The secret value itself: only for the place that must send it."""
        return self.__value

    @property
    def fingerprint(self) -> str:
        """First 8 hex digits of the value's SHA-256: names a key in logs without showing it."""
        return hashlib.sha256(self.__value.encode("utf-8", "surrogatepass")).hexdigest()[:8]

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, format_spec: str) -> str:
        return format(REDACTED, format_spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(
            self.__value.encode("utf-8", "surrogatepass"),
            other.__value.encode("utf-8", "surrogatepass"),
        )

    def __hash__(self) -> int:
        return hash((Secret, self.__value))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError("Secret objects cannot be pickled (the value would be written in clear)")

    def __reduce__(self) -> NoReturn:
        raise TypeError("Secret objects cannot be pickled (the value would be written in clear)")

    def __getstate__(self) -> NoReturn:
        raise TypeError("Secret objects cannot be pickled (the value would be written in clear)")


def redact(text: str, secrets: Iterable[Secret]) -> str:
    """`text` with every occurrence of a secret's value replaced by ``<redacted>``.

    Longer values are replaced first, so a secret that contains another one is
    hidden entirely; empty values are ignored.
    """
    values = sorted(
        {secret.reveal() for secret in secrets if secret.reveal()}, key=len, reverse=True
    )
    for value in values:
        text = text.replace(value, REDACTED)
    return text
