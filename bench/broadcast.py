"""Benchmark: one push to N Telegram ambassadors through the real app, against a fake Bot
API that enforces Telegram's 30 messages/s and answers 429 with retry_after above it.

    .venv/bin/python bench/broadcast.py            # 10,000 ambassadors (about six minutes)
    .venv/bin/python bench/broadcast.py --n 1000   # a quicker look

Target: all N delivered within 1.1 times the platform minimum (N / 30 s), no duplicates,
nobody lost, no 429 turned into a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from pydantic import SecretStr

from bot.config import Secrets, parse_config
from bot.root import Runtime
from flows.broadcasts import planning
from flows.model import AmbassadorState, Channel
from tests.fakes.telegram_api import FakeBotApi, RateLimit

GROUP = -1001234567890
FIRST_USER = 10_000_000
TEXT = "Husk at låse døre og vinduer, også når du kun er kort væk. Hilsen politiet."
PLATFORM_RATE = 30.0


def config(fake: FakeBotApi, db: Path, rate: float | None) -> str:
    rate_line = f"messages_per_second = {rate}" if rate else ""
    return f"""
[telegram]
base_url = "{fake.base_url}"
base_file_url = "{fake.base_file_url}"
officers_chat_id = {GROUP}
officer_threads = "topics"
poll_timeout = 1
{rate_line}
[web]
port = 0
[storage]
path = "{db}"
[broadcasts]
quiet_hours = ""
[[areas]]
id = "herning"
name = "Herning"
[[officers]]
id = "mj"
name = "Mette Jensen"
telegram_user_id = 222222222
areas = ["herning"]
"""


async def seed(app: Runtime, n: int) -> None:
    assert app.db is not None
    now = app.clock.now()
    async with app.db.transaction() as tx:
        for i in range(n):
            await tx.ambassadors.create(
                channel=Channel.TELEGRAM,
                address=str(FIRST_USER + i),
                name=f"Ambassadør {i}",
                area_id="herning",
                officer_id="mj",
                state=AmbassadorState.ACTIVE,
                language="da",
                now=now,
            )


async def run(n: int, rate: float | None) -> dict[str, object]:
    async with FakeBotApi(max_poll_timeout=1.0) as fake:
        fake.add_group(GROUP, "Betjente", is_forum=True)
        fake.rate_limit = RateLimit(per_second=int(PLATFORM_RATE))
        for i in range(n):
            fake.add_private_user(FIRST_USER + i, f"A{i}", "Holm")
        with tempfile.TemporaryDirectory() as tmp:
            cfg = parse_config(config(fake, Path(tmp) / "bench.sqlite3", rate), "bench")
            app = Runtime(cfg, Secrets(telegram_bot_token=SecretStr(fake.token)))
            await app.start()
            try:
                await seed(app, n)
                assert app.db is not None and app.ctx is not None
                start = time.monotonic()
                loop_start = asyncio.get_running_loop().time()
                async with app.db.transaction() as tx:
                    plan = planning.make_plan(app.ctx, text=TEXT)
                    bid = await planning.create(app.ctx, tx, plan, "bench")

                def pushes() -> list[int]:
                    return [
                        int(m["chat"]["id"])
                        for m in fake.sent_messages()
                        if TEXT in str(m.get("text", ""))
                    ]

                last_report = 0.0
                while len(set(pushes())) < n:
                    await asyncio.sleep(0.5)
                    elapsed = time.monotonic() - start
                    if elapsed - last_report >= 30:
                        last_report = elapsed
                        print(f"  {elapsed:6.0f} s: {len(pushes())} sent", flush=True)
                    if elapsed > n / PLATFORM_RATE * 3 + 60:
                        break
                sent_calls = [
                    c
                    for c in fake.calls_of("sendMessage")
                    if c.ok and TEXT in str(c.params.get("text", ""))
                ]
                last_at = max((c.finished or c.time for c in sent_calls), default=loop_start)
                elapsed = last_at - loop_start
                async with asyncio.timeout(60):
                    while True:
                        async with app.db.read() as tx:
                            counts = await tx.broadcasts.counts(bid)
                        if counts["queued"] == 0:
                            break
                        await asyncio.sleep(0.2)
            finally:
                await app.stop()
        got = Counter(pushes())
        status = Counter(c.status for c in fake.calls_of("sendMessage"))
    minimum = n / PLATFORM_RATE
    return {
        "ambassadors": n,
        "rate_setting": cfg.telegram.messages_per_second,
        "seconds": round(elapsed, 1),
        "platform_minimum_seconds": round(minimum, 1),
        "ratio_to_minimum": round(elapsed / minimum, 3),
        "messages_per_second": round(n / elapsed, 2) if elapsed else None,
        "http_429": status.get(429, 0),
        "duplicates": sum(v - 1 for v in got.values() if v > 1),
        "lost": n - len(got),
        "delivery_rows": counts,
        "within_target": elapsed <= 1.1 * minimum,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="ambassadors (default 10000)")
    parser.add_argument("--rate", type=float, help="[telegram] messages_per_second to use")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bot.outbox").setLevel(logging.ERROR)
    print(f"pushing to {args.n} ambassadors (platform minimum {args.n / PLATFORM_RATE:.0f} s)")
    result = asyncio.run(run(args.n, args.rate))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>26}: {value}")
    ok = result["within_target"] and not result["duplicates"] and not result["lost"]
    ok = ok and not result["delivery_rows"]["failed"]  # type: ignore[index]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
