"""The live state of one simulated customer: estate, counters, events, simulated clock.

A `World` is shared by every connection of its customer. Connections drive it: each
tick of a connection first lets the world advance (at most once per stats interval,
whichever connection gets there first), then reads the estate for its topic. Estate
changes (clients joining and leaving, APs going down and up, WIDS and rogue events)
are published as monitoring `Change`s to every monitoring connection of the
customer, so two collectors see the same ADD/DELETE stream.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from central_otel.proto import monitoring_pb2 as mon
from central_otel.simulator.estate import AccessPoint, Client, Estate, Site
from central_otel.simulator.messages import (
    Fill,
    fill_ap,
    fill_notification,
    fill_port,
    fill_radio,
    fill_rogue,
    fill_wids,
    fill_wireless_client,
)

# (repeated field of MonitoringInformation, fill function, positional args, keyword args)
Change = tuple[str, Fill, tuple[Any, ...], dict[str, Any]]


class SimClock:
    """Wall-clock time, optionally shifted (`clock_offset`, seconds) and sped up (`time_scale`).

    ``now()`` = start + clock_offset + elapsed * time_scale: a soak test with
    ``time_scale=60`` sees an hour of counters, uptimes and key ages per real minute.
    """

    def __init__(self, clock_offset: float = 0.0, time_scale: float = 1.0) -> None:
        if not math.isfinite(clock_offset):
            raise ValueError("clock_offset must be a finite number of seconds")
        if not math.isfinite(time_scale) or time_scale <= 0:
            raise ValueError("time_scale must be a positive number")
        self.clock_offset = clock_offset
        self.time_scale = time_scale
        self._wall0 = time.time()
        self._mono0 = time.monotonic()

    def now(self) -> float:
        """Simulated epoch seconds."""
        return self._wall0 + self.clock_offset + (time.monotonic() - self._mono0) * self.time_scale

    def now_ns(self) -> int:
        return int(self.now() * 1_000_000_000)


@dataclass(frozen=True, slots=True)
class TrafficProfile:
    """How often things happen: probabilities per stats tick (each 0..1).

    ``client_join``/``client_leave``/``ap_down``: per AP; ``ap_up``: per AP that is
    down; ``wids``/``rogue`` (monitoring events), ``security`` (a security-topic
    event) and ``geofence``: per site; ``audit``: per customer; ``presence_rssi`` and
    ``presence_client_state``: per AP, an extra presence message of that kind;
    ``location_fraction``/``apprf_fraction``: the share of clients located / with
    application sessions each tick (at least one client when there are any).
    """

    client_join: float = 0.02
    client_leave: float = 0.02
    ap_down: float = 0.002
    ap_up: float = 0.5
    wids: float = 0.05
    rogue: float = 0.05
    security: float = 0.1
    geofence: float = 0.2
    audit: float = 0.05
    presence_rssi: float = 0.3
    presence_client_state: float = 0.1
    location_fraction: float = 0.25
    apprf_fraction: float = 0.5

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= 1
            ):
                raise ValueError(f"TrafficProfile.{item.name} must be a probability in 0..1")

    @classmethod
    def quiet(cls) -> TrafficProfile:
        """No random events: state, stats and the periodic presence/location/apprf data only."""
        return cls(0, 0, 0, 0, 0, 0, 0, 0, 0, presence_rssi=0, presence_client_state=0)

    @classmethod
    def busy(cls) -> TrafficProfile:
        """Something of every kind on every tick (tests and demos)."""
        return cls(0.5, 0.3, 0.1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)


class _Counter:
    __slots__ = ("rates", "t", "values")

    def __init__(self, values: list[int], rates: Sequence[float], t: float) -> None:
        self.values = values
        self.rates = rates
        self.t = t


class CounterBank:
    """Cumulative counters per entity, advanced lazily by rate x elapsed simulated time.

    A counter never decreases, except when its owner "reboots" (`reset`): it then
    starts again from a small value, as a device's counters do.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._owners: dict[object, dict[object, _Counter]] = {}

    def read(
        self, owner: object, key: object, rates: Sequence[float], now: float, age: float
    ) -> list[int]:
        """The counters of (`owner`, `key`) at `now`; created as if running for `age` seconds.

        `rates` are mean increments per second. Counters with a rate of at least 1
        grow on every read that is later than the previous one.
        """
        counters = self._owners.setdefault(owner, {})
        counter = counters.get(key)
        rng = self._rng
        if counter is None:
            scale = rng.uniform(0.3, 2.0)
            entity_rates = [rate * scale for rate in rates]
            start = [int(rate * max(age, 0.0) * rng.uniform(0.8, 1.2)) for rate in entity_rates]
            counters[key] = _Counter(start, entity_rates, now)
            return list(start)
        elapsed = now - counter.t
        if elapsed > 0:
            counter.t = now
            values = counter.values
            spell = elapsed * (0.5 + rng.random())  # one burstiness factor per read
            for index, rate in enumerate(counter.rates):
                expected = rate * spell
                if expected >= 1:
                    values[index] += int(expected)
                elif rate >= 1 or rng.random() < expected:
                    values[index] += 1
        return list(counter.values)

    def reset(self, owner: object) -> None:
        self._owners.pop(owner, None)


def stable_fraction(*parts: object) -> float:
    """A number in [0, 1) that depends only on `parts` (per-entity baselines)."""
    return zlib.crc32(repr(parts).encode("utf-8")) / 2**32


class Subscriber(Protocol):
    def push(self, changes: Sequence[Change]) -> None: ...


_WIDS_KINDS: tuple[tuple[int, int | None], ...] = (
    (mon.WIDSEvent.INTERFERING, None),
    (mon.WIDSEvent.CLIENT_ATTACK, mon.WIDSEvent.SIGNATURE_DEAUTH_BROADCAST_STA),
    (mon.WIDSEvent.CLIENT_ATTACK, mon.WIDSEvent.DETECT_DISCONNECT_STA),
    (mon.WIDSEvent.INFRASTRUCTURE_ATTACK, mon.WIDSEvent.DETECT_AP_IMPERSONATION),
    (mon.WIDSEvent.INFRASTRUCTURE_ATTACK, mon.WIDSEvent.DETECT_AP_SPOOFING),
)


class World:
    def __init__(
        self,
        *,
        customer_id: str,
        estate: Estate,
        profile: TrafficProfile,
        clock: SimClock,
        interval: float,
        seed: str,
    ) -> None:
        self.customer_id = customer_id
        self.estate = estate
        self.profile = profile
        self.clock = clock
        self.interval = interval
        self.rng = random.Random(f"{seed}:world")
        self.counters = CounterBank(random.Random(f"{seed}:counters"))
        self.open_notifications: dict[str, str] = {}  # AP serial -> notification id
        self.ticks = 0
        self._subscribers: list[Subscriber] = []
        self._next_tick: float | None = None
        self._rogues_reported: set[bytes] = set()
        self._evicted: dict[str, list[Client]] = {}  # AP serial -> clients to re-associate

    # -- subscriptions -------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def publish(self, changes: Sequence[Change]) -> None:
        if changes:
            for subscriber in list(self._subscribers):
                subscriber.push(changes)

    # -- time ----------------------------------------------------------------------

    def maybe_tick(self, loop_time: float) -> bool:
        """Advance the world if a stats interval has passed since its last tick (event loop time).

        The first call only starts the schedule, so a fresh connection sees the
        snapshot before any change.
        """
        if self._next_tick is None:
            self._next_tick = loop_time + self.interval
            return False
        if loop_time + self.interval / 2 < self._next_tick:
            return False
        self._next_tick = max(self._next_tick + self.interval, loop_time + self.interval / 2)
        self.tick()
        return True

    def tick(self) -> None:
        """One round of random events, by the profile's probabilities."""
        self.ticks += 1
        rng = self.rng
        profile = self.profile
        now = self.clock.now()
        changes: list[Change] = []
        estate = self.estate
        for ap in [ap for ap in estate.aps if not ap.up]:
            if rng.random() < profile.ap_up:
                changes += self._ap_up(ap, now)
        for ap in list(estate.aps):
            if not ap.up:
                continue
            # Leaving is likelier on a crowded AP, so client counts hover around the scale's.
            crowding = len(ap.clients) / max(1, estate.scale.clients_per_ap)
            if ap.clients and rng.random() < min(1.0, profile.client_leave * crowding):
                mac = rng.choice(list(ap.clients))
                changes += self._leave(mac)
            if rng.random() < profile.client_join:
                client = estate.add_client(rng, now, ap)
                if client is not None:
                    changes.append(_client_change(client, mon.ADD))
            if rng.random() < profile.ap_down:
                changes += self._ap_down(ap, now)
        for site in estate.sites:
            if rng.random() < profile.wids:
                changes += self._wids(site)
            if rng.random() < profile.rogue:
                changes += self._rogue(site)
        self.publish(changes)

    # -- explicit events (CentralSimulator's event injection) ------------------------

    def join_client(self, ap_serial: str | None = None) -> Client | None:
        ap = self.estate.ap(ap_serial) if ap_serial is not None else None
        client = self.estate.add_client(self.rng, self.clock.now(), ap)
        if client is not None:
            self.publish([_client_change(client, mon.ADD)])
        return client

    def leave_client(self, mac: bytes) -> bool:
        changes = self._leave(mac)
        self.publish(changes)
        return bool(changes)

    def ap_down(self, serial: str) -> bool:
        ap = self.estate.ap(serial)
        if not ap.up:
            return False
        self.publish(self._ap_down(ap, self.clock.now()))
        return True

    def ap_up(self, serial: str) -> bool:
        ap = self.estate.ap(serial)
        if ap.up:
            return False
        self.publish(self._ap_up(ap, self.clock.now()))
        return True

    # -- event building ------------------------------------------------------------

    def _leave(self, mac: bytes) -> list[Change]:
        client = self.estate.remove_client(mac)
        if client is None:
            return []
        self.counters.reset(client.mac)
        return [_client_change(client, mon.DELETE)]

    def _ap_down(self, ap: AccessPoint, now: float) -> list[Change]:
        evicted = list(ap.clients.values())
        changes: list[Change] = [_client_change(c, mon.DELETE) for c in evicted]
        for client in evicted:
            self.estate.remove_client(client.mac)
            self.counters.reset(client.mac)
        self._evicted[ap.serial] = evicted
        ap.up = False
        for radio in ap.radios:
            radio.up = False
        changes.append(("aps", fill_ap, (ap, mon.UPDATE, False), {}))
        changes += [("radios", fill_radio, (ap, r, mon.UPDATE, False), {}) for r in ap.radios]
        if ap.uplink is not None:
            ap.uplink.up = False
            port = dataclasses.replace(ap.uplink)
            changes.append(("interfaces", fill_port, (port, mon.UPDATE, True), {}))
        notification_id = f"{self.rng.getrandbits(80):020x}"
        self.open_notifications[ap.serial] = notification_id
        changes.append(self._notification(ap, notification_id, now, mon.Notification.Open))
        return changes

    def _ap_up(self, ap: AccessPoint, now: float) -> list[Change]:
        ap.up = True
        ap.boot_time = now - self.rng.uniform(60, 180)  # it rebooted: counters start again
        self.counters.reset(ap.serial)
        changes: list[Change] = [("aps", fill_ap, (ap, mon.UPDATE, True), {})]
        for radio in ap.radios:
            radio.up = True
            changes.append(("radios", fill_radio, (ap, radio, mon.UPDATE, True), {}))
        if ap.uplink is not None:
            ap.uplink.up = True
            port = dataclasses.replace(ap.uplink)
            changes.append(("interfaces", fill_port, (port, mon.UPDATE, True), {}))
        notification_id = self.open_notifications.pop(ap.serial, None)
        if notification_id is not None:
            changes.append(self._notification(ap, notification_id, now, mon.Notification.Close))
        for client in self._evicted.pop(ap.serial, []):  # its clients associate again
            if self.estate.attach(client, now):
                changes.append(_client_change(client, mon.ADD))
        return changes

    def _notification(
        self, ap: AccessPoint, notification_id: str, now: float, state: int
    ) -> Change:
        opened = state == mon.Notification.Open
        description = (
            f"AP {ap.name} with serial {ap.serial} disconnected"
            if opened
            else f"AP {ap.name} with serial {ap.serial} is connected again"
        )
        kwargs = {
            "notification_id": notification_id,
            "kind": "AP_DISCONNECTED",
            "device_id": ap.serial,
            "severity": mon.Notification.Major,
            "timestamp": int(now),
            "state": state,
            "description": description,
            "extra": {"site": ap.site.name, "ap_name": ap.name, "group": "default"},
        }
        return ("notification", fill_notification, (), kwargs)

    def _detector(self, site: Site) -> AccessPoint | None:
        candidates = [ap for ap in site.aps if ap.up]
        return self.rng.choice(candidates) if candidates else None

    def _wids(self, site: Site) -> list[Change]:
        ap = self._detector(site)
        if ap is None or not site.rogues:
            return []
        rng = self.rng
        event_type, attack = rng.choice(_WIDS_KINDS)
        rogue = rng.choice(site.rogues)
        if event_type == mon.WIDSEvent.CLIENT_ATTACK and ap.clients:
            mac = rng.choice(list(ap.clients))
        else:
            mac = rogue.bssid
        kwargs = {
            "event_type": event_type,
            "attack_type": attack,
            "mac": mac,
            "detected_ap": ap.name,
            "channel": str(rogue.channel),
            "essid": rogue.ssid.encode("utf-8"),
        }
        return [("wids_events", fill_wids, (), kwargs)]

    def _rogue(self, site: Site) -> list[Change]:
        ap = self._detector(site)
        if ap is None or not site.rogues:
            return []
        rogue = self.rng.choice(site.rogues)
        action = mon.UPDATE if rogue.bssid in self._rogues_reported else mon.ADD
        self._rogues_reported.add(rogue.bssid)
        return [("rogue_events", fill_rogue, (rogue, ap, action), {})]


def _client_change(client: Client, action: mon.Action) -> Change:
    return ("wireless_clients", fill_wireless_client, (client, action), {})
