"""One customer's HTTP calls to Central's REST API, through its rate limiter.

`RestClient.call` sends one request (JSON answer expected), paced and retried on
429 by the `RateLimiter`, and turns every failure into an `ApiError` whose text
never holds a secret: URLs carry the client secret and tokens in their query
string (Classic's token endpoint wants them there), so every text that could
quote a URL or a body is redacted with the customer's current secrets.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import aiohttp

from central_otel.inventory.ratelimit import RateLimited, RateLimiter
from central_otel.secret import Secret
from central_otel.streaming.net_errors import RequestFailed, bounded_request

MAX_BODY = 16 * 1024 * 1024
"""Bytes of one answer read at most (a page of 1,000 devices is about 1 MB)."""


class ApiError(Exception):
    """A REST call that gave no usable answer; `cause` labels the failure counter."""

    cause = "error"


class NetworkError(ApiError):
    cause = "network"


class HttpError(ApiError):
    cause = "http_error"

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        super().__init__(detail)


class BadResponse(ApiError):
    cause = "bad_response"


class RateLimitError(ApiError):
    cause = "rate_limited"

    def __init__(self, day: bool, detail: str) -> None:
        self.day = day
        super().__init__(detail)


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    body: bytes

    def json(self) -> object:
        """The answer's JSON document; `BadResponse` if it is none."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            raise BadResponse("the answer is not JSON") from None


class RestClient:
    """Sends one customer's calls to one API base URL."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        limiter: RateLimiter,
        *,
        ssl_setting: ssl.SSLContext | bool,
        secrets: Callable[[], Iterable[Secret]],
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter
        self._session = session
        self._ssl = ssl_setting
        self._secrets = secrets
        self._timeout = timeout

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        token: Secret | None = None,
    ) -> ApiResponse:
        """The answer to `method` `path` (any status but 429); `ApiError` if none came.
        `token`: sent as ``Authorization: Bearer``."""
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token.reveal()}"
        answer: list[ApiResponse] = []

        async def send() -> tuple[int, Mapping[str, str]]:
            status, response_headers, body = await self._send(method, path, params, headers)
            answer[:] = [ApiResponse(status, body)]
            return status, response_headers

        try:
            await self.limiter.call(send)
        except RateLimited as err:
            raise RateLimitError(err.day, str(err)) from None
        return answer[0]

    async def _send(
        self, method: str, path: str, params: Mapping[str, str] | None, headers: dict[str, str]
    ) -> tuple[int, Mapping[str, str], bytes]:
        try:
            status, response_headers, body = await bounded_request(
                self._session,
                method,
                self.base_url + path,
                timeout=self._timeout,
                secrets=list(self._secrets()),
                max_body=MAX_BODY + 1,
                params=params,
                headers=headers,
                ssl=self._ssl,
                allow_redirects=False,
            )
        except RequestFailed as err:
            raise NetworkError(str(err)) from None
        if len(body) > MAX_BODY:
            raise BadResponse(f"the answer is larger than {MAX_BODY} bytes")
        return status, response_headers, body
