"""Streaming: WebSocket transport, key lifecycle and the reconnect policy above them.

Layers (bottom up): `transport` opens one WebSocket and classifies handshake
failures; `sessions` holds the process's HTTP sessions to Central (no connection
cap); `keys` validates and renews a customer's streaming key; `backoff`, `stagger`
and `failure_log` hold the retry, process-wide staggering and log-damping policy;
`subscription` runs one (customer, topic) stream forever on top of them; `streamer`
runs them all.
"""
