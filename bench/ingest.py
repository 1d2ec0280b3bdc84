"""Benchmark: inbound handling rate of the bot side by side with a naive relay, on the same
fake Bot API (no rate limits), each fed the same N updates at once.

    .venv/bin/python bench/ingest.py           # 3,000 updates, 1,000 ambassadors, 3 runs each
    .venv/bin/python bench/ingest.py --n 1000 --ambassadors 200 --repeat 1   # a quicker look

The naive relay is written here: a python-telegram-bot `Application` polling the fake that
forwards each private text message to the officers' group and does nothing else. Its rate is
forwarded messages per second. The bot (`tryghedsbot run`, a subprocess) gets the same
updates from ambassadors it has onboarded (onboarding is set-up, not measured; the database
is copied after it so every run starts alike); its rate is arrivals fully handled per second:
received, classified, stored and the answers and relays written to the outbox. Only the
SQLite file can tell when that is done: it is read read-only (`inbox.status = 'handled'` and
`handled_at`). Both run as subprocesses; CPU seconds come from /proc/<pid>/stat over the
measured stretch, resident memory "at rest" from /proc/<pid>/status after start-up, before
the updates come. Target: the bot at least 1.0 × the naive relay's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ACUTE_TEXTS,
    GROUP,
    OFFICER_TEXTS,
    REPORT_TEXTS,
    ROOT,
    BotProcess,
    Recorder,
    config_text,
    cpu_seconds,
    db_counts,
    free_port,
    load_average,
    median,
    onboard,
    people,
    rss_mib,
    setup_world,
    table,
    tagged,
    wait_quiet,
)
from tests.fakes.telegram_api import FakeBotApi

FIRST_USER = 50_000_000
THIS_FILE = Path(__file__).resolve()


@dataclass
class Run:
    who: str
    seconds: float
    rate: float
    cpu_ms_per_message: float
    rss_mib: float
    fake_cpu_share: float = 0.0  # CPU of this process (the fake Bot API) / wall time


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def updates_plan(n: int, users: list[int], seed: int) -> list[tuple[int, str]]:
    """(user, text): a tenth acute, a quarter reports, the rest questions and news."""
    rng = random.Random(seed)
    plan = []
    for i in range(n):
        roll = rng.random()
        pool = ACUTE_TEXTS if roll < 0.1 else REPORT_TEXTS if roll < 0.35 else OFFICER_TEXTS
        plan.append((rng.choice(users), tagged(rng.choice(pool), "m", i + 1)))
    return plan


def feed(fake: FakeBotApi, plan: list[tuple[int, str]]) -> None:
    for user, text in plan:
        fake.push_update(fake.make_private_message(user, text))


def handled_since(db: Path, after_id: int) -> tuple[int, str | None]:
    """How many arrivals after `after_id` are handled, and the last handled_at (read-only:
    only the bot's database knows when an arrival is fully handled)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT COUNT(*), MAX(handled_at) FROM inbox WHERE id > ? AND status = 'handled'",
            (after_id,),
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), row[1]


def last_inbox_id(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM inbox").fetchone()[0])
    finally:
        conn.close()


async def polling_since(fake: FakeBotApi, rec: Recorder, since: float, timeout: float) -> None:
    """Wait until a long poll that began after `since` has finished: the client is polling."""
    ok = await rec.wait(
        lambda: any(c.method == "getUpdates" and c.time >= since for c in fake.calls[-20:]),
        timeout,
    )
    if not ok:
        raise TimeoutError("the client never polled for updates")


async def settled(fake: FakeBotApi, rec: Recorder, db: Path) -> None:
    """Nothing left from before: no update waiting at the fake, no arrival waiting in the
    bot's inbox (read-only), so the count after the feed is the feed's alone."""
    await rec.wait(lambda: not fake.pending_updates, 30)
    for _ in range(300):
        counts = await db_counts(db, "inbox")
        if counts is not None and not counts.get("received"):
            return
        await asyncio.sleep(0.1)  # only the database can tell


async def run_bot(
    fake: FakeBotApi, rec: Recorder, work: Path, snapshot: Path, plan: list[tuple[int, str]], k: int
) -> Run:
    db = work / f"run{k}.sqlite3"
    shutil.copyfile(snapshot, db)
    port = free_port()
    config = work / f"run{k}.toml"
    config.write_text(config_text(fake, db, port), encoding="utf-8")
    bot = BotProcess(config, fake.token, port, work / f"run{k}.log")
    try:
        await bot.start()
        await polling_since(fake, rec, bot.started_at, 30)
        await settled(fake, rec, db)
        rss = bot.rss_mib()
        start_id = await asyncio.to_thread(last_inbox_id, db)
        cpu0 = bot.cpu_seconds()
        fake0 = own_cpu()
        wall0 = time.time()
        feed(fake, plan)
        n = len(plan)
        deadline = time.monotonic() + 60 + n / 5
        done, last = 0, None
        while time.monotonic() < deadline:
            done, last = await asyncio.to_thread(handled_since, db, start_id)
            if done >= n:
                break
            await asyncio.sleep(0.1)  # only the database can tell: look ten times a second
        cpu = bot.cpu_seconds() - cpu0
        fake_cpu = own_cpu() - fake0
        if done < n or last is None:
            raise TimeoutError(f"the bot handled {done} of {n} arrivals in time")
        seconds = datetime.fromisoformat(last).timestamp() - wall0
    finally:
        await bot.close()
    return Run("bot", seconds, n / seconds, cpu / n * 1000, rss, fake_cpu / seconds)


async def run_naive(
    fake: FakeBotApi, rec: Recorder, work: Path, plan: list[tuple[int, str]], k: int
) -> Run:
    loop = asyncio.get_running_loop()
    log = (work / f"naive{k}.log").open("w", encoding="utf-8")
    env = dict(os.environ, PTB_TIMEDELTA="true")
    started = loop.time()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(THIS_FILE),
        "--naive-relay",
        fake.base_url,
        fake.token,
        str(GROUP),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await polling_since(fake, rec, started, 60)
        await rec.wait(lambda: not fake.pending_updates, 30)
        rss = rss_mib(proc.pid)
        cpu0 = cpu_seconds(proc.pid)
        fake0 = own_cpu()
        rec.update()
        before = len(rec.by_chat[GROUP])
        t0 = loop.time()
        feed(fake, plan)
        n = len(plan)

        def forwarded() -> int:
            return len(rec.by_chat[GROUP]) - before

        if not await rec.wait(lambda: forwarded() >= n, 60 + n / 5):
            raise TimeoutError(f"the naive relay forwarded {forwarded()} of {n} in time")
        cpu = cpu_seconds(proc.pid) - cpu0
        fake_cpu = own_cpu() - fake0
        seconds = rec.by_chat[GROUP][before + n - 1].t - t0
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                async with asyncio.timeout(15):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()
    return Run("naive relay", seconds, n / seconds, cpu / n * 1000, rss, fake_cpu / seconds)


async def prepare(fake: FakeBotApi, rec: Recorder, work: Path, ambassadors: int) -> Path:
    """The bot's database with `ambassadors` onboarded through the bot, stopped cleanly."""
    db = work / "onboarded.sqlite3"
    port = free_port()
    config = work / "onboarding.toml"
    config.write_text(config_text(fake, db, port), encoding="utf-8")
    bot = BotProcess(config, fake.token, port, work / "onboarding.log")
    try:
        await bot.start()
        t = time.monotonic()
        await onboard(fake, rec, people(FIRST_USER, ambassadors), timeout=600)
        print(f"onboarded {ambassadors} ambassadors in {time.monotonic() - t:.0f} s", flush=True)
        loop = asyncio.get_running_loop()
        if not await wait_quiet(fake, db, loop.time() + 240):
            print(f"(the onboarding bot was not quiet yet: outbox {await db_counts(db, 'outbox')})")
    finally:
        await bot.close()
    snapshot = work / "snapshot.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(db)) as src,
        contextlib.closing(sqlite3.connect(snapshot)) as dst,
    ):
        src.backup(dst)
    return snapshot


async def bench(args: argparse.Namespace, work: Path) -> int:
    async with FakeBotApi(max_poll_timeout=1.0) as fake:
        setup_world(fake)
        rec = Recorder(fake)
        snapshot = await prepare(fake, rec, work, args.ambassadors)
        users = [FIRST_USER + i for i in range(args.ambassadors)]
        plan = updates_plan(args.n, users, args.seed)
        runs: list[Run] = []
        for k in range(1, args.repeat + 1):
            for who in ("bot", "naive") if k % 2 else ("naive", "bot"):
                if who == "bot":
                    run = await run_bot(fake, rec, work, snapshot, plan, k)
                else:
                    run = await run_naive(fake, rec, work, plan, k)
                runs.append(run)
                print(
                    f"run {k} {run.who:<12} {run.rate:8.1f} messages/s  "
                    f"{run.seconds:6.2f} s  CPU {run.cpu_ms_per_message:6.2f} ms/message  "
                    f"RSS at rest {run.rss_mib:5.1f} MiB  (fake Bot API busy "
                    f"{run.fake_cpu_share:.0%}; load {load_average()})",
                    flush=True,
                )
    rows = []
    med: dict[str, dict[str, float]] = {}
    for who in ("naive relay", "bot"):
        mine = [r for r in runs if r.who == who]
        med[who] = {
            "rate": median(r.rate for r in mine) or 0.0,
            "seconds": median(r.seconds for r in mine) or 0.0,
            "cpu": median(r.cpu_ms_per_message for r in mine) or 0.0,
            "rss": median(r.rss_mib for r in mine) or 0.0,
        }
        m = med[who]
        rows.append(
            [
                who,
                f"{m['rate']:.1f}",
                f"{m['seconds']:.2f}",
                f"{m['cpu']:.2f}",
                f"{m['rss']:.1f}",
            ]
        )
    print()
    print(
        f"{args.n} updates (about 10 % acute, 25 % reports) from {args.ambassadors} ambassadors, "
        f"medians of {args.repeat} run(s):"
    )
    print(table(rows, ["", "messages/s", "seconds", "CPU ms/message", "RSS at rest MiB"]))
    ratio = med["bot"]["rate"] / med["naive relay"]["rate"] if med["naive relay"]["rate"] else 0
    cpu_ratio = med["bot"]["cpu"] / med["naive relay"]["cpu"] if med["naive relay"]["cpu"] else 0
    print(f"ratio bot / naive relay: rate {ratio:.2f}x, CPU per message {cpu_ratio:.2f}x")
    ok = ratio >= 1.0
    print(f"target: inbound handling >= 1.0x the naive relay's rate: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def naive_relay(base_url: str, token: str, group: int) -> None:
    """The naive relay: forward every private text message to the group, nothing else."""
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    async def forward(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await context.bot.send_message(group, message.text)

    app = Application.builder().token(token).base_url(base_url).build()
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.TEXT, forward))
    app.run_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--naive-relay":
        naive_relay(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=3000, help="updates per run (default 3000)")
    parser.add_argument("--ambassadors", type=int, default=1000, help="senders (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep databases and logs here")
    args = parser.parse_args()
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(bench(args, args.workdir))
    with tempfile.TemporaryDirectory(prefix="tryghedsbot-ingest-") as work:
        return asyncio.run(bench(args, Path(work)))


if __name__ == "__main__":
    raise SystemExit(main())
