"""What a customer's credential holders share (a Classic streaming key,
`streaming.keys.CustomerKey`; a New Central access token,
`new_central.token.CustomerToken`): the generation their streams follow, the lock that
turns a burst of refusals into one call, and the process's turns for credential calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from central_otel.streaming.failure_log import FailureLog
from central_otel.streaming.stagger import Stagger


class CustomerCredential:
    """One customer's credential, shared by its streams (`streaming.subscription.Credentials`)."""

    def __init__(
        self,
        customer: str,
        log: logging.Logger,
        *,
        stagger: Stagger | None,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        """`stagger`: the process's turns for calls to credential endpoints, which every
        call waits for (so hundreds of customers never ask in the same second)."""
        self.customer = customer
        self.generation = 0
        """Bumps with every new credential."""
        self.renewals = 0
        """Credentials obtained after the first."""
        self._stagger = stagger
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._failures = FailureLog(log, clock=clock)

    async def wait_changed(self, generation: int) -> None:
        """Return once the credential's generation differs from `generation`."""
        while self.generation == generation:
            await self._changed.wait()

    def _next_generation(self) -> None:
        """A new credential is in use: wake every stream waiting for one."""
        self.generation += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def _turn(self) -> None:
        """Wait for this process's turn to call a credential endpoint."""
        if self._stagger is not None:
            await self._stagger.turn()
