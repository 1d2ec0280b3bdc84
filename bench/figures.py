"""How long the figures and their chart take for a busy programme: 300 ambassadors in two
areas, 20,000 messages over eight weeks (a fifth answered), 5,000 pulse answers.

    .venv/bin/python bench/figures.py
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.charts import draw
from bot.config import parse_config
from bot.root import build_context
from flows.figures import default_period
from flows.model import AmbassadorState, Channel
from flows.onboarding import agreement_version
from flows.reporting import collect
from storage.db import Database
from storage.timefmt import to_db
from tests.conftest import config_text


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 11, 27, 12, tzinfo=UTC)


async def main() -> None:
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp())
    cfg = parse_config(config_text("http://x/bot", "http://x/f", folder / "b.sqlite3"), "bench")
    ctx = build_context(cfg, Clock())
    db = await Database.open(cfg.storage.path)
    start = Clock().now() - timedelta(weeks=8)
    async with db.read() as tx:  # pulse answers below stand without their pushes
        await tx.pulses._exec("PRAGMA foreign_keys = OFF")
    async with db.transaction() as tx:
        ids = []
        for n in range(300):
            amb = await tx.ambassadors.create(
                channel=Channel.TELEGRAM, address=str(n), name=f"A{n}",
                area_id="herning" if n % 2 else "ikast", officer_id="mj",
                state=AmbassadorState.INVITED, language="da", now=start,
            )  # fmt: skip
            await tx.ambassadors.accept(amb.id, agreement_version(ctx), start)
            ids.append(amb.id)
        for _ in range(20_000):
            at = start + timedelta(minutes=rng.randrange(8 * 7 * 24 * 60))
            mid = await tx.messages.add(
                ambassador_id=rng.choice(ids), direction="in", channel=Channel.TELEGRAM,
                text="x", status="received", now=at,
                route=rng.choice(("acute", "report", "officer", "officer")),
            )  # fmt: skip
            if rng.random() < 0.2:
                answered = at + timedelta(hours=rng.randrange(1, 72))
                await tx.messages._exec(
                    "UPDATE messages SET answered_at = ? WHERE id = ?", (to_db(answered), mid)
                )
        for n in range(5000):
            await tx.pulses._exec(
                "INSERT INTO pulse_answers VALUES (?, 1, ?, ?, ?, ?)",
                (n + 1, rng.choice(ids), rng.choice(("herning", "ikast")), rng.randint(1, 5),
                 to_db(start + timedelta(minutes=rng.randrange(8 * 7 * 24 * 60)))),
            )  # fmt: skip
    period = default_period(Clock().now())
    try:
        t0 = time.perf_counter()
        async with db.read() as tx:
            figures = await collect(ctx, tx, period)
        t1 = time.perf_counter()
        png = draw(figures, ctx, "bench")
        t2 = time.perf_counter()
        png = draw(figures, ctx, "bench")
        t3 = time.perf_counter()
    finally:
        await db.close()
    total = figures.to_json()["totals"]
    print(f"messages counted: {total['messages_in']}, answered: {total['answered']}")
    print(f"figures (queries + office-hours medians): {(t1 - t0) * 1000:.0f} ms")
    first, again = (t2 - t1) * 1000, (t3 - t2) * 1000
    print(f"chart, first (imports matplotlib): {first:.0f} ms; again: {again:.0f} ms")
    print(f"chart size: {len(png) // 1024} KiB")


if __name__ == "__main__":
    asyncio.run(main())
