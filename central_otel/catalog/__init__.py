"""Declarative catalogues: which metric and event each Aruba message becomes.

The tables here are the only place metric and event names live; docs/metrics.md
is generated from them (`python -m central_otel.catalog.docs`).
"""
