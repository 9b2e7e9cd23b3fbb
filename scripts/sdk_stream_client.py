"""Runs HPE's New Central SDK streaming client (pycentral) for one topic and prints
every message it decodes as a JSON line, then exits. Run with the SDK's own python
(scripts/sdk-venv); tests/test_new_central_sdk.py points it at the simulator.

Usage: python sdk_stream_client.py BASE_URL TOKEN_URL TOPIC COUNT TIMEOUT
(the client id and secret come from SDK_CLIENT_ID and SDK_CLIENT_SECRET)
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading

from pycentral import NewCentralBase  # type: ignore[import-not-found]
from pycentral.streaming import Streaming  # type: ignore[import-not-found]


def main(argv: list[str]) -> int:
    base_url, token_url, topic, count, timeout = argv
    conn = NewCentralBase(
        token_info={
            "new_central": {
                "base_url": base_url,
                "client_id": os.environ["SDK_CLIENT_ID"],
                "client_secret": os.environ["SDK_CLIENT_SECRET"],
                "token_endpoint": token_url,
            }
        },
        log_level="WARNING",
    )
    logging.getLogger().setLevel(logging.WARNING)
    stream = Streaming(conn, topic, reconnect_delay=1, max_retries=3)
    received: list[dict[str, object]] = []

    def on_message(message: dict[str, object]) -> None:
        received.append(message)
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()
        if len(received) >= int(count):
            stream.stop()

    threading.Timer(float(timeout), stream.stop).start()
    stream.stream(callback=on_message)
    return 0 if received else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
