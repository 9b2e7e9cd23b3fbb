"""Recording every received frame to a capture file, for support cases.

Recording is a side feature: it must never end or slow a stream by failing. A
file that cannot be opened or written turns recording off with one log line; a
full file (its size limit reached) stops recording with one warning. The file
is created with mode 0600 (frames carry customer data) and is readable by
`central-otel decode`.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from central_otel.capture import CaptureError, CaptureRecord, CaptureWriter
from central_otel.config import format_size
from central_otel.config.model import AnyTopic
from central_otel.new_central.topics import NewCentralTopic

log = logging.getLogger(__name__)


class FrameRecorder:
    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.frames = 0
        self._writer: CaptureWriter | None = None
        self._stopped = False

    @property
    def active(self) -> bool:
        return self._writer is not None

    def open(self) -> None:
        """Start recording (appending to an existing capture). Logs instead of raising."""
        try:
            self._writer = CaptureWriter(self.path, self.max_bytes)
        except (OSError, CaptureError) as err:
            self._stop(f"cannot record frames to {self.path}: {_reason(err)}; recording is off")
            return
        log.info(
            "recording every received frame to %s (up to %s)",
            self.path,
            format_size(self.max_bytes),
        )

    def record(self, customer: str, topic: AnyTopic, frame: bytes, received_ns: int) -> None:
        """Append one frame; never raises."""
        writer = self._writer
        if writer is None:
            return
        try:
            platform = "new_central" if isinstance(topic, NewCentralTopic) else "classic"
            record = CaptureRecord(received_ns, topic.value, customer, frame, platform)
            written = writer.write(record)
            # Flushed per frame: a capture is for support cases, where the frames just
            # before a crash or a kill are the interesting ones.
            writer.flush()
        except (OSError, ValueError) as err:
            self._stop(
                f"cannot write to the capture file {self.path}: {_reason(err)}; "
                f"recording stopped after {self.frames} frame(s)"
            )
            return
        if not written:
            log.warning(
                "capture file %s is full (%d bytes, max_size %s); recording stopped after "
                "%d frame(s)",
                self.path,
                writer.size,
                format_size(self.max_bytes),
                self.frames,
            )
            self._close()
            return
        self.frames += 1

    def close(self) -> None:
        self._close()

    def _stop(self, message: str) -> None:
        if not self._stopped:
            log.error("%s", message)
        self._stopped = True
        self._close()

    def _close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            # Flushing what is buffered can fail like any write (a full disk): it was
            # reported already, or it is the end of recording anyway.
            with contextlib.suppress(OSError):
                writer.close()


def _reason(err: OSError | ValueError) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err) or type(err).__name__
