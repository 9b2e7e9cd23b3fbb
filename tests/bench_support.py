"""Running a benchmark command as a user would (`python -m bench...` in the repo)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bench(*args: str, timeout: float, tail: int = 2000) -> subprocess.CompletedProcess[str]:
    """`python -m ARGS` from the repository, finished (it must exit 0: the last `tail`
    characters of its standard error otherwise)."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-tail:]
    return done
