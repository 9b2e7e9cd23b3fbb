"""A real terminal for the tests: a command in a tmux pane, and the pane's screen as
text, as a person sees it (this module holds no tests).

Each `Terminal` runs its own tmux server (a private socket, no configuration file), so
the tests never touch anyone's tmux sessions. The command runs under ``sh -c`` and its
exit status is written to the pane when it ends (``[exit N]``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import time
from collections.abc import Callable, Sequence
from types import TracebackType

import pytest

EXIT_MARK = "[exit "


def tmux_or_fail() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail("tmux is not installed: scripts/ensure-tmux installs it (scripts/test runs it)")
    return tmux


class Terminal:
    def __init__(
        self, command: Sequence[str], *, width: int = 160, height: int = 50, name: str = "t"
    ) -> None:
        self.tmux = tmux_or_fail()
        self.socket = f"central-otel-test-{os.getpid()}-{name}-{time.monotonic_ns()}"
        self.command = command
        self.width = width
        self.height = height

    async def _tmux(self, *args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            self.tmux,
            "-L",
            self.socket,
            "-f",
            "/dev/null",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {err.decode().strip()}")
        return out.decode()

    async def __aenter__(self) -> Terminal:
        line = shlex.join(self.command)
        # tmux started without a terminal of its own exports COLUMNS=80 and LINES=24,
        # which programs (rich among them) prefer to the pane's real size.
        # The shell outlives a Ctrl-C to the command (a trap, unlike an ignored signal,
        # is not inherited) to write the exit status.
        script = f'unset COLUMNS LINES; trap : INT; {line}; echo "{EXIT_MARK}$?]"; sleep 3600'
        await self._tmux(
            "new-session",
            "-d",
            "-s",
            "test",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "sh",
            "-c",
            script,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(RuntimeError):  # already gone
            await self._tmux("kill-server")

    async def screen(self) -> str:
        """What the pane shows now, line by line, trailing blanks removed."""
        text = await self._tmux("capture-pane", "-p", "-t", "test")
        return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")

    async def scrolled_off(self) -> int:
        """Lines that scrolled off the top of the pane (0 while a view redraws in place)."""
        return int(await self._tmux("display-message", "-p", "-t", "test", "#{history_size}"))

    async def keys(self, *keys: str) -> None:
        await self._tmux("send-keys", "-t", "test", *keys)

    async def wait_for(
        self, predicate: Callable[[str], bool], timeout: float = 30.0, what: str = ""
    ) -> str:
        """The screen once `predicate(screen)` holds; AssertionError with the last
        screen after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            screen = await self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")
            await asyncio.sleep(0.2)

    async def exit_status(self, timeout: float = 30.0) -> int:
        screen = await self.wait_for(lambda s: EXIT_MARK in s, timeout, "the command to end")
        tail = screen.rsplit(EXIT_MARK, 1)[1]
        return int(tail.split("]", 1)[0])
