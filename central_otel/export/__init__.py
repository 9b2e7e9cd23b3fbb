"""Catalogue metrics as OTLP: the export plan's encoder, its sinks (an OTLP backend over
gRPC or HTTP, the console, memory) and the loop that runs them (docs/performance.md)."""
