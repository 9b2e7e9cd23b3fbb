"""The C allocator's policy for a long-running bridge: large buffers go back to the OS.

glibc serves an allocation above its mmap threshold (128 KiB at start) from a
mapping of its own, unmapped again on free. But the threshold is dynamic: freeing
such a mapping raises it to that size (up to 32 MiB), and from then on buffers of
that size come from the heap, where a freed one mostly stays resident. The bridge
makes buffers of megabytes every export cycle (the requests, their compression, the
encoder's per-metric buffers) and on every large frame: with the dynamic threshold,
each thread's heap keeps its largest cycle's worth of them.

`keep_large_buffers_mapped` fixes the threshold at its initial 128 KiB (setting it
turns the dynamic adjustment off): every large buffer is mapped and unmapped again.
The price is a few `mmap`/`munmap` calls per export request and large frame.
Elsewhere than glibc (musl, macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc's malloc.h)
MMAP_THRESHOLD = 128 * 1024  # glibc's initial value: allocations above are mapped


def keep_large_buffers_mapped(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at `threshold` bytes; False where that is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_MMAP_THRESHOLD, threshold))
    if not done:
        log.debug(
            "mallopt(M_MMAP_THRESHOLD, %d) refused: the C allocator's default applies", threshold
        )
    return done
