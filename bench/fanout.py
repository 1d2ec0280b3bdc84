"""Benchmark: push fan-out time for 5,000 and 40,000 recipients, and their ratio.

    .venv/bin/python bench/fanout.py                        # 5,000 and 40,000, 3 runs each
    .venv/bin/python bench/fanout.py --sizes 2000 8000 --repeat 1   # a quicker look

Fan-out time is from the push being due until every recipient has a queued outbox item (not
until it is sent). Each run: the bot (`tryghedsbot run`, a subprocess against the fake Bot
API) creates its database and stops; the ambassadors are seeded into it with plain SQL
(onboarding tens of thousands through the bot would take hours; see `seed_ambassadors`);
the bot starts again, and `tryghedsbot broadcast create --text …` (no `--at`: now) plans
the push while it runs. The push's due time comes from `tryghedsbot broadcast status --json`;
when each recipient's item was queued only the database can tell, so the `outbox` table is
read read-only (`kind = 'push'` rows and their `created_at`). The bot picks up plans made
on the command line at its next sweep (within seconds), so the figures also show that
pick-up and the fan-out proper (first to last item queued).
Target: 40k at most 10 × the time for 5k.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    AREA,
    OFFICER_ID,
    BotProcess,
    config_text,
    fmt_s,
    free_port,
    load_average,
    median,
    run_cli,
    setup_world,
    table,
)
from tests.fakes.telegram_api import FakeBotApi

FIRST_USER = 60_000_000
TEXT = "Husk at låse døre og vinduer, også når du kun er kort væk. Hilsen politiet."
#: The partnership agreement's version that seeded ambassadors have accepted: the
#: current one (flows/locales/da.toml, [agreement] version), or the bot would hold
#: their messages until they accept it again.
AGREEMENT_VERSION = tomllib.loads(
    (Path(__file__).resolve().parent.parent / "flows/locales/da.toml").read_text("utf-8")
)["agreement"]["version"]


def seed_ambassadors(db: Path, n: int, first_user: int = FIRST_USER) -> None:
    """`n` active Telegram ambassadors, inserted with plain SQL into a database the bot
    created. The columns are those of storage/migrations/0001_initial.sql (times ISO 8601
    in UTC); if the schema changes, this is the one place to adapt."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    rows = [
        (
            "telegram",  # channel
            str(first_user + i),  # address: the Telegram chat id
            f"Ambassadør {i:05d}",  # name
            AREA,  # area_id
            OFFICER_ID,  # officer_id
            "active",  # state
            "da",  # language
            AGREEMENT_VERSION,  # agreement_version
            now,  # accepted_at
            now,  # created_at
            now,  # updated_at
        )
        for i in range(n)
    ]
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO ambassadors (channel, address, name, area_id, officer_id, state,"
                " language, agreement_version, accepted_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    finally:
        conn.close()


def queued_pushes(db: Path) -> tuple[int, str | None, str | None]:
    """(push items in the outbox, first and last created_at), read-only: every push item,
    whatever its status, since the senders start on them at once."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM outbox WHERE kind = 'push'"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), row[1], row[2]


@dataclass
class Run:
    size: int
    total: float  # due → every recipient queued
    pickup: float  # due → first queued
    fanout: float  # first → last queued


def _ts(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


async def one_run(size: int, k: int, work: Path, limit: float) -> Run:
    run_dir = work / f"{size}-{k}"
    run_dir.mkdir(parents=True, exist_ok=True)
    db = run_dir / "bot.sqlite3"
    async with FakeBotApi(max_poll_timeout=1.0) as fake:
        setup_world(fake)
        for i in range(size):
            fake.add_private_user(FIRST_USER + i, f"A{i}", "Holm")
        port = free_port()
        config = run_dir / "bot.toml"
        config.write_text(config_text(fake, db, port), encoding="utf-8")
        bot = BotProcess(config, fake.token, port, run_dir / "bot.log")
        try:
            await bot.start()  # creates the database
            await bot.stop()
            await asyncio.to_thread(seed_ambassadors, db, size)
            await bot.start()
            code, out = await run_cli(
                ["broadcast", "create", "--config", str(config), "--text", TEXT, "--json"],
                fake.token,
            )
            if code != 0:
                raise RuntimeError(f"broadcast create exited {code}: {out[-300:]}")
            created = json.loads(out[out.index("{") :])
            bid = created["id"]
            deadline = time.monotonic() + limit
            count, first, last = 0, None, None
            while time.monotonic() < deadline:
                count, first, last = await asyncio.to_thread(queued_pushes, db)
                if count >= size:
                    break
                await asyncio.sleep(0.2)  # only the database can tell
            if count < size or first is None or last is None:
                raise TimeoutError(f"{count} of {size} queued after {limit:.0f} s")
            code, out = await run_cli(
                ["broadcast", "status", "--config", str(config), str(bid), "--json"], fake.token
            )
            status = json.loads(out[out.index("{") :]) if code == 0 else {}
            occurrences = status.get("occurrences") or []
            due_text = occurrences[0]["due_at"] if occurrences else created["preview"]["goes_out"]
        finally:
            await bot.close()
    due = _ts(due_text)
    return Run(size, _ts(last) - due, _ts(first) - due, _ts(last) - _ts(first))


async def bench(args: argparse.Namespace, work: Path) -> int:
    runs: list[Run] = []
    for size in args.sizes:
        for k in range(1, args.repeat + 1):
            try:
                run = await one_run(size, k, work, args.limit)
            except (TimeoutError, RuntimeError) as exc:
                print(f"{size:>6} recipients, run {k}: FAILED: {exc}", flush=True)
                return 1
            runs.append(run)
            print(
                f"{size:>6} recipients, run {k}: due → all queued {fmt_s(run.total)} "
                f"(pick-up {fmt_s(run.pickup)}, fan-out {fmt_s(run.fanout)}; "
                f"load {load_average()})",
                flush=True,
            )
    meds: dict[int, dict[str, float]] = {}
    rows = []
    for size in args.sizes:
        mine = [r for r in runs if r.size == size]
        meds[size] = {
            "total": median(r.total for r in mine) or 0.0,
            "pickup": median(r.pickup for r in mine) or 0.0,
            "fanout": median(r.fanout for r in mine) or 0.0,
        }
        m = meds[size]
        rows.append(
            [
                size,
                fmt_s(m["total"]),
                fmt_s(m["pickup"]),
                fmt_s(m["fanout"]),
                f"{size / m['total']:.0f}" if m["total"] else "-",
            ]
        )
    print()
    print(f"medians of {args.repeat} run(s):")
    print(
        table(
            rows,
            ["recipients", "due → all queued", "pick-up", "fan-out", "recipients/s (total)"],
        )
    )
    small, large = min(args.sizes), max(args.sizes)
    if small == large:
        return 0
    ratio = meds[large]["total"] / meds[small]["total"] if meds[small]["total"] else 0.0
    proper = meds[large]["fanout"] / meds[small]["fanout"] if meds[small]["fanout"] else 0.0
    scale = large / small
    print(
        f"ratio {large}/{small}: due → all queued {ratio:.2f}x, fan-out proper {proper:.2f}x "
        f"(recipients {scale:.0f}x)"
    )
    bound = 10.0 * scale / 8.0  # 10x for 40k/5k
    ok = ratio <= bound
    print(f"target: at most {bound:.0f}x: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 40000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument(
        "--limit", type=float, default=1200.0, help="give up on one run after this many seconds"
    )
    parser.add_argument("--workdir", type=Path, help="keep databases and logs here")
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(bench(args, args.workdir))
    with tempfile.TemporaryDirectory(prefix="tryghedsbot-fanout-") as work:
        return asyncio.run(bench(args, Path(work)))


if __name__ == "__main__":
    raise SystemExit(main())
