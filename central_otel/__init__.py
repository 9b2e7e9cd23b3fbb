"""central-otel: Aruba Central Streaming API to OpenTelemetry bridge."""

__version__ = "0.1.0"
