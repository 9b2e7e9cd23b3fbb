"""Ingest and export in instructions, counted by callgrind: figures that do not move
with the load on a shared box (CPU seconds do, by +-20 %).

    python -m bench.instructions [TREE]          ingest, per entity update (TREE:
                                                 another checkout, with the pacing seam
                                                 and the export plan, to count too with
                                                 this bench, for a before/after)
    python -m bench.instructions export [TREE]   one export cycle of a 20 k-series store,
                                                 per data point: the first cycle (every
                                                 attribute set built), the steady state,
                                                 and after a state change (needs valgrind)

Runs a child under ``valgrind --tool=callgrind --instr-atstart=no``; the child builds
the frames and warms a store up uninstrumented, then switches instrumentation on
(``callgrind_control``) for `decode_frame` + `apply_monitoring` of the monitoring mix
(the bridge's GC policy on, as in the ingest bench), and off again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _toggle(state: str) -> None:
    subprocess.run(
        ["callgrind_control", "--instr", state, str(os.getpid())], check=True, capture_output=True
    )


EXPORT_SERIES = 20_000
EXPORT_MODES = ("first", "steady", "changed")


def export_child(mode: str) -> None:
    from bench.export import encoder
    from bench.stores import fill, frames_for, new_store

    store = fill(new_store(), frames_for(EXPORT_SERIES))
    ours = encoder()
    if mode != "first":
        ours.encode([store])
    if mode == "changed":
        store.version += 1  # as after any state change: every cached entry is revalidated
    _toggle("on")
    points = ours.encode([store]).total_points
    _toggle("off")
    print(json.dumps({"points": points}), flush=True)


def ingest_child() -> None:
    from bench.ingest import entities_in
    from bench.stores import PACING, apply, new_store, payloads
    from central_otel.decoding import DecodedFrame, decode_frame
    from central_otel.gc_policy import GcPolicy
    from central_otel.simulator.estate import EstateScale
    from central_otel.simulator.frames import build

    scale = EstateScale(2, 50, 4, 2, 20, wired_clients_per_switch=8, ports_per_switch=48)
    frames = build(scale, rounds=2)
    warmup = frames.opening + frames.rounds[0]
    monitoring = frames.opening + frames.rounds[1]
    store = new_store()
    policy = GcPolicy(PACING.gc_thresholds, PACING.collect_bytes)
    policy.install()
    for info in payloads(warmup):
        apply(store, info)
    updates = sum(entities_in(info) for info in payloads(monitoring))
    _toggle("on")
    for frame in monitoring:
        policy.ingested(len(frame))
        decoded = decode_frame(frame)
        assert isinstance(decoded, DecodedFrame)
        apply(store, decoded.payload)
    _toggle("off")
    policy.remove()
    print(json.dumps({"updates": updates, "frames": len(monitoring)}), flush=True)


# The child: `central_otel` from the tree counted, `bench` (this code) from ROOT.
_BOOTSTRAP = """
import importlib.util, sys
tree, root = sys.argv[1:3]
sys.path.insert(0, tree)
spec = importlib.util.spec_from_file_location(
    "bench", root + "/bench/__init__.py", submodule_search_locations=[root + "/bench"]
)
sys.modules["bench"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sys.modules["bench"])
from bench.instructions import ingest_child, export_child
export_child(sys.argv[3]) if len(sys.argv) > 3 else ingest_child()
"""


def count(tree: Path, *args: str) -> tuple[int, dict[str, int]]:
    """Instructions counted in `tree`'s code by this bench (`args`: the export mode, or
    none for ingest), and what they covered."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                _BOOTSTRAP,
                str(tree),
                str(ROOT),
                *args,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"callgrind run failed: {done.stderr[-2000:]}")
        covered: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
        # "summary:" is written when the run starts (0: instrumentation off then).
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        assert totals is not None, "no totals in callgrind's output"
        return int(totals.group(1)), covered


def main(argv: list[str]) -> None:
    if argv[:1] == ["export"]:
        for tree in [ROOT, *(Path(a).resolve() for a in argv[1:])]:
            for mode in EXPORT_MODES:
                instructions, covered = count(tree, mode)
                print(
                    f"{tree}: export, {mode}: {instructions / covered['points']:.0f} "
                    f"instructions per data point ({instructions} over {covered['points']} "
                    "points)"
                )
        return
    trees = [ROOT, *(Path(a).resolve() for a in argv)]
    for tree in trees:
        instructions, covered = count(tree)
        per_update = instructions / covered["updates"]
        print(
            f"{tree}: {per_update / 1000:.1f} k instructions per entity update "
            f"({instructions} over {covered['updates']} updates in {covered['frames']} frames)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
