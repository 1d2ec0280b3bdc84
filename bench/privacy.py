"""How long data protection holds the database, on a district-sized file.

Run: .venv/bin/python bench/privacy.py [--ambassadors 1000] [--messages 60] [--audit 200000]

Fills a fresh SQLite file as a district looks after a year with the default retention:
every ambassador's messages both ways, a month of inbox and outbox rows, three years of
audit entries. Then times, on the real repositories and flows: one export, one erasure (the
transaction every other writer waits for, and the checkpoint after it), and the daily purge
a year later. Prints the file size and each duration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import parse_config
from bot.privacy import RetentionJob
from bot.root import build_context
from flows import privacy
from storage.db import Database
from storage.timefmt import to_db

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CONFIG = """
[telegram]
officers_chat_id = -100
[[areas]]
id = "herning"
name = "Herning"
[[officers]]
id = "mj"
name = "Mette Jensen"
telegram_user_id = 1
areas = ["herning"]
"""


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def fill(db: Database, ambassadors: int, messages: int, audit: int) -> None:
    text = "Der har holdt en varevogn uden nummerplader ved skolen tre aftener i træk. " * 2
    async with db.transaction() as tx:
        c = tx.privacy
        for a in range(1, ambassadors + 1):
            chat = 7_000_000_000 + a
            await c._exec(
                "INSERT INTO ambassadors (id, channel, address, name, area_id, officer_id, state,"
                " language, agreement_version, accepted_at, created_at, updated_at)"
                " VALUES (?, 'telegram', ?, ?, 'herning', 'mj', 'active', 'da', '2026-2', ?, ?, ?)",
                (a, str(chat), f"Ambassadør {a}", to_db(START), to_db(START), to_db(START)),
            )
            await c._exec(
                "INSERT INTO officer_threads VALUES (?, -100, ?, ?)", (a, 10_000 + a, to_db(START))
            )
            for m in range(messages):
                at = to_db(START + timedelta(days=m * 365 / messages, minutes=a))
                direction = "in" if m % 2 == 0 else "out"
                mid = await c._insert(
                    "INSERT INTO messages (ambassador_id, direction, channel, text, route, status,"
                    " platform_id, created_at, updated_at)"
                    " VALUES (?, ?, 'telegram', ?, 'officer', 'sent', ?, ?, ?)",
                    (a, direction, f"{text} ({a}/{m})", f"tg:{chat}:{m}", at, at),
                )
                await c._exec(
                    "INSERT INTO group_messages VALUES (-100, ?, ?, ?)", (a * 1000 + m, a, mid)
                )
                if m >= messages - max(1, messages // 12):  # the last month: queues
                    payload = json.dumps(
                        {"channel": "telegram", "address": str(chat), "text": text,
                         "ambassador_id": a, "thread_id": 10_000 + a}, ensure_ascii=False
                    )  # fmt: skip
                    await c._exec(
                        "INSERT INTO inbox (dedupe_key, kind, payload, status, received_at)"
                        " VALUES (?, 'ambassador', ?, 'handled', ?)",
                        (f"tg:{chat}:{m}", payload, at),
                    )
                    for lane in ("ambassador", "officers"):
                        await c._exec(
                            "INSERT INTO outbox (lane, channel, address, priority, kind, payload,"
                            " status, next_attempt_at, created_at, done_at)"
                            " VALUES (?, 'telegram', ?, 20, 'relay', ?, 'sent', ?, ?, ?)",
                            (lane, str(chat) if lane == "ambassador" else "", payload, at, at, at),
                        )
        for n in range(audit):
            at = to_db(START - timedelta(days=730) + timedelta(minutes=n * 5))
            await c._exec(
                "INSERT INTO audit (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)",
                (at, "officer:mj", "reply.queued", f"ambassador:{n % ambassadors + 1}", "{}"),
            )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ambassadors", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=60, help="per ambassador, both ways")
    parser.add_argument("--audit", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "district.sqlite3"
        db = await Database.open(path)
        clock = Clock(START + timedelta(days=365))
        ctx = build_context(parse_config(CONFIG, "bench"), clock)
        began = time.perf_counter()
        await fill(db, args.ambassadors, args.messages, args.audit)
        await db.checkpoint()
        size = path.stat().st_size
        print(f"filled in {time.perf_counter() - began:.1f}s: {size / 2**20:.1f} MiB,"
              f" {args.ambassadors} ambassadors, {args.ambassadors * args.messages} messages,"
              f" {args.audit} audit entries")  # fmt: skip

        target = args.ambassadors // 2
        async with db.read() as tx:
            amb = await tx.ambassadors.get(target)
            assert amb is not None
            t0 = time.perf_counter()
            data = await privacy.export(ctx, tx, amb)
            t1 = time.perf_counter()
        print(f"export of one ambassador: {(t1 - t0) * 1000:.0f} ms"
              f" ({len(json.dumps(data, default=str)) / 1024:.0f} KiB of JSON)")  # fmt: skip
        t0 = time.perf_counter()
        async with db.transaction() as tx:
            done = await privacy.erase(ctx, tx, amb, by="bench")
        t1 = time.perf_counter()
        await db.checkpoint()
        t2 = time.perf_counter()
        print(f"erasure of one ambassador: {(t1 - t0) * 1000:.0f} ms in its transaction"
              f" (other writers wait), checkpoint {(t2 - t1) * 1000:.0f} ms;"
              f" rows {sum(done.counts.values())}")  # fmt: skip

        clock.at = START + timedelta(days=2 * 365)
        keep, now = ctx.settings.retention, clock.at
        longest, batches, t0 = 0.0, 0, time.perf_counter()
        while True:  # as RetentionJob.run_once does it, timing each transaction
            b0 = time.perf_counter()
            async with db.transaction() as tx:
                counts = await tx.privacy.purge(
                    messages=now - timedelta(days=keep.message_texts),
                    inbox=now - timedelta(days=keep.inbox),
                    outbox=now - timedelta(days=keep.outbox),
                    strangers=now - timedelta(days=keep.strangers),
                    audit=now - timedelta(days=keep.audit),
                )
            longest, batches = max(longest, time.perf_counter() - b0), batches + 1
            if not any(counts.values()):
                break
        await db.checkpoint()
        total = time.perf_counter() - t0
        print(
            f"purge of a year's backlog: {total * 1000:.0f} ms in {batches} transactions,"
            f" the longest {longest * 1000:.0f} ms (other writers wait that long at most)"
        )
        t0 = time.perf_counter()
        await RetentionJob(db, ctx).run_once()
        print(f"the next day's purge (nothing due): {(time.perf_counter() - t0) * 1000:.0f} ms")
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
