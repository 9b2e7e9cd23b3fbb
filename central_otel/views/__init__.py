"""Terminal views for people, drawn with `rich`: `central-otel status` (a running
bridge's /status, like `kubectl get`) and the live summary of `central-otel demo`.

Colours carry meaning and only that: green is healthy or connected, yellow is on its
way or worth a look, red is broken or lost. Without a terminal the same views come
out as plain text (no colours, no cursor movement)."""
