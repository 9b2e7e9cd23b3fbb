"""New Central (Central on HPE GreenLake): the second streaming platform.

Its Streaming API differs from Classic's in every layer below the entity store:
OAuth2 client-credentials tokens instead of a streaming key (`token`), one WebSocket
per topic at its own path (`topics`), CloudEvents carrying typed payloads
(`decoding`). `translate` turns the payloads into the Classic domain messages the
entity store and the catalogues already consume, so both platforms give the same
metrics and events (see docs/new-central.md).
"""
