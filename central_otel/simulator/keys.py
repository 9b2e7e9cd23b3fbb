"""Streaming keys shaped like Central's, and the fingerprints that name them in records.

Central's WSS key is a JWT: header ``{"alg":"HS256","type":"jwt"}``, claims
``customer_id`` and ``creation_date`` (epoch seconds), an HMAC-SHA256 signature,
each part base64url without padding. The simulator signs with a random secret of
its own, so its keys look real but are worthless anywhere else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from central_otel.secret import Secret

_HEADER = {"alg": "HS256", "type": "jwt"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def make_key(customer_id: str, creation_date: int, secret: bytes) -> str:
    """A JWT streaming key for `customer_id`, created at `creation_date` (epoch seconds)."""
    claims = {"customer_id": customer_id, "creation_date": creation_date}
    signing_input = f"{_b64url(_json(_HEADER))}.{_b64url(_json(claims))}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def key_claims(key: str) -> dict[str, Any] | None:
    """The claims of a JWT-shaped key (signature not checked), or None for any other string."""
    parts = key.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(_unb64url(parts[1]))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def fingerprint(key: str) -> str:
    """The key's fingerprint (first 8 hex digits of its SHA-256), as the bridge logs it."""
    return Secret(key).fingerprint
