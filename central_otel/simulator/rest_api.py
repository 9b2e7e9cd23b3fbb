"""Classic Central's REST API for device context, as the simulator serves it.

Endpoints (as Classic Central's API gateway serves them):

* ``POST /oauth2/token?client_id=..&client_secret=..&grant_type=refresh_token
  &refresh_token=..``: 200 ``{"access_token", "refresh_token", "expires_in": 7200,
  "token_type": "bearer"}``. The refresh token **rotates**: the one sent stops working.
  A wrong client id or secret gets 401 ``{"error": "invalid_client"}``, a spent,
  revoked or unknown refresh token 400 ``{"error": "invalid_grant"}``.
* ``GET /monitoring/v2/aps``, ``/monitoring/v1/switches``, ``/monitoring/v1/gateways``
  with ``Authorization: Bearer <access token>``, ``offset``, ``limit`` (at most 1000)
  and ``calculate_total``: ``{"aps"|"switches"|"gateways": [...], "count", "total"}``,
  each device with ``serial``, ``name``, ``macaddr``, ``ip_address``, ``model``,
  ``status``, ``site``, ``group_name``, ``labels``. 401 ``{"error": "invalid_token"}``
  for a missing, expired or unknown token.

Every answer carries ``x-ratelimit-{limit,remaining}-{second,day}`` (in lower case,
as behind Central's gateway); a call beyond 7 per second or beyond the day's budget
gets 429 ``{"message": "API rate limit exceeded"}``. Every call is recorded, tokens
by fingerprint only.

Site, group and labels come from the estate (a device's site is its estate site;
groups per device type; labels from its place), and can be changed per device
(`set_context`) or left out of the inventory (`hide_device`).
"""

from __future__ import annotations

import collections
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from central_otel.simulator.estate import AccessPoint, Estate, Gateway, Switch
from central_otel.simulator.keys import fingerprint

TOKEN_PATH = "/oauth2/token"
LIST_PATHS = {
    "/monitoring/v2/aps": ("aps", "ap"),
    "/monitoring/v1/switches": ("switches", "switch"),
    "/monitoring/v1/gateways": ("gateways", "gateway"),
}
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
DEFAULT_DAY_LIMIT = 5000
DEFAULT_SECOND_LIMIT = 7
ACCESS_TOKEN_LIFETIME = 7200
GROUPS = {"ap": "Campus-APs", "switch": "Campus-Switches", "gateway": "Branch-Gateways"}
_STATUS = {True: "Up", False: "Down"}

Device = AccessPoint | Switch | Gateway


@dataclass(frozen=True, slots=True)
class ApiCredentials:
    """What an administrator gets from API Gateway -> My Apps & Tokens (not shown by repr)."""

    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    """The bootstrap token (and its access token, which the bridge does not need)."""


@dataclass(frozen=True, slots=True)
class ApiCallRecord:
    method: str
    path: str
    status: int
    customer: str | None
    offset: int | None
    refresh_token: str | None
    """Fingerprint of the refresh token sent to the token endpoint."""
    at: float
    """The simulator's monotonic clock when answered."""


@dataclass(frozen=True, slots=True)
class DeviceOverride:
    site: str | None
    group: str | None
    labels: tuple[str, ...] | None


@dataclass(slots=True, eq=False)
class _Client:
    customer: str
    client_id: str
    client_secret: str
    refresh_token: str | None
    spent: set[str] = field(default_factory=set)
    access: dict[str, float] = field(default_factory=dict)  # token -> expiry (wall clock)
    limit_day: int = DEFAULT_DAY_LIMIT
    used_day: int = 0
    limit_second: int = DEFAULT_SECOND_LIMIT
    recent: collections.deque[float] = field(default_factory=collections.deque)
    overrides: dict[str, DeviceOverride] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    issued: list[str] = field(default_factory=list)


class ClassicRestApi:
    """The REST side of one simulator: API clients, tokens, rate limits, inventories."""

    def __init__(
        self,
        estate: Callable[[str], Estate],
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._estate = estate
        self._clock = clock
        self._monotonic = monotonic
        self._clients: dict[str, _Client] = {}  # by customer
        self.calls: list[ApiCallRecord] = []
        self.access_token_lifetime = ACCESS_TOKEN_LIFETIME
        self.observers: list[Callable[[ApiCallRecord], None]] = []
        """Called with each call's record as it is answered (tests look at the bridge's
        state at that moment)."""

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(TOKEN_PATH, self._handle_token)
        for path in LIST_PATHS:
            app.router.add_get(path, self._handle_list)

    # -- API clients ------------------------------------------------------------------

    def add_client(
        self,
        customer: str,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        limit_day: int = DEFAULT_DAY_LIMIT,
    ) -> ApiCredentials:
        """Create the customer's API client and its first token (the bootstrap token)."""
        self._estate(customer)  # the customer must exist
        client = _Client(
            customer,
            client_id or f"{customer}-{secrets.token_hex(4)}",
            client_secret or secrets.token_urlsafe(24),
            secrets.token_urlsafe(24),
            limit_day=limit_day,
        )
        client.issued.append(client.refresh_token or "")
        self._clients[customer] = client
        return self.credentials(customer)

    def issued_tokens(self, customer: str) -> list[str]:
        """Every token handed out to the customer's client, in order (for secret sweeps)."""
        return list(self._client(customer).issued)

    def credentials(self, customer: str) -> ApiCredentials:
        """The client and its current refresh token (what the UI would show now)."""
        client = self._client(customer)
        return ApiCredentials(client.client_id, client.client_secret, client.refresh_token or "")

    def new_token(self, customer: str) -> str:
        """Generate a new token in the UI: the previous refresh token stops working."""
        client = self._client(customer)
        if client.refresh_token is not None:
            client.spent.add(client.refresh_token)
        client.refresh_token = secrets.token_urlsafe(24)
        client.access.clear()
        client.issued.append(client.refresh_token)
        return client.refresh_token

    def revoke_tokens(self, customer: str) -> None:
        """Every token of the client stops working (until `new_token`)."""
        client = self._client(customer)
        if client.refresh_token is not None:
            client.spent.add(client.refresh_token)
        client.refresh_token = None
        client.access.clear()

    def expire_access_tokens(self, customer: str) -> None:
        self._client(customer).access.clear()

    def set_budget(
        self,
        customer: str,
        *,
        remaining_day: int | None = None,
        limit_day: int | None = None,
        limit_second: int | None = None,
    ) -> None:
        """Set the day's limit and what is left of it (the rest counts as used), and the
        calls allowed per second."""
        client = self._client(customer)
        if limit_second is not None:
            client.limit_second = limit_second
        if limit_day is not None:
            client.limit_day = limit_day
        if remaining_day is not None:
            client.used_day = max(0, client.limit_day - remaining_day)

    def other_user_calls(self, customer: str, count: int) -> None:
        """`count` calls of the account's other API users, now: they share both budgets."""
        client = self._client(customer)
        now = self._monotonic()
        client.recent.extend([now] * count)
        client.used_day += count

    def remaining_day(self, customer: str) -> int:
        client = self._client(customer)
        return max(0, client.limit_day - client.used_day)

    # -- inventory --------------------------------------------------------------------

    def set_context(
        self,
        customer: str,
        serial: str,
        *,
        site: str | None = None,
        group: str | None = None,
        labels: tuple[str, ...] | None = None,
    ) -> None:
        """What the inventory says about one device from now on (None: the estate's)."""
        self._client(customer).overrides[serial] = DeviceOverride(site, group, labels)

    def hide_device(self, customer: str, serial: str, hidden: bool = True) -> None:
        """Leave a device out of the inventory (removed from Central), or bring it back."""
        hidden_set = self._client(customer).hidden
        if hidden:
            hidden_set.add(serial)
        else:
            hidden_set.discard(serial)

    def records(self, customer: str, device_type: str) -> list[dict[str, Any]]:
        """The inventory records of one device type, as the list endpoint pages them."""
        client = self._client(customer)
        estate = self._estate(customer)
        devices: list[Device] = []
        if device_type == "ap":
            devices.extend(estate.aps)
        elif device_type == "switch":
            devices.extend(estate.switches)
        else:
            devices.extend(estate.gateways)
        return [
            inventory_record(device, device_type, client.overrides.get(device.serial))
            for device in devices
            if device.serial not in client.hidden
        ]

    # -- handlers ---------------------------------------------------------------------

    async def _handle_token(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        client = self._by_client_id(query.get("client_id", ""))
        refresh = query.get("refresh_token", "")
        limited = self._rate_limit(client)
        if limited is not None:
            return self._answer(request, client, limited, refresh=refresh)
        if client is None or not secrets.compare_digest(
            client.client_secret, query.get("client_secret", "")
        ):
            return self._answer(request, client, (401, {"error": "invalid_client"}), refresh)
        if query.get("grant_type") != "refresh_token":
            return self._answer(
                request, client, (400, {"error": "unsupported_grant_type"}), refresh
            )
        current = client.refresh_token
        if current is None or not secrets.compare_digest(current, refresh):
            refused = {"error": "invalid_grant", "error_description": "Invalid refresh token"}
            return self._answer(request, client, (400, refused), refresh)
        client.spent.add(current)
        client.refresh_token = secrets.token_urlsafe(24)
        access = secrets.token_urlsafe(24)
        client.access = {access: self._clock() + self.access_token_lifetime}
        client.issued += [client.refresh_token, access]
        body: dict[str, Any] = {
            "access_token": access,
            "refresh_token": client.refresh_token,
            "expires_in": self.access_token_lifetime,
            "token_type": "bearer",
        }
        return self._answer(request, client, (200, body), refresh)

    async def _handle_list(self, request: web.Request) -> web.StreamResponse:
        list_key, device_type = LIST_PATHS[request.path]
        client = self._by_access(request.headers.get("Authorization", ""))
        limited = self._rate_limit(client)
        if limited is not None:
            return self._answer(request, client, limited)
        if client is None:
            return self._answer(request, None, (401, {"error": "invalid_token"}))
        try:
            offset = int(request.query.get("offset", "0"))
            limit = int(request.query.get("limit", str(DEFAULT_LIMIT)))
        except ValueError:
            return self._answer(request, client, (400, {"message": "invalid offset or limit"}))
        if offset < 0 or not 1 <= limit <= MAX_LIMIT:
            return self._answer(request, client, (400, {"message": "invalid offset or limit"}))
        records = self.records(client.customer, device_type)
        page = records[offset : offset + limit]
        body: dict[str, Any] = {list_key: page, "count": len(page)}
        if request.query.get("calculate_total") == "true":
            body["total"] = len(records)
        return self._answer(request, client, (200, body), offset=offset)

    # -- helpers ----------------------------------------------------------------------

    def _client(self, customer: str) -> _Client:
        try:
            return self._clients[customer]
        except KeyError:
            raise KeyError(f"customer {customer!r} has no API client") from None

    def _by_client_id(self, client_id: str) -> _Client | None:
        for client in self._clients.values():
            if secrets.compare_digest(client.client_id, client_id):
                return client
        return None

    def _by_access(self, authorization: str) -> _Client | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        now = self._clock()
        for client in self._clients.values():
            expiry = client.access.get(token)
            if expiry is not None and now < expiry:
                return client
        return None

    def _rate_limit(self, client: _Client | None) -> tuple[int, dict[str, Any]] | None:
        """429 when the client's second or day is used up; else counts the call."""
        if client is None:
            return None
        now = self._monotonic()
        while client.recent and client.recent[0] <= now - 1.0:
            client.recent.popleft()
        if client.used_day >= client.limit_day or len(client.recent) >= client.limit_second:
            return 429, {"message": "API rate limit exceeded"}
        client.recent.append(now)
        client.used_day += 1
        return None

    def _answer(
        self,
        request: web.Request,
        client: _Client | None,
        answer: tuple[int, dict[str, Any]],
        refresh: str | None = None,
        *,
        offset: int | None = None,
    ) -> web.Response:
        status, body = answer
        record = ApiCallRecord(
            request.method,
            request.path,
            status,
            client.customer if client is not None else None,
            offset,
            fingerprint(refresh) if refresh else None,
            self._monotonic(),
        )
        headers = dict(self._limit_headers(client)) if client is not None else {}
        self.calls.append(record)
        for observer in self.observers:
            observer(record)
        return web.json_response(body, status=status, headers=headers)

    def _limit_headers(self, client: _Client) -> Iterator[tuple[str, str]]:
        now = self._monotonic()
        used_second = sum(1 for at in client.recent if at > now - 1.0)
        yield "x-ratelimit-limit-day", str(client.limit_day)
        yield "x-ratelimit-remaining-day", str(max(0, client.limit_day - client.used_day))
        yield "x-ratelimit-limit-second", str(client.limit_second)
        yield "x-ratelimit-remaining-second", str(max(0, client.limit_second - used_second))


def labels_of(device: Device, device_type: str) -> tuple[str, ...]:
    """The estate's labels: where an AP hangs, what a switch or gateway is for."""
    if isinstance(device, AccessPoint):
        floor = "floor-1" if device.y < device.site.height / 2 else "floor-2"
        return ("conductor", floor) if device.swarm_master else (floor,)
    return ("access-layer",) if device_type == "switch" else ("wan-edge",)


def inventory_record(
    device: Device, device_type: str, override: DeviceOverride | None = None
) -> dict[str, Any]:
    """One device as the list endpoints answer it (`override`: `set_context`'s)."""
    site = device.site.name
    group = GROUPS[device_type]
    labels = labels_of(device, device_type)
    if override is not None:
        site = override.site if override.site is not None else site
        group = override.group if override.group is not None else group
        labels = override.labels if override.labels is not None else labels
    return {
        "serial": device.serial,
        "name": device.name,
        "macaddr": device.mac.hex(":"),
        "ip_address": ".".join(str(octet) for octet in device.ip),
        "model": device.model,
        "status": _STATUS[device.up],
        "site": site or None,
        "group_name": group,
        "labels": list(labels),
        "firmware_version": device.firmware,
    }
