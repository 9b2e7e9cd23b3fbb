"""What the figures were measured on."""

from __future__ import annotations

import ctypes
import os
import platform
from importlib import metadata
from pathlib import Path

from google.protobuf.internal import api_implementation


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> list[str]:
    return [
        f"cpu: {cpu_model()} ({os.cpu_count()} cores)",
        f"python: {platform.python_implementation()} {platform.python_version()}",
        f"protobuf: {metadata.version('protobuf')} ({api_implementation.Type()})",
        f"opentelemetry-sdk: {metadata.version('opentelemetry-sdk')}",
    ]


def rss_bytes() -> int:
    """Resident set size of this process, from /proc/self/statm."""
    resident = int(Path("/proc/self/statm").read_text().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE")


class _MallInfo2(ctypes.Structure):
    _fields_ = [  # glibc's `struct mallinfo2`, in order
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def malloc_in_use() -> int | None:
    """Bytes the C allocator has handed out and not had back (glibc's `mallinfo2`);
    None elsewhere."""
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return int(info.uordblks + info.hblkhd)
