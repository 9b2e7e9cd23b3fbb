"""New Central's monitoring API for device context, as `NewCentralSimulator` serves it.

``GET /network-monitoring/v1/aps``, ``/switches``, ``/gateways`` and ``/device-inventory``
with ``Authorization: Bearer <access token>`` (the token the streams use), ``limit``
(at most 1000; 100 for gateways) and ``next`` (the 1-based page, default 1):
``{"items": [...], "count", "next", "total"}``, ``next`` null on the last page. Items
have ``serialNumber``, ``macAddress``, ``deviceName``, ``deviceType``, ``model``,
``status``, ``ipv4``, ``siteId`` and ``siteName`` (gateways: ``siteId`` only, as in
HPE's examples); device-inventory items ``deviceGroupName`` too. An unknown or
expired token gets 401 ``HPE_GL_ERROR_UNAUTHORIZED``; more than `limit_second` calls
in a second of a customer 429 ``HPE_GL_ERROR_TOO_MANY_REQUESTS``. Every answer
carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from central_otel.simulator.estate import AccessPoint, Estate, Gateway, Switch
from central_otel.simulator.new_central_events import site_id
from central_otel.simulator.rest_api import GROUPS

MONITORING = "/network-monitoring/v1"
LISTS = {
    f"{MONITORING}/aps": ("ap", 1000),
    f"{MONITORING}/switches": ("switch", 1000),
    f"{MONITORING}/gateways": ("gateway", 100),
    f"{MONITORING}/device-inventory": ("any", 1000),
}
DEVICE_TYPES = {"ap": "ACCESS_POINT", "switch": "SWITCH", "gateway": "GATEWAY"}
DEFAULT_SECOND_LIMIT = 7

Device = AccessPoint | Switch | Gateway


@dataclass(frozen=True, slots=True)
class RestCall:
    customer: str | None
    path: str
    status: int
    page: int | None


@dataclass(slots=True)
class _Window:
    recent: collections.deque[float] = field(default_factory=collections.deque)


def _kind(device: Device) -> str:
    if isinstance(device, AccessPoint):
        return "ap"
    return "switch" if isinstance(device, Switch) else "gateway"


def record(device: Device, *, inventory: bool = False) -> dict[str, Any]:
    """One device as the lists answer it (`inventory`: as device-inventory does)."""
    kind = _kind(device)
    item: dict[str, Any] = {
        "serialNumber": device.serial,
        "macAddress": device.mac.hex(":"),
        "deviceName": device.name,
        "deviceType": DEVICE_TYPES[kind],
        "model": device.model,
        "status": "ONLINE" if device.up else "OFFLINE",
        "ipv4": ".".join(str(octet) for octet in device.ip),
        "siteId": site_id(device.site),
    }
    if kind != "gateway" or inventory:
        item["siteName"] = device.site.name
    if inventory:
        item["deviceGroupName"] = GROUPS[kind]
    return item


class NewCentralRestApi:
    """The monitoring lists of a New Central simulator's customers."""

    def __init__(
        self,
        customer_of: Callable[[str], str | None],
        estate: Callable[[str], Estate],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`customer_of(token)`: the customer a valid access token is for (None: unknown
        or expired); `estate(customer)`: its estate."""
        self._customer_of = customer_of
        self._estate = estate
        self.monotonic = monotonic
        """The clock of the per-second window (tests put theirs)."""
        self.limit_second = DEFAULT_SECOND_LIMIT
        self.calls: list[RestCall] = []
        self._windows: dict[str, _Window] = {}

    def add_routes(self, app: web.Application) -> None:
        for path in LISTS:
            app.router.add_get(path, self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        kind, max_limit = LISTS[request.path]
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ")
        customer = self._customer_of(token) if authorization.startswith("Bearer ") else None
        if customer is None:
            return self._answer(request, 401, _error(401, "UNAUTHORIZED"))
        headers, allowed = self._rate(customer)
        if not allowed:
            refused = _error(429, "TOO_MANY_REQUESTS")
            return self._answer(request, 429, refused, customer=customer, headers=headers)
        try:
            limit = int(request.query.get("limit", "100"))
            page = int(request.query.get("next", "1"))
        except ValueError:
            bad = _error(400, "BAD_REQUEST")
            return self._answer(request, 400, bad, customer=customer, headers=headers)
        if not 1 <= limit <= max_limit or page < 1:
            bad = _error(400, "BAD_REQUEST")
            return self._answer(request, 400, bad, customer=customer, page=page, headers=headers)
        estate = self._estate(customer)
        devices: list[Device] = [d for d in estate.devices if kind == "any" or _kind(d) == kind]
        items = [record(d, inventory=kind == "any") for d in devices]
        chunk = items[(page - 1) * limit : page * limit]
        more = page * limit < len(items)
        body = {
            "items": chunk,
            "count": len(chunk),
            "next": str(page + 1) if more else None,
            "total": len(items),
        }
        return self._answer(request, 200, body, customer=customer, page=page, headers=headers)

    def _rate(self, customer: str) -> tuple[dict[str, str], bool]:
        window = self._windows.setdefault(customer, _Window())
        now = self.monotonic()
        while window.recent and window.recent[0] <= now - 1.0:
            window.recent.popleft()
        allowed = len(window.recent) < self.limit_second
        if allowed:
            window.recent.append(now)
        headers = {
            "X-RateLimit-Limit": str(self.limit_second),
            "X-RateLimit-Remaining": str(max(0, self.limit_second - len(window.recent))),
            "X-RateLimit-Reset": "1",
        }
        return headers, allowed

    def _answer(
        self,
        request: web.Request,
        status: int,
        body: dict[str, Any],
        *,
        customer: str | None = None,
        page: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        self.calls.append(RestCall(customer, request.path, status, page))
        return web.json_response(body, status=status, headers=headers or {})


def _error(status: int, code: str) -> dict[str, Any]:
    return {
        "httpStatusCode": status,
        "errorCode": f"HPE_GL_ERROR_{code}",
        "message": code.replace("_", " ").lower(),
        "debugId": "simulated",
    }
