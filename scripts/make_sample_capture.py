"""Writes examples/sample.cap: one frame of every topic, built from tests/samples.py.

Usage: python scripts/make_sample_capture.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from central_otel.capture import CaptureRecord, CaptureWriter  # noqa: E402
from tests import samples  # noqa: E402

FRAMES = [
    ("monitoring", samples.monitoring()),
    ("presence", samples.presence()),
    ("security", samples.security()),
    ("location", samples.location()),
    ("location", samples.geofence()),
    ("apprf", samples.apprf()),
    ("audit", samples.audit()),
]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else ROOT / "examples" / "sample.cap"
    path.unlink(missing_ok=True)
    with CaptureWriter(path, max_bytes=1 << 20) as writer:
        for i, (topic, payload) in enumerate(FRAMES):
            received = samples.ENVELOPE_NS + i * 1_000_000_000
            writer.write(CaptureRecord(received, topic, "Demo", samples.envelope(topic, payload)))
    sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
