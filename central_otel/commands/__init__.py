"""Sub-commands of the `central-otel` CLI.

Each module exposes ``register(subparsers)``, which adds its parser and sets
``handler`` (``Callable[[argparse.Namespace], int]``) as a default.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol, cast


class Command(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


COMMAND_MODULES: dict[str, str] = {
    "run": "run",
    "demo": "demo",
    "status": "status",
    "check-config": "check_config",
    "tail": "tail",
    "decode": "decode",
    "simulate": "simulate",
    "migrate": "migrate",
}
"""Each sub-command's module in this package, in the order ``--help`` lists them.
A command line imports only its command's module: ``run`` does not load what the
others need (the terminal views, the simulator), memory every bridge would keep."""


def load_commands(*names: str) -> tuple[Command, ...]:
    """The modules of the sub-commands `names` (none: all of them)."""
    return tuple(
        cast(Command, importlib.import_module(f"{__name__}.{COMMAND_MODULES[name]}"))
        for name in names or COMMAND_MODULES
    )
