"""`demo` and `status --watch` in a real terminal (tmux), read as a person reads them:
the subscription count, device names, an event line, radio bands in words; redrawn in
place (nothing scrolls), and stopped with Ctrl-C."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

from tests.cli_support import CLI, bridge_on_simulator, until
from tests.terminal_support import Terminal

ROOT = Path(__file__).resolve().parents[1]


def _has(*patterns: str) -> Callable[[str], bool]:
    """The screen shows every pattern (each matched against the lines)."""
    return lambda screen: all(re.search(p, screen, re.MULTILINE) for p in patterns)


async def test_demo_live_summary_as_a_person_sees_it() -> None:
    demo = (*CLI, "demo", "--export-interval", "1s", "--stats-interval", "0.5s")
    async with Terminal(demo, name="demo") as term:
        screen = await term.wait_for(
            _has(
                r"^SUBSCRIPTIONS  14/14 connected",
                r"^metrics\s+\d+ points\s",
                r"BUSIEST APS\s+CLIENTS\s+CHANNEL UTIL",
            ),
            what="the summary with an export",
        )
        # The header says where /status is, for `central-otel status --url`.
        assert re.match(r"central-otel demo  up \S+  /status http://127\.0\.0\.1:\d+  ", screen)
        lines = screen.splitlines()
        subs = lines.index(next(x for x in lines if x.startswith("SUBSCRIPTIONS")))
        # Both platforms' subscriptions, each row naming its customer.
        topics = [line.split()[:3] for line in lines[subs + 2 : subs + 16]]
        assert topics == [
            ["demo", "monitoring", "connected"],
            ["demo", "presence", "connected"],
            ["demo", "security", "connected"],
            ["demo", "location", "connected"],
            ["demo", "apprf", "connected"],
            ["demo", "audit", "connected"],
            ["demo-nc", "ap-events", "connected"],
            ["demo-nc", "clients-events", "connected"],
            ["demo-nc", "switch-events", "connected"],
            ["demo-nc", "alert-events", "connected"],
            ["demo-nc", "audit-trail-events", "connected"],
            ["demo-nc", "location", "connected"],
            ["demo-nc", "rssi-events", "connected"],
            ["demo-nc", "geofence", "connected"],
        ]
        assert re.search(r"DEVICES\s+UP\s+DOWN", screen)
        assert re.search(r"\sap\s+\d\s+\d$", screen, re.MULTILINE)
        # Clients by SSID under the bands, in words, and the busiest APs by name.
        header = next(x for x in lines if x.startswith("CLIENTS (SSID)"))
        bands = re.findall(r"\d(?:\.\d)?GHz", header.split("TOTAL")[0])
        assert bands, header
        assert bands == [b for b in ("2.4GHz", "5GHz", "6GHz") if b in bands]
        assert re.search(r"hq-ap-0\d\s+\d+\s+\d+% (2\.4|5|6)GHz", screen), screen
        # Device context from the simulator's REST API: the sites, and each AP's.
        assert re.search(r"^SITES\s+DEVICES\s+DOWN$", screen, re.MULTILINE), screen
        assert re.search(r"^demo/HQ\s+6\s+\d$", screen, re.MULTILINE), screen
        assert re.search(r"hq-ap-0\d\s+\d+\s+\d+% (2\.4|5|6)GHz\s+HQ$", screen, re.MULTILINE)
        # Event lines naming the estate's devices (the simulator's opening detections,
        # then alerts and devices going down and up).
        assert re.search(
            r"^\d\d:\d\d:\d\d (INFO |WARN |ERROR|FATAL) aruba\.[a-z_.]+: .*hq-(ap|sw|gw)-\d\d",
            screen,
            re.MULTILINE,
        ), screen
        assert re.search(r"^EVENTS  \d+ since start: \d+ aruba\.", screen, re.MULTILINE)

        # The README's capture is this view: the same section and column headings.
        readme = " ".join((ROOT / "README.md").read_text().split())
        for heading in (
            "SUBSCRIPTIONS 14/14 connected DEVICES UP DOWN",
            "CUSTOMER TOPIC STATE FRAMES LAST FRAME RECONNECTS",
            "BUSIEST APS CLIENTS CHANNEL UTIL",
            "LAST EXPORT ITEMS TOOK WHEN OK FAILED LOST",
        ):
            assert heading in " ".join(screen.split()), heading
            assert heading in readme, heading

        # Redrawn in place: a few refreshes later nothing has scrolled.
        await asyncio.sleep(2.5)
        assert await term.scrolled_off() == 0

        await term.keys("C-c")
        assert await term.exit_status() == 0
        final = await term.screen()
        assert re.search(r"^SUBSCRIPTIONS  0/14 connected", final, re.MULTILINE), final
        assert "Traceback" not in final


async def test_status_watch_follows_a_bridge_through_an_outage() -> None:
    async with bridge_on_simulator(seed=7) as running:
        await until(running.ready)
        watch = (*CLI, "status", "--url", running.url, "--watch", "--interval", "0.3s")
        async with Terminal(watch, width=140, height=30, name="status") as term:
            screen = await term.wait_for(
                _has(r"^READY  2/2 subscriptions connected", r"^healthy$"),
                what="a healthy bridge",
            )
            assert re.search(r"^\d\d:\d\d:\d\d  every 0\.3s  Ctrl-C to stop$", screen, re.M)
            assert re.search(r"^CustomerA\s+monitoring\s+connected\s", screen, re.MULTILINE)
            assert re.search(r"^CustomerA\s+audit\s+connected\s", screen, re.MULTILINE)
            fingerprint = running.bridge.streamer.keys["CustomerA"].fingerprint
            assert re.search(rf"^CustomerA\s+{fingerprint}\s+\S+ ago\s+valid\s", screen, re.M)
            assert running.key not in screen

            await running.sim.stop()  # Central goes away
            screen = await term.wait_for(
                _has(r"^NOT READY  0/2 subscriptions connected", r"^UNHEALTHY: \d problem"),
                what="the outage",
            )
            assert re.search(r"^  - subscription CustomerA/monitoring is waiting", screen, re.M)
            assert await term.scrolled_off() == 0  # refreshed in place

            await term.keys("C-c")
            assert await term.exit_status() == 1  # the last refresh was unhealthy
