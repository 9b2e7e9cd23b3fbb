#!/usr/bin/env python3
"""Generate ``central_otel/proto/*_pb2.py`` and ``*_pb2.pyi`` from ``protos/*.proto``.

Usage (from anywhere)::

    python scripts/generate_protos.py           # (re)write the committed modules
    python scripts/generate_protos.py --check   # exit 1 if they are stale

protoc is the one bundled with ``grpcio-tools`` (pinned exactly in pyproject.toml),
run in-process, so the output is byte-for-byte reproducible for a given version.
``--check`` generates into a temporary directory and compares byte for byte with
the committed files; it names every file that differs, is missing or is extra.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

REPO_ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = REPO_ROOT / "protos"
OUT_DIR = REPO_ROOT / "central_otel" / "proto"

# Classic: the envelope first, then one file per Classic Streaming API topic.
CLASSIC_PROTO_FILES: tuple[str, ...] = (
    "streaming.proto",
    "monitoring.proto",
    "presence.proto",
    "security.proto",
    "location.proto",
    "apprf.proto",
    "audit.proto",
)
# New Central: the CloudEvent envelope, then the payloads. In their own directory (and
# so their own Python package, central_otel.proto.new_central): their file names
# (location.proto) would otherwise clash with Classic's in the descriptor pool.
NEW_CENTRAL_DIR = "new_central"
NEW_CENTRAL_PROTO_FILES: tuple[str, ...] = tuple(
    f"{NEW_CENTRAL_DIR}/{name}"
    for name in (
        "event.proto",
        "ap_events.proto",
        "client.proto",
        "sw.proto",
        "alert.proto",
        "audit_trail.proto",
        "location.proto",
        "location_analytics.proto",
        "geofence.proto",
    )
)
PROTO_FILES: tuple[str, ...] = CLASSIC_PROTO_FILES + NEW_CENTRAL_PROTO_FILES

GENERATED_SUFFIXES: tuple[str, ...] = ("_pb2.py", "_pb2.pyi")


class ProtocError(RuntimeError):
    """protoc exited with a non-zero status (its messages went to stderr)."""


def protoc_include_dir() -> Path:
    """Directory of the well-known ``google/protobuf/*.proto`` bundled with grpc_tools."""
    return Path(str(resources.files("grpc_tools").joinpath("_proto")))


def run_protoc(args: Sequence[str]) -> None:
    """Run the bundled protoc in-process with *args* (without the program name)."""
    status = int(protoc.main(["grpc_tools.protoc", *args]))
    if status != 0:
        raise ProtocError(f"protoc exited with status {status}: {' '.join(args)}")


def expected_outputs(proto_files: Sequence[str] = PROTO_FILES) -> list[str]:
    """Paths (relative to the output directory) protoc writes for *proto_files* (sorted)."""
    stems = (name.removesuffix(".proto") for name in proto_files)
    return sorted(stem + suffix for stem in stems for suffix in GENERATED_SUFFIXES)


def generate(
    out_dir: Path,
    proto_dir: Path = PROTO_DIR,
    proto_files: Sequence[str] = PROTO_FILES,
) -> None:
    """Write ``<stem>_pb2.py`` and ``<stem>_pb2.pyi`` for every proto file into *out_dir*."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run_protoc(
        [
            f"-I{proto_dir}",
            f"-I{protoc_include_dir()}",
            f"--python_out={out_dir}",
            f"--pyi_out={out_dir}",
            *proto_files,
        ]
    )


def _generated_in(directory: Path) -> set[str]:
    """Generated modules under *directory*, as paths relative to it (``a/b_pb2.py``)."""
    if not directory.is_dir():
        return set()
    return {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and path.name.endswith(GENERATED_SUFFIXES)
    }


def stale_files(
    committed_dir: Path = OUT_DIR,
    proto_dir: Path = PROTO_DIR,
    proto_files: Sequence[str] = PROTO_FILES,
) -> list[str]:
    """Compare *committed_dir* with a fresh generation; one line per problem, sorted.

    An empty list means every generated module is present and byte-identical, and
    there is no leftover ``*_pb2.py(i)`` that the current proto files do not produce.
    """
    with tempfile.TemporaryDirectory(prefix="generate_protos-") as tmp:
        fresh_dir = Path(tmp)
        generate(fresh_dir, proto_dir, proto_files)
        fresh = _generated_in(fresh_dir)
        committed = _generated_in(committed_dir)
        problems: list[str] = []
        for name in sorted(fresh | committed):
            if name not in committed:
                problems.append(f"{name}: missing (not generated yet)")
            elif name not in fresh:
                problems.append(f"{name}: extra (no proto file produces it)")
            elif (committed_dir / name).read_bytes() != (fresh_dir / name).read_bytes():
                problems.append(f"{name}: differs from what protoc generates")
        return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write anything; exit 1 if the committed modules are stale",
    )
    options = parser.parse_args(argv)

    if options.check:
        problems = stale_files()
        for problem in problems:
            sys.stderr.write(f"{OUT_DIR.relative_to(REPO_ROOT)}/{problem}\n")
        if problems:
            sys.stderr.write("run: python scripts/generate_protos.py\n")
            return 1
        return 0

    generate(OUT_DIR)
    leftovers = sorted(_generated_in(OUT_DIR) - set(expected_outputs()))
    for name in leftovers:
        (OUT_DIR / name).unlink()
        sys.stdout.write(f"removed stale {OUT_DIR.relative_to(REPO_ROOT)}/{name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
