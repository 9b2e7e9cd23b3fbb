"""A built-in Aruba Central that speaks the real Classic Streaming API protocol.

Try, demo and test a whole deployment without an Aruba account::

    from central_otel.simulator import CentralSimulator, EstateScale

    async with CentralSimulator(scale=EstateScale.small(), stats_interval=1.0, seed=1) as sim:
        customer = sim.add_customer("CustomerA")
        # point central-otel at sim.url with customer.key

See docs/simulator.md: protocol, estate, traffic, fault injection, the CLI.
"""

from __future__ import annotations

from central_otel.simulator.estate import Estate, EstateScale
from central_otel.simulator.keys import fingerprint, key_claims, make_key
from central_otel.simulator.rest_api import ApiCallRecord, ApiCredentials, ClassicRestApi
from central_otel.simulator.server import (
    STREAM_PATH,
    UNSUBSCRIBED_TOPIC,
    VALIDATE_PATH,
    CentralSimulator,
    ConnectionRecord,
    CustomerInfo,
    HandshakeRecord,
    ValidateRecord,
)
from central_otel.simulator.world import SimClock, TrafficProfile

__all__ = [
    "STREAM_PATH",
    "UNSUBSCRIBED_TOPIC",
    "VALIDATE_PATH",
    "ApiCallRecord",
    "ApiCredentials",
    "CentralSimulator",
    "ClassicRestApi",
    "ConnectionRecord",
    "CustomerInfo",
    "Estate",
    "EstateScale",
    "HandshakeRecord",
    "SimClock",
    "TrafficProfile",
    "ValidateRecord",
    "fingerprint",
    "key_claims",
    "make_key",
]
