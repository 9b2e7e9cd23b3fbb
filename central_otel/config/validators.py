"""Value validators for the configuration schema.

Each validator takes the raw (env-expanded) value and returns the typed value,
or raises ``voluptuous.Invalid`` with a message in this project's style
(``expected a string, got a number``, ``'x' is not one of a, b``...). Paths are
added by the caller. Messages never contain the value of a secret field.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import voluptuous as vol

from central_otel.config import addresses
from central_otel.config.durations import format_duration, format_number, parse_duration
from central_otel.config.errors import describe_type, show_value
from central_otel.config.sizes import SIZE_EXAMPLES, format_size, parse_size
from central_otel.secret import Secret

T = TypeVar("T")
Validator = Callable[[object], T]

MAX_KEY_FILE_BYTES = 64 * 1024
_PRINTABLE_LINE = re.compile(r"[\x20-\x7e]*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass
class Context:
    """What validators need besides the value: the environment, the base directory,
    and a place to record every secret seen (to redact messages at the end)."""

    environ: Mapping[str, str]
    base_dir: Path
    secrets: list[Secret] = field(default_factory=list)

    def secret(self, value: str) -> Secret:
        secret = Secret(value)
        self.secrets.append(secret)
        return secret

    def resolve(self, path: str) -> Path:
        """`path` made absolute against the configuration file's directory (``~`` expanded).

        Lexical only: symlinks are kept, so a file that is replaced through a
        symlink (Kubernetes secrets) is still found at the configured path.
        """
        try:
            expanded = Path(path).expanduser()
        except RuntimeError:  # ~user with an unknown user: keep the path as written
            expanded = Path(path)
        return Path(os.path.normpath(self.base_dir / expanded))


def invalid(message: str, path: Sequence[object] = ()) -> vol.Invalid:
    return vol.Invalid(message, path=list(path))


def flatten(error: vol.Invalid) -> list[vol.Invalid]:
    """The individual problems of `error` (a MultipleInvalid may nest others)."""
    if isinstance(error, vol.MultipleInvalid):
        return [single for nested in error.errors for single in flatten(nested)]
    return [error]


class Problems:
    """The problems found in a collection's elements, each at its key or index, all
    reported together (`raise_any`) rather than one per run."""

    def __init__(self) -> None:
        self.errors: list[vol.Invalid] = []

    def add(self, message: str, key: object) -> None:
        self.errors.append(invalid(message, [key]))

    @contextmanager
    def at(self, key: object) -> Iterator[None]:
        """Collect the problems a validation in this block raises, at `key`; the rest of
        the block is skipped then."""
        try:
            yield
        except vol.Invalid as exc:
            exc.prepend([key])
            self.errors.extend(flatten(exc))

    def raise_any(self) -> None:
        if self.errors:
            raise vol.MultipleInvalid(self.errors)


def string(value: object) -> str:
    """A non-empty string."""
    if not isinstance(value, str):
        raise invalid(f"expected a string, got {describe_type(value)}")
    if not value.strip():
        raise invalid("must not be empty")
    return value


def header_safe_string(value: object) -> str:
    """A non-empty string that can be sent in an HTTP header (username...)."""
    text = string(value)
    if not _PRINTABLE_LINE.fullmatch(text):
        raise invalid("must be a single line of printable ASCII characters")
    return text


def boolean(value: object) -> bool:
    """``true``/``false`` (also the strings true/false/yes/no/on/off, e.g. from ``${env:...}``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "on"):
            return True
        if lowered in ("false", "no", "off"):
            return False
        raise invalid(f"expected true or false, got {show_value(value)}")
    raise invalid(f"expected true or false, got {describe_type(value)}")


def optional(validator: Validator[T]) -> Validator[T | None]:
    """`validator`, or None for an explicit ``null`` (an empty YAML value)."""

    def validate(value: object) -> T | None:
        return None if value is None else validator(value)

    return validate


def one_of(choices: Sequence[str]) -> Validator[str]:
    """One of `choices`, exactly as written."""
    listed = ", ".join(choices)

    def validate(value: object) -> str:
        if not isinstance(value, str):
            raise invalid(f"expected one of {listed}, got {describe_type(value)}")
        if value not in choices:
            raise invalid(f"{show_value(value)} is not one of {listed}")
        return value

    return validate


def duration(*, minimum: float = 0.0, allow_zero: bool = False) -> Validator[float]:
    """A duration in seconds, at least `minimum`; zero only with `allow_zero` (then zero is
    accepted whatever the minimum: it means "off")."""

    def validate(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise invalid(
                f"expected a duration (e.g. 30s, 5m, 1h30m or a number of seconds),"
                f" got {describe_type(value)}"
            )
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise invalid(str(exc)) from None
        if seconds == 0:
            if allow_zero:
                return seconds
            raise invalid("must be greater than zero")
        if seconds < minimum:
            raise invalid(
                f"must be at least {format_duration(minimum)} (got {format_duration(seconds)})"
            )
        return seconds

    return validate


def number(*, minimum: float, maximum: float | None = None) -> Validator[float]:
    """A finite number between `minimum` and `maximum` (numeric strings too, e.g. from
    ``${env:...}``)."""
    span = (
        f"between {format_number(minimum)} and {format_number(maximum)}"
        if maximum is not None
        else ""
    )

    def validate(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise invalid(f"expected a number, got {describe_type(value)}")
        try:
            result = float(value)
        except (ValueError, OverflowError):
            raise invalid(f"expected a number, got {show_value(str(value))}") from None
        if not math.isfinite(result):
            raise invalid("must be a finite number")
        if result < minimum or (maximum is not None and result > maximum):
            shown = format_number(result)
            if span:
                raise invalid(f"must be {span} (got {shown})")
            raise invalid(f"must be at least {format_number(minimum)} (got {shown})")
        return result

    return validate


def whole_number(*, minimum: int, maximum: int) -> Validator[int]:
    """A whole number between `minimum` and `maximum` (a numeric string too, e.g. from
    ``${env:...}``)."""

    def validate(value: object) -> int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(f"expected a whole number, got {describe_type(value)}")
        if not minimum <= value <= maximum:
            raise invalid(f"must be between {minimum} and {maximum} (got {value})")
        return value

    return validate


def size(*, minimum: int, maximum: int | None = None) -> Validator[int]:
    """A size in bytes (``65536``, ``64KiB``, ``100MiB``, ``1GiB``) in the given bounds."""

    def validate(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise invalid(f"expected a size ({SIZE_EXAMPLES}), got {describe_type(value)}")
        try:
            result = parse_size(value)
        except ValueError as exc:
            raise invalid(str(exc)) from None
        if result < minimum:
            raise invalid(f"must be at least {format_size(minimum)} (got {format_size(result)})")
        if maximum is not None and result > maximum:
            raise invalid(f"must be at most {format_size(maximum)} (got {format_size(result)})")
        return result

    return validate


def parsed(parse: Callable[[str], T]) -> Validator[T]:
    """A string parsed by `parse`, whose ValueError message becomes the problem."""

    def validate(value: object) -> T:
        text = string(value)
        try:
            return parse(text)
        except ValueError as exc:
            raise invalid(str(exc)) from None

    return validate


def ca_file(ctx: Context) -> Validator[Path]:
    """An existing, readable PEM bundle of CA certificates."""

    def validate(value: object) -> Path:
        path = ctx.resolve(string(value))
        try:
            with path.open("rb") as stream:
                stream.read(1)
        except (OSError, ValueError) as exc:
            raise invalid(f"cannot read {path}: {_reason(exc)}") from None
        try:
            ssl.create_default_context(cafile=str(path))
        except (ssl.SSLError, OSError, ValueError):
            raise invalid(f"{path} is not a PEM bundle of CA certificates") from None
        return path

    return validate


def directory(ctx: Context) -> Validator[Path]:
    """A directory that exists or can be created later (it must not be something else)."""

    def validate(value: object) -> Path:
        path = ctx.resolve(string(value))
        if path.exists() and not path.is_dir():
            raise invalid(f"{path} exists and is not a directory")
        return path

    return validate


def new_file(ctx: Context) -> Validator[Path]:
    """A file to write: in an existing directory, and not itself a directory."""

    def validate(value: object) -> Path:
        path = ctx.resolve(string(value))
        if path.is_dir():
            raise invalid(f"{path} is a directory")
        if not path.parent.is_dir():
            raise invalid(f"directory {path.parent} does not exist")
        return path

    return validate


def _reason(exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return "invalid path" if isinstance(exc, ValueError) else str(exc)


def _check_key(text: str, where: str) -> str:
    """The key without surrounding blanks; never shows it."""
    key = text.strip()
    if not key:
        raise invalid(f"{where} is empty")
    if not _PRINTABLE_LINE.fullmatch(key):
        raise invalid(f"{where} must be a single line of printable ASCII characters")
    return key


def inline_key(ctx: Context, what: str = "the key") -> Validator[Secret]:
    """A secret written in the file itself (a streaming key, a client secret)."""

    def validate(value: object) -> Secret:
        if not isinstance(value, str):
            raise invalid(f"expected a string, got {describe_type(value)}")
        return ctx.secret(_check_key(value, what))

    return validate


def read_secret_file(path: Path, what: str = "the key") -> str:
    """The secret held in the file at `path` (surrounding blanks and newlines ignored);
    `voluptuous.Invalid` saying what is wrong, never showing the content. Also used to
    read a file again while running (a token the operator replaced)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_KEY_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise invalid(f"cannot read {path}: {_reason(exc)}") from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise invalid(f"{path} is too large to be a key file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid(f"{path} is not a text file") from None
    return _check_key(text, f"{what} in {path}")


def key_file(ctx: Context, what: str = "the key") -> Validator[tuple[Path, Secret]]:
    """A file holding a secret (surrounding blanks and newlines are ignored)."""

    def validate(value: object) -> tuple[Path, Secret]:
        path = ctx.resolve(string(value))
        return path, ctx.secret(read_secret_file(path, what))

    return validate


def key_env(ctx: Context) -> Validator[tuple[str, Secret]]:
    """The name of an environment variable holding a secret."""

    def validate(value: object) -> tuple[str, Secret]:
        name = string(value)
        if "=" in name or "\0" in name:
            raise invalid(f"invalid environment variable name {show_value(name)}")
        text = ctx.environ.get(name)
        if text is None:
            raise invalid(f"environment variable {name} is not set")
        return name, ctx.secret(_check_key(text, f"environment variable {name}"))

    return validate


def unique_list(item: Validator[T], *, what: str, example: str) -> Validator[tuple[T, ...]]:
    """A non-empty list of distinct items; each item's problem is reported at its index."""

    def validate(value: object) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise invalid(f"expected a list (e.g. {example}), got {describe_type(value)}")
        if not value:
            raise invalid(f"at least one {what} is required")
        return tuple(_distinct_items(value, item, what=what))

    return validate


def _distinct_items(value: list[object], item: Validator[T], *, what: str) -> list[T]:
    """`value`'s items checked by `item`, in order; each item's problem, and each repeat
    (``duplicate WHAT 'x'``), is reported at its index."""
    problems = Problems()
    result: list[T] = []
    for index, element in enumerate(value):
        with problems.at(index):
            checked = item(element)
            if checked in result:
                problems.add(f"duplicate {what} {show_value(str(checked))}", index)
            else:
                result.append(checked)
    problems.raise_any()
    return result


def headers(ctx: Context) -> Validator[dict[str, Secret]]:
    """Header name -> value (a secret). Names are case-insensitive and kept in lower case."""

    def validate(value: object) -> dict[str, Secret]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise invalid(
                f"expected a mapping of header names to values, got {describe_type(value)}"
            )
        problems = Problems()
        result: dict[str, Secret] = {}
        seen: set[str] = set()
        for name, header_value in value.items():
            lowered = str(name).lower()
            if not _HEADER_NAME.fullmatch(lowered):
                problems.add(f"invalid header name {show_value(str(name))}", name)
            elif lowered in seen:
                problems.add("duplicate header (names are case-insensitive)", name)
            seen.add(lowered)
            if not isinstance(header_value, str):
                problems.add(f"expected a string, got {describe_type(header_value)}", name)
            elif not _PRINTABLE_LINE.fullmatch(header_value):
                problems.add("must be a single line of printable ASCII characters", name)
            else:
                result[lowered] = ctx.secret(header_value)
        problems.raise_any()
        return result

    return validate


def base_url(value: object) -> addresses.CentralEndpoint:
    return parsed(addresses.parse_base_url)(value)


def api_gateway(value: object) -> addresses.CentralEndpoint:
    return parsed(addresses.parse_api_gateway)(value)


def token_url(value: object) -> str:
    return parsed(addresses.parse_token_url)(value)


def api_base_url(value: object) -> str:
    return parsed(addresses.parse_api_base_url)(value)


def http_url(value: object) -> str:
    return parsed(addresses.parse_http_url)(value)


def listen_address(value: object) -> addresses.HostPort:
    return parsed(addresses.parse_listen)(value)


def name_list(names: Sequence[str], *, what: str) -> Validator[frozenset[str]]:
    """A (possibly empty) list of distinct names from `names`, with a suggestion for typos."""

    def validate(value: object) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            raise invalid(f"expected a list of {what} names, got {describe_type(value)}")
        return frozenset(_distinct_items(value, known, what=f"{what} name"))

    def known(element: object) -> str:
        if not isinstance(element, str):
            raise invalid(f"expected a {what} name, got {describe_type(element)}")
        if element not in names:
            close = difflib.get_close_matches(element, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (see docs/metrics.md)"
            raise invalid(f"{show_value(element)} is not a known {what} name{hint}")
        return element

    return validate


def counts_by_name(
    names: Sequence[str], *, what: str, minimum: int = 1
) -> Validator[dict[str, int]]:
    """A mapping of names from `names` to whole numbers of at least `minimum`."""

    def validate(value: object) -> dict[str, int]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise invalid(f"expected a mapping of {what} to numbers, got {describe_type(value)}")
        problems = Problems()
        result: dict[str, int] = {}
        for key, count in value.items():
            if key not in names:
                problems.add(f"unknown {what} (expected one of {', '.join(names)})", key)
            elif isinstance(count, bool) or not isinstance(count, int):
                problems.add(f"expected a whole number, got {describe_type(count)}", key)
            elif count < minimum:
                problems.add(f"must be at least {minimum} (got {count})", key)
            else:
                result[key] = count
        problems.raise_any()
        return result

    return validate
