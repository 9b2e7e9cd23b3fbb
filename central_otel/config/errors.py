"""`ConfigProblem`/`ConfigError`: every problem of a configuration, each at its path."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PathPart = str | int
"""One step of a path into the configuration: a mapping key (str) or a list index (int)."""

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_path(parts: Sequence[PathPart]) -> str:
    """``customers.CustomerA.topics[1]``: dotted keys, ``[i]`` for list indexes.

    Keys that are not plain words (spaces, dots, empty...) are quoted:
    ``customers['Customer A'].topics``.
    """
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.fullmatch(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f"[{part!r}]")
    return "".join(out) or "<top level>"


def describe_type(value: object) -> str:
    """``a string``, ``a list``, ``null``...: what the value is, without showing it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a value of type {type(value).__name__}"


def show_value(value: str, limit: int = 60) -> str:
    """A non-secret string quoted for a message (shortened when long): ``'monitor'``."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + "..."


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem: where (`path`) and what (`message`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def plural(count: int, noun: str) -> str:
    """``1 problem``, ``2 problems``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class ConfigError(Exception):
    """A configuration that cannot be used, with all of its problems.

    ``str(error)`` is a first line ``SOURCE: N problems`` followed by one
    ``path: message`` line per problem.
    """

    def __init__(self, source: str, problems: Iterable[ConfigProblem]) -> None:
        self.source = source
        self.problems: list[ConfigProblem] = list(problems)
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """The first line: ``SOURCE: N problems``."""
        return f"{self.source}: {plural(len(self.problems), 'problem')}"

    def __str__(self) -> str:
        return "\n".join([self.summary, *(str(problem) for problem in self.problems)])
