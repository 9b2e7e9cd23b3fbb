"""Central's REST rate limits: headers in any case, at most 7 calls a second, one a second
while the day's budget is low, backoff on 429, syncs spread over what is left of the day."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pytest
import trustme

from central_otel.inventory.ratelimit import BACKOFF_429, Budget, RateLimited, RateLimiter
from central_otel.simulator import ApiCallRecord, CentralSimulator
from central_otel.simulator.rest_api import TOKEN_PATH
from tests.inventory_support import CUSTOMER, FakeTime, inventory_config, rest_sim, syncing

pytestmark = pytest.mark.timeout(60)

MIDNIGHT_IN = 16 * 3600.0  # FakeTime starts at 08:00:00 UTC


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def max_in_one_second(times: list[float]) -> int:
    """The most calls in any window of one second."""
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_headers_are_read_whatever_their_case() -> None:
    budget = Budget()
    budget.update(
        {
            "X-RATELIMIT-REMAINING-DAY": "312",
            "x-ratelimit-limit-day": "5000",
            "X-RateLimit-Limit-Second": "7",
            "x-ratelimit-remaining-second": " 3 ",
            "X-RateLimit-Other": "1",
            "Content-Length": "10",
        }
    )
    assert budget == Budget(limit_day=5000, remaining_day=312, limit_second=7, remaining_second=3)
    assert budget.tight  # 312 < 10 % of 5000
    assert budget.usable == 312 - 250
    budget.update({"x-ratelimit-remaining-day": "lots", "x-ratelimit-limit-day": "-1"})
    assert (budget.remaining_day, budget.limit_day) == (312, 5000)  # nonsense is ignored
    enough = Budget(limit_day=5000)
    enough.update({"x-ratelimit-remaining-day": "500"})
    assert not enough.tight
    assert Budget().usable is None
    assert not Budget().tight


async def calls_at(
    limiter: RateLimiter, fake: FakeTime, n: int, headers: Mapping[str, str]
) -> list[float]:
    times: list[float] = []

    async def send() -> tuple[int, Mapping[str, str]]:
        times.append(fake.mono)
        return 200, headers

    for _ in range(n):
        await limiter.call(send)
    return times


async def test_never_more_than_seven_calls_in_a_second(fake: FakeTime) -> None:
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    times = await calls_at(limiter, fake, 30, {})
    assert max_in_one_second(times) == 7
    assert times[:8] == [1000.0] * 7 + [1001.0]
    assert limiter.calls == 30
    assert limiter.waits == 4  # before calls 8, 15, 22 and 29
    assert limiter.wait_seconds == 4.0


async def test_one_call_a_second_while_the_budget_is_low(fake: FakeTime) -> None:
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    low = {"x-ratelimit-limit-day": "5000", "x-ratelimit-remaining-day": "400"}
    times = await calls_at(limiter, fake, 5, low)
    assert [t - times[0] for t in times] == [0.0, 1.0, 2.0, 3.0, 4.0]


async def test_a_used_up_second_waits_for_the_next(fake: FakeTime) -> None:
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    times = await calls_at(limiter, fake, 3, {"X-RateLimit-Remaining-Second": "0"})
    assert [t - times[0] for t in times] == [0.0, 1.0, 2.0]


async def test_429_backs_off_then_gives_up(fake: FakeTime) -> None:
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)
    answers = [429, 429, 200]

    async def send() -> tuple[int, Mapping[str, str]]:
        return answers.pop(0), {"x-ratelimit-remaining-day": "100"}

    await limiter.call(send)
    assert fake.sleeps == [2.0, 4.0]
    assert (limiter.calls, limiter.refusals, limiter.waits) == (3, 2, 2)

    fake.sleeps.clear()

    async def refuse() -> tuple[int, Mapping[str, str]]:
        return 429, {}

    with pytest.raises(RateLimited) as raised:
        await limiter.call(refuse)
    assert not raised.value.day
    assert fake.sleeps == list(BACKOFF_429)
    assert str(raised.value) == "API rate limit exceeded (HTTP 429)"


async def test_a_spent_day_stops_at_once(fake: FakeTime) -> None:
    limiter = RateLimiter(clock=fake.monotonic, sleep=fake.sleep)

    async def spent() -> tuple[int, Mapping[str, str]]:
        return 429, {"X-RateLimit-Remaining-Day": "0", "X-RateLimit-Limit-Day": "5000"}

    with pytest.raises(RateLimited) as raised:
        await limiter.call(spent)
    assert raised.value.day
    assert fake.sleeps == []
    with pytest.raises(RateLimited):
        await limiter.call(spent)  # known spent: not even sent
    assert limiter.calls == 1


def list_call_times(sim: CentralSimulator) -> list[float]:
    return [c.at for c in sim.rest_api.calls]


async def test_low_budget_against_central_slows_calls_and_syncs_and_says_so_once(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="central_otel.inventory")
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        sim.rest_api.set_budget(CUSTOMER, limit_day=5000, remaining_day=501)
        assert await s.sync()
        times = list_call_times(sim)
        # Not low at the first answer (501), low from the second on: one call a second.
        assert [t - times[0] for t in times] == [0.0, 0.0, 1.0, 2.0]
        assert s.limiter.budget.remaining_day == 497
        usable = 497 - 250  # what is left beyond the 5 % reserve for other API users
        until_reset = MIDNIGHT_IN - 2.0 + 60.0
        assert s.next_delay() == pytest.approx(until_reset * 4 / usable)
        assert await s.sync()
        low = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert low == [
            f"customer {CUSTOMER!r}: Central's API budget is low: 497 of 5000 calls left today "
            "(reset at midnight UTC, in 15h59m58s); device-context calls slow down to one per "
            "second and syncs to every 15m34s"
        ]
        # Central resets the day: back to normal, said once.
        sim.rest_api.set_budget(CUSTOMER, remaining_day=5000)
        assert await s.sync()
        assert s.next_delay() == 900.0
    assert caplog.records[-1].getMessage() == (
        f"customer {CUSTOMER!r}: Central's API budget is fine again (4997 of 5000 calls left "
        "today); syncs every 15m"
    )


async def test_429_from_central_backs_off_without_bursting(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:

        def busy_account(record: ApiCallRecord) -> None:
            if record.path == "/monitoring/v2/aps":  # another API user takes this second
                sim.rest_api.other_user_calls(CUSTOMER, 7)

        sim.rest_api.observers.append(busy_account)
        assert await s.sync()
        statuses = [(c.path, c.status) for c in sim.rest_api.calls]
        times = list_call_times(sim)
        status = s.status()
    assert statuses == [
        (TOKEN_PATH, 200), ("/monitoring/v2/aps", 200),
        ("/monitoring/v1/switches", 429), ("/monitoring/v1/switches", 200),
        ("/monitoring/v1/gateways", 200),
    ]  # fmt: skip
    assert [t - times[0] for t in times] == [0.0, 0.0, 0.0, 2.0, 2.0]
    assert fake.sleeps == [2.0]
    assert (status["rate_limit_waits"], status["api_calls"]) == (1, 5)
    assert s.limiter.refusals == 1


async def test_central_saying_the_second_is_used_up_is_obeyed(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path
) -> None:
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        sim.rest_api.set_budget(CUSTOMER, limit_second=2)
        assert await s.sync()
        statuses = {c.status for c in sim.rest_api.calls}
        times = list_call_times(sim)
    assert statuses == {200}  # never refused: the next second is waited for
    assert [t - times[0] for t in times] == [0.0, 0.0, 1.0, 1.0]
    assert max_in_one_second(times) == 2


async def test_a_spent_day_fails_the_sync_and_waits_for_the_reset(
    ca: trustme.CA, fake: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="central_otel.inventory")
    async with rest_sim(ca, fake) as sim, syncing(inventory_config(sim, tmp_path), ca, fake) as s:
        sim.rest_api.set_budget(CUSTOMER, remaining_day=0)
        assert not await s.sync()
        assert s.stats.failures == {"rate_limited": 1}
        assert s.next_delay() == MIDNIGHT_IN + 60.0
        assert len(sim.rest_api.calls) == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"customer {CUSTOMER!r}: device-context sync failed (the day's API budget is used up); "
        "keeping no device context yet; waiting for Central's daily reset (midnight UTC, in "
        "16h1m)"
    ]
