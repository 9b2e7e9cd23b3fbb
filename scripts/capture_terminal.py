"""Prints what a person sees: `central-otel demo` and `central-otel status` run in a tmux
pane, captured as text (the screenshots in README.md and docs/operating.md).

Usage: python scripts/capture_terminal.py [--width 100] [--height 40] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.terminal_support import Terminal  # noqa: E402

CLI = (sys.executable, "-m", "central_otel")


async def capture(width: int, height: int, seconds: float) -> str:
    demo = (*CLI, "demo", "--export-interval", "2s", "--stats-interval", "1s")
    async with Terminal(demo, width=width, height=height, name="demo") as term:
        await asyncio.sleep(seconds)
        demo_screen = await term.screen()
        port = re.search(r"/status http://127\.0\.0\.1:(\d+)", demo_screen)
        if port is None:
            raise SystemExit(f"no /status address on the demo's screen:\n{demo_screen}")
        status = (*CLI, "status", "--url", f"127.0.0.1:{port[1]}")
        async with Terminal(status, width=width, height=height, name="status") as other:
            await other.exit_status()
            status_screen = (await other.screen()).rsplit("\n", 1)[0]  # without [exit N]
        await term.keys("C-c")
        await term.exit_status()
    return (
        f"$ central-otel demo\n{demo_screen}\n\n"
        f"$ central-otel status --url 127.0.0.1:{port[1]}\n{status_screen}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--height", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args(argv)
    sys.stdout.write(asyncio.run(capture(args.width, args.height, args.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
