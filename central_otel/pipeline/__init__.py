"""The pipeline: frames in (from the streams), state and events out (to OpenTelemetry)."""
