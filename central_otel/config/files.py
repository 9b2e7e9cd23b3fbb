"""Atomic file writes with an explicit mode (for key files and generated configurations)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

SECRET_FILE_MODE = 0o600
SECRET_DIR_MODE = 0o700


def default_file_mode() -> int:
    """The mode a new ordinary file gets: 0666 minus the process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write `data` to `path` via a temporary file in the same directory and a rename.

    The temporary file is created private (0600) and given `mode` before any
    data is written, so a secret is never readable by others, even briefly.
    Readers see either the old content or the new one, never a partial file.
    """
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def make_private_dir(path: Path) -> bool:
    """Create directory `path` (and parents) with mode 0700; False if it already existed."""
    if path.is_dir():
        return False
    path.mkdir(mode=SECRET_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, SECRET_DIR_MODE)  # mkdir's mode is reduced by the umask
    return True


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
