"""Sub-commands of the `central-otel` CLI.

Each module exposes ``register(subparsers)``, which adds its parser and sets
``handler`` (``Callable[[argparse.Namespace], int]``) as a default.
"""

from __future__ import annotations

import argparse
from typing import Protocol


class Command(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def _commands() -> tuple[Command, ...]:
    from central_otel.commands import (
        check_config,
        decode,
        demo,
        migrate,
        run,
        simulate,
        status,
        tail,
    )

    return (run, demo, status, check_config, tail, decode, simulate, migrate)


COMMANDS: tuple[Command, ...] = _commands()
