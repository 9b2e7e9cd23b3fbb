"""Benchmarks of the bridge's hot paths (issue 7): ``python -m bench [--quick] [SECTION...]``.

Sections: ``ingest`` (decode + store), ``export`` (collect + encode + serialise),
``memory`` (bytes per live series), ``e2e`` (simulator -> run -> OTLP receiver).
Each prints its figures and the ratio to a baseline measured in the same run.
Results and the command line are recorded in docs/performance.md.
"""
