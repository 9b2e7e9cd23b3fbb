"""``python -m bench [--quick | --tiny] [ingest|export|memory|e2e|msp ...]``

Runs the named sections (all by default) and prints each one's figures and its
ratio to the baseline measured in the same run, after the machine's description.
``--quick``: smaller sizes (minutes, not tens of minutes); ``--tiny``: the
smallest sizes, only to check that every benchmark runs (CI).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from bench import e2e, export, ingest, machine, memory, msp

SECTIONS: dict[str, Callable[[str], list[str]]] = {
    "ingest": ingest.run,
    "export": export.run,
    "memory": memory.run,
    "e2e": e2e.run,
    "msp": msp.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument(
        "--tiny", action="store_true", help="the smallest sizes, to check they run (CI)"
    )
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], metavar="SECTION")
    args = parser.parse_args(argv)
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    command = " ".join(["python -m bench", *(sys.argv[1:] if argv is None else argv)])
    print(f"== machine ==\n$ {command}")
    for line in machine.describe():
        print(line)
    for name in args.sections or list(SECTIONS):
        started = time.monotonic()
        print(f"\n== {name} ==", flush=True)
        for line in SECTIONS[name](mode):
            print(line, flush=True)
        print(f"({name}: {time.monotonic() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
