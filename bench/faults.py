"""Crash and fault harness: the bot as a subprocess against the fake Bot API, with SIGKILLs,
injected 5xx / 429 / resets / slow answers, locked, full, corrupt and deleted storage, and
one ambassador flooding the bot. Prints, per category, what was lost, duplicated and
delivered out of order, the 112 answer and alert latencies, and pass/fail per target.

    .venv/bin/python bench/faults.py                      # every scenario (about 22 minutes)
    .venv/bin/python bench/faults.py --quick              # smaller traffic (about 13 minutes)
    .venv/bin/python bench/faults.py --kills --seed 3     # one scenario
    .venv/bin/python bench/faults.py --send-faults --storage --json out.json

Scenarios (all by default; each selectable):

--kills        8 SIGKILLs at random moments during 120 ambassador messages (about 10 % acute),
               60 officer replies and a push to 300 ambassadors; the bot is restarted after
               each kill with the same configuration and database. Targets: nothing lost, at
               most one duplicate per kill per lane, exactly one 112 answer per acute message.
--send-faults  10 % 5xx, 3 % 429, 3 % connection resets and 2 % slow answers on every message
               the bot sends. Targets: nothing lost, nothing failed, nothing out of order,
               112 answer p99 at most 3 s.
--storage      the database locked for 10 s by another process, then the disk full (as root: a
               small tmpfs holds the database; otherwise skipped): a 112 answer within 2 s.
               Then a corrupt and a deleted database file: /healthz not 200 within a minute,
               or start-up refused naming the path. Each time the storage is restored after,
               and what arrived meanwhile is checked.
--flood        one ambassador sends 500 acute messages (then, on a fresh bot, 500 routine
               ones) with the fake enforcing Telegram's limits (30/s, 20 a minute per group);
               meanwhile another ambassador writes an acute and a routine message. Targets:
               their 112 answer within 2 s, their alert within 20 s, their relay within 2 min.

How it measures: every message the harness sends in carries a tag (`[m12]`, `[r3]`, `[p1]`)
that the bot relays verbatim, so each one is followed through the fake Bot API's records; the
times are the fake's (the loop time when the update was queued, and when the call that
created the message finished). Order is checked per chat: an ambassador's replies in their
private chat, an ambassador's relays (and, apart, their alerts: alerts jump the queue by
design) in the officers' group. "Out of order" counts the messages that would have to move.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import itertools
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    ACUTE_ANSWER_MARK,
    ACUTE_TEXTS,
    GROUP,
    OFFICER_TEXTS,
    OFFICER_USER,
    REPLY_TEXTS,
    REPORT_TEXTS,
    BotProcess,
    Person,
    Recorder,
    classify,
    config_text,
    db_counts,
    fmt_s,
    free_port,
    load_average,
    onboard,
    out_of_order,
    people,
    percentile,
    run_cli,
    setup_world,
    table,
    tagged,
    tags_in,
    wait_quiet,
)
from tests.fakes.telegram_api import FakeBotApi, FaultProfile, RateLimit

GROUP_PER_MINUTE = 19  # what the bot may use of the group's 20 a minute


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass
class Category:
    name: str
    expected: int = 0
    delivered: int = 0
    lost: int = 0  # not delivered, and the bot had nothing left to send
    queued: int = 0  # not delivered when the harness stopped waiting, the bot still busy
    duplicated: int = 0
    out_of_order: int | None = None

    @property
    def missing(self) -> int:
        return self.lost + self.queued

    def row(self) -> list[object]:
        order = "-" if self.out_of_order is None else self.out_of_order
        return [
            self.name,
            self.expected,
            self.delivered,
            self.lost,
            self.queued,
            self.duplicated,
            order,
        ]


@dataclass
class Target:
    text: str
    passed: bool | None  # None: not measured (skipped)
    detail: str = ""


@dataclass
class Result:
    scenario: str
    title: str
    categories: list[Category] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(t.passed is not False for t in self.targets) and bool(self.targets)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "title": self.title,
            "passed": self.passed,
            "seconds": round(self.seconds, 1),
            "categories": [c.__dict__ for c in self.categories],
            "figures": self.figures,
            "targets": [t.__dict__ for t in self.targets],
            "notes": self.notes,
        }

    def print(self) -> None:
        print()
        print(f"== {self.scenario}: {self.title}  ({self.seconds:.0f} s)")
        if self.categories:
            header = [
                "category",
                "expected",
                "delivered",
                "lost",
                "still queued",
                "duplicated",
                "out of order",
            ]
            print(table([c.row() for c in self.categories], header))
        for key, value in self.figures.items():
            print(f"   {key}: {value}")
        for note in self.notes:
            print(f"   note: {note}")
        for target in self.targets:
            mark = {True: "PASS", False: "FAIL", None: "SKIP"}[target.passed]
            detail = f" ({target.detail})" if target.detail else ""
            print(f"   [{mark}] {target.text}{detail}")


def latency_line(values: Sequence[float], missing: int = 0) -> str:
    if not values:
        return f"none measured ({missing} missing)" if missing else "none measured"
    text = (
        f"p50 {fmt_s(percentile(values, 0.5))}, p99 {fmt_s(percentile(values, 0.99))}, "
        f"max {fmt_s(max(values))} (n={len(values)})"
    )
    return text + (f", {missing} never came" if missing else "")


def lost_detail(cats: Sequence[Category]) -> str:
    lost = sum(c.lost for c in cats)
    queued = sum(c.queued for c in cats)
    text = f"{lost} lost"
    if queued:
        text += f", {queued} still queued when the harness stopped waiting"
    return text


# --------------------------------------------------------------------------------------------
# a world: the fake Bot API, the bot process, ambassadors, what was written
# --------------------------------------------------------------------------------------------


@dataclass
class Written:
    tag: str
    kind: str  # "msg" (ambassador → bot) or "reply" (officer → ambassador)
    user: int  # the ambassador who wrote it, or to whom the reply goes
    route: str  # acute | report | officer for messages; "reply" for replies
    text: str
    t: float  # loop time the update was queued at the fake
    seq: int  # order among this ambassador's messages (or replies)


class World:
    """One run: a fake Bot API, one bot process (restartable), and the traffic written."""

    def __init__(
        self,
        name: str,
        workdir: Path,
        routes: dict[str, str],
        *,
        data_dir: Path | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.name = name
        self.dir = workdir / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir or self.dir
        self.db = self.data_dir / "bot.sqlite3"
        self.routes = routes
        self.fake = FakeBotApi(max_poll_timeout=1.0)
        self.rate_limit = rate_limit
        self.rec = Recorder(self.fake)
        self.written: list[Written] = []
        self.disorder: list[str] = []  # examples of messages out of order, from analyse()
        self._tags = Counter[str]()
        self._seq: Counter[tuple[str, int]] = Counter()
        self.bot: BotProcess | None = None
        self.config = self.dir / "bot.toml"
        self.persons: dict[int, Person] = {}

    async def __aenter__(self) -> World:
        await self.fake.start()
        setup_world(self.fake)
        self.fake.rate_limit = self.rate_limit
        port = free_port()
        self.config.write_text(config_text(self.fake, self.db, port), encoding="utf-8")
        self.bot = BotProcess(self.config, self.fake.token, port, self.dir / "bot.log")
        await self.bot.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.bot is not None:
            await self.bot.close()
        await self.fake.stop()

    @property
    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def onboard(self, persons: Sequence[Person]) -> None:
        await onboard(self.fake, self.rec, persons)
        self.persons.update({p.user_id: p for p in persons})

    def _next(self, kind: str, user: int) -> tuple[str, int]:
        self._tags[kind] += 1
        self._seq[(kind, user)] += 1
        return f"{kind[0]}{self._tags[kind]}", self._seq[(kind, user)]

    def write(self, person: Person, base: str) -> Written:
        """The ambassador writes `base` (tagged) to the bot."""
        tag, seq = self._next("msg", person.user_id)
        text = tagged(base, tag[0], int(tag[1:]))
        item = Written(tag, "msg", person.user_id, self.routes[base], text, self.now, seq)
        self.fake.push_update(self.fake.make_private_message(person.user_id, text))
        self.written.append(item)
        return item

    def thread_of(self, person: Person) -> int | None:
        """The topic the bot uses for this ambassador: where their latest relay landed."""
        mine = {w.tag for w in self.written if w.kind == "msg" and w.user == person.user_id}
        self.rec.update()
        found = [
            o
            for o in self.rec.by_chat.get(GROUP, [])
            if o.thread is not None and any(t in mine for t in tags_in(o.text))
        ]
        return found[-1].thread if found else None

    def reply(self, person: Person, base: str) -> Written | None:
        """The officer answers in the ambassador's topic (None: no topic yet)."""
        thread = self.thread_of(person)
        if thread is None:
            return None
        tag, seq = self._next("reply", person.user_id)
        text = tagged(base, "r", int(tag[1:]))
        item = Written(tag, "reply", person.user_id, "reply", text, self.now, seq)
        update = self.fake.make_group_message(GROUP, OFFICER_USER, text, message_thread_id=thread)
        self.fake.push_update(update)
        self.written.append(item)
        return item

    async def broadcast(self, text: str) -> tuple[int, str]:
        assert self.bot is not None
        return await run_cli(
            ["broadcast", "create", "--config", str(self.config), "--text", text],
            self.fake.token,
        )

    # -- what arrived -------------------------------------------------------------------------

    def copies(self, item: Written) -> list[float]:
        """Times at which the bot delivered `item` where it belongs."""
        self.rec.update()
        where = GROUP if item.kind == "msg" else item.user
        return sorted(o.t for o in self.rec.by_tag.get(item.tag, []) if o.chat == where)

    def acute_answers(self, user: int, since: float) -> list[float]:
        self.rec.update()
        return [
            o.t
            for o in self.rec.by_chat.get(user, [])
            if o.t >= since and ACUTE_ANSWER_MARK in o.text
        ]

    def push_copies(self, user: int, tag: str) -> int:
        self.rec.update()
        return sum(1 for o in self.rec.by_tag.get(tag, []) if o.chat == user)

    def analyse(
        self,
        since: float,
        push_tag: str | None = None,
        push_to: Sequence[int] = (),
        *,
        quiet: bool = True,
    ) -> tuple[list[Category], dict[str, list[float]], dict[str, int]]:
        """Per category: expected, delivered, lost (or still queued, when the bot was not
        `quiet` at the end), duplicated, out of order; latencies."""
        missing = "lost" if quiet else "queued"
        relays = Category("ambassador messages → relays")
        alerts = Category("acute → alerts in the group")
        answers = Category("acute → 112 answers")
        replies = Category("officer replies → ambassadors")
        pushes = Category("push recipients")
        order_topic: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
        order_chat: dict[int, list[tuple[float, int]]] = defaultdict(list)
        alert_latency: list[float] = []
        for item in self.written:
            got = self.copies(item)
            cat = replies if item.kind == "reply" else alerts if item.route == "acute" else relays
            cat.expected += 1
            if got:
                cat.delivered += 1
                cat.duplicated += len(got) - 1
                if item.kind == "reply":
                    order_chat[item.user].append((got[0], item.seq))
                else:
                    group = "alert" if item.route == "acute" else "relay"
                    order_topic[(item.user, group)].append((got[0], item.seq))
                if item.route == "acute":
                    alert_latency.append(got[0] - item.t)
            else:
                setattr(cat, missing, getattr(cat, missing) + 1)
        tag_of = {(w.user, w.kind, w.seq): w.tag for w in self.written}
        self.disorder = []

        def count(key: tuple[int, str], seen: list[tuple[float, int]], where: str) -> int:
            order = [seq for _, seq in sorted(seen)]
            n = out_of_order(order)
            if n:
                kind = "reply" if key[1] == "reply" else "msg"
                tags = " ".join(tag_of[(key[0], kind, seq)] for seq in order)
                self.disorder.append(f"{where} of {key[0]} received {tags}")
            return n

        relays.out_of_order = sum(
            count(k, v, "relays in the topic") for k, v in order_topic.items() if k[1] == "relay"
        )
        alerts.out_of_order = sum(
            count(k, v, "alerts in the topic") for k, v in order_topic.items() if k[1] == "alert"
        )
        replies.out_of_order = sum(
            count((u, "reply"), v, "private chat") for u, v in order_chat.items()
        )
        # 112 answers: matched per chat in time order, each to the first answer after it.
        answer_latency: list[float] = []
        by_user: dict[int, list[Written]] = defaultdict(list)
        for item in self.written:
            if item.route == "acute":
                by_user[item.user].append(item)
        for user, items in by_user.items():
            times = self.acute_answers(user, since)
            answers.expected += len(items)
            answers.delivered += min(len(items), len(times))
            setattr(answers, missing, getattr(answers, missing) + max(0, len(items) - len(times)))
            answers.duplicated += max(0, len(times) - len(items))
            free = list(times)
            for item in items:
                match = next((t for t in free if t >= item.t), None)
                if match is not None:
                    free.remove(match)
                    answer_latency.append(match - item.t)
        if push_tag is not None:
            for user in push_to:
                n = self.push_copies(user, push_tag)
                pushes.expected += 1
                pushes.delivered += 1 if n else 0
                if not n:
                    setattr(pushes, missing, getattr(pushes, missing) + 1)
                pushes.duplicated += max(0, n - 1)
        cats = [relays, answers, alerts, replies] + ([pushes] if push_tag else [])
        lanes = {
            "ambassador lane": answers.duplicated + replies.duplicated + pushes.duplicated,
            "officers' lane": relays.duplicated + alerts.duplicated,
        }
        return cats, {"112": answer_latency, "alert": alert_latency}, lanes

    def busiest_group_minute(self, since: float) -> int:
        """Most messages the bot put in the group in any 60 s (Telegram allows 20)."""
        self.rec.update()
        times = sorted(o.t for o in self.rec.by_chat.get(GROUP, []) if o.t >= since)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - 60.0:
                j += 1
            best = max(best, i - j + 1)
        return best

    def topics_per_ambassador(self) -> dict[str, int]:
        """Ambassadors with more than one topic in the group (by the topic's name)."""
        names = Counter(name for name in self.fake.topics(GROUP).values())
        return {name: n for name, n in names.items() if n > 1}


# --------------------------------------------------------------------------------------------
# traffic
# --------------------------------------------------------------------------------------------


@dataclass
class Traffic:
    messages: int
    replies: int
    push: int
    writers: int
    window: float
    acute_share: float


def message_plan(
    rng: random.Random, traffic: Traffic, writers: Sequence[Person]
) -> list[tuple[float, Person, str]]:
    """Bursts of 1-3 messages from one ambassador (50 ms apart) at random moments; exactly
    `acute_share` of them acute, a quarter reports, the rest for the officer."""
    n_acute = round(traffic.messages * traffic.acute_share)
    n_report = round(traffic.messages * 0.25)
    kinds = ["acute"] * n_acute + ["report"] * n_report
    kinds += ["officer"] * (traffic.messages - len(kinds))
    rng.shuffle(kinds)
    pools = {"acute": ACUTE_TEXTS, "report": REPORT_TEXTS, "officer": OFFICER_TEXTS}
    texts = [rng.choice(pools[k]) for k in kinds]
    plan: list[tuple[float, Person, str]] = []
    while len(plan) < traffic.messages:
        person = rng.choice(writers)
        at = rng.uniform(0.0, traffic.window * 0.9)
        for k in range(min(rng.choice((1, 1, 2, 3)), traffic.messages - len(plan))):
            plan.append((at + 0.05 * k, person, texts[len(plan)]))
    plan.sort(key=lambda p: p[0])
    return plan


def reply_plan(rng: random.Random, traffic: Traffic) -> list[tuple[float, int]]:
    """(moment, burst size): bursts of 1-3 replies to one ambassador."""
    plan: list[tuple[float, int]] = []
    total = 0
    while total < traffic.replies:
        n = min(rng.choice((1, 2, 3)), traffic.replies - total)
        plan.append((rng.uniform(traffic.window * 0.1, traffic.window), n))
        total += n
    plan.sort()
    return plan


async def sleep_until(t: float) -> None:
    delay = t - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)  # pacing the load generator, not synchronisation


async def drive_messages(world: World, plan: list[tuple[float, Person, str]], t0: float) -> None:
    for at, person, text in plan:
        await sleep_until(t0 + at)
        world.write(person, text)


async def drive_replies(
    world: World,
    rng: random.Random,
    plan: list[tuple[float, int]],
    writers: Sequence[Person],
    t0: float,
) -> int:
    """Officer replies; each burst to a random ambassador who already has a topic."""
    skipped = 0
    for at, n in plan:
        await sleep_until(t0 + at)
        with_topic = [p for p in writers if world.thread_of(p) is not None]
        if not with_topic:
            # Nobody's message has reached the group yet: wait for the first topic.
            await world.rec.wait(
                lambda: any(world.thread_of(p) is not None for p in writers), timeout=120
            )
            with_topic = [p for p in writers if world.thread_of(p) is not None]
        if not with_topic:
            skipped += n
            continue
        person = rng.choice(with_topic)
        for k in range(n):
            world.reply(person, rng.choice(REPLY_TEXTS))
            if k < n - 1:
                await asyncio.sleep(0.05)  # pacing the officer's typing
    return skipped


def group_deadline(world: World) -> float:
    """Twice as long as the group's pace needs for what may still wait for it (relays and
    alerts not yet seen, and a reaction per officer reply), and two minutes more."""
    left = sum(1 for w in world.written if w.kind == "msg" and not world.copies(w))
    left += sum(1 for w in world.written if w.kind == "reply")
    return world.now + left / GROUP_PER_MINUTE * 60 * 2 + 120


# --------------------------------------------------------------------------------------------
# scenario: kills
# --------------------------------------------------------------------------------------------


async def traffic_run(
    world: World,
    rng: random.Random,
    traffic: Traffic,
    result: Result,
    *,
    before: Callable[[], None] | None = None,
    during: Callable[[float], Awaitable[None]] | None = None,
) -> tuple[float, str, list[int], bool]:
    """Onboard, call `before`, then drive messages, replies and a push over the window (with
    `during` running alongside), then wait until everything is delivered and all is quiet."""
    persons = people(20_000_000, traffic.push)
    writers = persons[: traffic.writers]
    t = world.now
    await world.onboard(persons)
    result.figures["onboarding"] = f"{len(persons)} ambassadors in {world.now - t:.0f} s"
    await wait_quiet(world.fake, world.db, world.now + 120)
    assert world.bot is not None
    if before is not None:
        before()
    messages = message_plan(rng, traffic, writers)
    replies = reply_plan(rng, traffic)
    push_at = rng.uniform(0.1, 0.5) * traffic.window
    push_tag = "p1"
    push_text = tagged("Husk at låse døre og vinduer, også når du kun er kort væk.", "p", 1)
    t0 = world.now

    async def push() -> None:
        await sleep_until(t0 + push_at)
        code, out = await world.broadcast(push_text)
        if code != 0:
            result.notes.append(f"broadcast create exited {code}: {out.strip()[-200:]}")

    tasks: list[Awaitable[Any]] = [
        drive_messages(world, messages, t0),
        drive_replies(world, rng, replies, writers, t0),
        push(),
    ]
    if during is not None:
        tasks.append(during(t0))
    outcome = await asyncio.gather(*tasks)
    if outcome[1]:
        result.notes.append(f"{outcome[1]} replies not written: no topic existed")
    if world.bot is not None and not world.bot.running:
        await world.bot.start()
    push_to = [p.user_id for p in persons]
    deadline = group_deadline(world)
    quiet = await wait_quiet(world.fake, world.db, deadline, idle=5.0)
    result.figures["quiet after the traffic began"] = (
        f"{world.now - t0:.0f} s" if quiet else f"not within {deadline - t0:.0f} s"
    )
    return t0, push_tag, push_to, quiet


def latency_figures(result: Result, latencies: dict[str, list[float]], cats: list[Category]):
    answers = next(c for c in cats if c.name.startswith("acute → 112"))
    alerts = next(c for c in cats if c.name.startswith("acute → alerts"))
    result.figures["112 answer latency"] = latency_line(latencies["112"], answers.missing)
    result.figures["alert latency"] = latency_line(latencies["alert"], alerts.missing)


async def outbox_failed(world: World) -> int | None:
    # Failed sends: only the outbox can tell (the SQLite file, read-only).
    counts = await db_counts(world.db, "outbox")
    return None if counts is None else counts.get("failed", 0)


async def scenario_kills(args: argparse.Namespace, routes: dict[str, str], work: Path) -> Result:
    quick = args.quick
    traffic = Traffic(
        messages=40 if quick else 120,
        replies=20 if quick else 60,
        push=80 if quick else 300,
        writers=10 if quick else 20,
        window=50 if quick else 120,
        acute_share=0.1,
    )
    kills = 4 if quick else 8
    rng = random.Random(args.seed)
    result = Result(
        "kills",
        f"{kills} SIGKILLs during {traffic.messages} ambassador messages, "
        f"{traffic.replies} officer replies and a push to {traffic.push} (seed {args.seed})",
    )
    kill_log: list[str] = []
    while True:
        moments = sorted(rng.uniform(0.05, 0.95) * traffic.window for _ in range(kills))
        if all(b - a >= 6.0 for a, b in itertools.pairwise(moments)):
            break

    async with World("kills", work, routes) as world:

        async def killer(t0: float) -> None:
            assert world.bot is not None
            for n, at in enumerate(moments, 1):
                await sleep_until(t0 + at)
                world.bot.kill()
                code = await world.bot.wait_exit(10)
                kill_log.append(f"{at:.1f}")
                if code is None:
                    result.notes.append(f"kill {n}: the process did not exit")
                await world.bot.spawn()  # same configuration, same database

        t0, push_tag, push_to, quiet = await traffic_run(world, rng, traffic, result, during=killer)
        cats, latencies, lanes = world.analyse(t0, push_tag, push_to, quiet=quiet)
        result.categories = cats
        result.figures["kills at (s after the traffic began)"] = ", ".join(kill_log)
        latency_figures(result, latencies, cats)
        failed = await outbox_failed(world)
        result.figures["outbox items failed"] = failed
        result.figures["duplicates per lane"] = lanes
        result.figures["most group messages in any 60 s"] = world.busiest_group_minute(t0)
        result.notes += [f"out of order: {d}" for d in world.disorder[:5]]
        extra_topics = world.topics_per_ambassador()
        if extra_topics:
            result.notes.append(f"ambassadors with more than one topic: {extra_topics}")
        lost = sum(c.missing for c in cats)
        result.targets = [
            Target("0 lost in every category", lost == 0, lost_detail(cats)),
            Target(
                f"at most 1 duplicate per kill per lane (≤ {kills} per lane)",
                all(v <= kills for v in lanes.values()),
                ", ".join(f"{k} {v}" for k, v in lanes.items()),
            ),
            Target(
                "exactly one 112 answer per acute message",
                cats[1].missing == 0 and cats[1].duplicated == 0,
                f"{cats[1].expected} acute, {cats[1].missing} without, "
                f"{cats[1].duplicated} extra answers",
            ),
        ]
    return result


# --------------------------------------------------------------------------------------------
# scenario: send faults
# --------------------------------------------------------------------------------------------


async def scenario_send_faults(
    args: argparse.Namespace, routes: dict[str, str], work: Path
) -> Result:
    quick = args.quick
    traffic = Traffic(
        messages=30 if quick else 60,
        replies=15 if quick else 30,
        push=80 if quick else 300,
        writers=10 if quick else 15,
        window=40 if quick else 80,
        acute_share=0.2,
    )
    profile = FaultProfile(
        server_error=0.10,
        rate_limited=0.03,
        reset=0.03,
        slow=0.02,
        slow_seconds=args.slow_seconds,
        retry_after=args.retry_after,
        seed=args.seed,
        methods=None if args.faults_on_all_methods else FaultProfile().methods,
    )
    rng = random.Random(args.seed)
    result = Result(
        "send-faults",
        f"10 % 5xx, 3 % 429 (retry_after {args.retry_after} s), 3 % resets, 2 % slow "
        f"({args.slow_seconds:g} s) on "
        f"{'every call' if args.faults_on_all_methods else 'message-creating calls'}; "
        f"{traffic.messages} ambassador messages ({traffic.acute_share:.0%} acute), "
        f"{traffic.replies} replies, push to {traffic.push} (seed {args.seed})",
    )
    async with World("send-faults", work, routes) as world:

        def faults_on() -> None:  # with the traffic, after onboarding
            world.fake.faults = profile

        t0, push_tag, push_to, quiet = await traffic_run(
            world, rng, traffic, result, before=faults_on
        )
        cats, latencies, _ = world.analyse(t0, push_tag, push_to, quiet=quiet)
        result.categories = cats
        latency_figures(result, latencies, cats)
        failed = await outbox_failed(world)
        result.figures["faults injected"] = dict(world.fake.injected)
        result.figures["most group messages in any 60 s"] = world.busiest_group_minute(t0)
        result.figures["outbox items failed"] = failed
        lost = sum(c.missing for c in cats)
        disorder = sum(c.out_of_order or 0 for c in cats)
        result.notes += [f"out of order: {d}" for d in world.disorder[:5]]
        p99 = percentile(latencies["112"], 0.99)
        result.targets = [
            Target("0 lost", lost == 0, lost_detail(cats)),
            Target("0 failed", failed == 0, f"{failed} outbox items failed"),
            Target("0 order violations", disorder == 0, f"{disorder} out of order"),
            Target(
                "112 answer p99 ≤ 3 s",
                p99 is not None and p99 <= 3.0 and cats[1].missing == 0,
                f"p99 {fmt_s(p99)}, {cats[1].missing} never answered",
            ),
        ]
        dup = sum(c.duplicated for c in cats)
        if dup:
            result.notes.append(
                f"{dup} duplicates (no target; slow answers beyond the "
                "client's timeout are retried and delivered twice)"
            )
    return result


# --------------------------------------------------------------------------------------------
# scenario: storage
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(path: Path, size_mib: int):
    """A small tmpfs at `path` (root only)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(path)], check=True
    )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill_disk(path: Path) -> int:
    """Write a filler file until the file system is full; returns the bytes written."""
    written = 0
    chunk = b"\0" * (1 << 20)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while True:
            try:
                n = os.write(fd, chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
            written += n
            if n < len(chunk):
                chunk = chunk[: max(1, n)]
        os.fsync(fd)
    finally:
        os.close(fd)
    return written


def backup(db: Path, to: Path) -> None:
    """A consistent copy of the live database (SQLite's backup API; the source read-only)."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    dst = sqlite3.connect(to)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db}{suffix}").unlink()


def corrupt(db: Path, rng: random.Random) -> dict[str, int]:
    """Overwrite bytes of the live database: the main file's header and a fifth of its
    pages, and a fifth of the write-ahead log's frames (where recent pages live until a
    checkpoint). Returns the bytes overwritten per file."""
    page = 4096
    touched: dict[str, int] = {}
    main_size = db.stat().st_size
    with open(db, "r+b") as f:
        f.write(rng.randbytes(100))
        touched[db.name] = 100
        pages = main_size // page
        for n in rng.sample(range(1, pages), k=(pages - 1) // 5) if pages > 2 else []:
            f.seek(n * page)
            f.write(rng.randbytes(page))
            touched[db.name] += page
        os.fsync(f.fileno())
    wal = Path(f"{db}-wal")
    if wal.exists() and wal.stat().st_size > 32:
        frame = 24 + page
        frames = (wal.stat().st_size - 32) // frame
        touched[wal.name] = 0
        with open(wal, "r+b") as f:
            for n in rng.sample(range(frames), k=max(1, frames // 5)) if frames else []:
                f.seek(32 + n * frame + 24)
                f.write(rng.randbytes(page))
                touched[wal.name] += page
            os.fsync(f.fileno())
    return touched


async def watch_health(bot: BotProcess, seconds: float) -> tuple[float | None, str]:
    """Seconds until /healthz first answered something other than 200 (None: always 200)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    last = ""
    while loop.time() - start < seconds:
        status, body = await bot.health(timeout=2.0)
        if status != 200:
            what = f"HTTP {status}" if status is not None else f"no answer ({body})"
            if not bot.running:
                what += f", the process exited with {bot.proc.returncode if bot.proc else '?'}"
            return loop.time() - start, what
        last = body
        await asyncio.sleep(1.0)  # polling /healthz once a second, as a monitor would
    return None, f"200 throughout: {last[:120]}"


async def restart_check(world: World, path: Path, probe: Person) -> tuple[bool, str]:
    """Stop and start the bot on the damaged storage: refused naming the path, /healthz
    not 200, or (a failure) running as if nothing happened."""
    bot = world.bot
    assert bot is not None
    await bot.stop()
    await bot.spawn()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 45
    while loop.time() < deadline:
        if not bot.running:
            said = bot.log_since_start()
            named = str(path) in said
            last = said.strip().splitlines()[-1][:160] if said.strip() else ""
            return named, (
                f"start-up refused (exit {bot.proc.returncode if bot.proc else '?'}), "
                f"{'naming' if named else 'NOT naming'} the path: {last!r}"
            )
        status, _ = await bot.health(timeout=1.0)
        if status == 200:
            break
        await asyncio.sleep(0.2)  # waiting for a subprocess: no event to await
    else:
        return True, "/healthz never answered 200 after the restart"
    # Running: does it still know its ambassadors? An ambassador's /start tells.
    since = world.now
    world.fake.push_update(world.fake.make_private_message(probe.user_id, "/start"))
    got = await world.rec.wait(
        lambda: bool(world.rec.in_chat(probe.user_id, lambda o: o.t >= since)), timeout=20
    )
    answer = world.rec.in_chat(probe.user_id, lambda o: o.t >= since)
    text = answer[0].text[:70] if got and answer else "no answer"
    status, _ = await bot.health(timeout=2.0)
    errors = [line for line in bot.log_since_start().splitlines() if " ERROR " in line]
    causes = Counter(
        line.strip()
        for line in bot.log_since_start().splitlines()
        if line[:1] not in (" ", "2") and ("Error" in line or "Exception" in line)
    )
    log = f"; log: {len(errors)} ERROR lines" if errors else ""
    if causes:
        log += f", e.g. {causes.most_common(1)[0][0][:100]!r}"
    return status != 200, (f"started, /healthz {status}; an ambassador's /start got: {text!r}{log}")


async def phase(
    world: World,
    result: Result,
    name: str,
    senders: tuple[Person, Person, Person],
    fault_on: Callable[[], Awaitable[None]],
    fault_off: Callable[[], Awaitable[None]],
    *,
    hold: float,
    answer_target: float | None,
    settle: bool = True,
) -> list[Written]:
    """Turn the fault on; a second later write an acute message, a routine one and an
    officer's reply; lift the fault `hold` seconds after it began; time the 112 answer
    (however long it takes, up to half a minute after the fault is lifted) and (`settle`)
    check what arrived meanwhile. Returns what was written."""
    a, b, c = senders
    await fault_on()
    t_on = world.now
    lifted: dict[str, float] = {}

    async def lift() -> None:
        await sleep_until(t_on + hold)
        await fault_off()
        lifted["at"] = world.now

    lifting = asyncio.create_task(lift())
    await asyncio.sleep(1.0)  # the fault has been there a moment before anyone writes
    before = len(world.written)
    acute = world.write(a, ACUTE_TEXTS[1])
    world.write(b, OFFICER_TEXTS[0])
    reply = world.reply(c, REPLY_TEXTS[0])
    if reply is None:
        result.notes.append(f"{name}: no topic for the reply")
    got = await world.rec.wait(
        lambda: bool(world.acute_answers(a.user_id, acute.t)), timeout=hold + 30
    )
    await lifting
    answers = world.acute_answers(a.user_id, acute.t)
    latency = answers[0] - acute.t if got and answers else None
    if latency is None:
        said = "none"
    elif answers[0] < lifted["at"]:
        said = f"{fmt_s(latency)}, while the fault lasted"
    else:
        said = f"{fmt_s(latency)}, only after the fault was lifted ({lifted['at'] - acute.t:.1f} s)"
    result.figures[f"{name}: 112 answer"] = said
    if answer_target is not None:
        result.targets.append(
            Target(
                f"{name}: 112 answer within {answer_target:g} s",
                latency is not None and latency <= answer_target,
                fmt_s(latency) if latency is not None else "no answer",
            )
        )
    items = world.written[before:]
    if not settle:
        return items
    await world.rec.wait(
        lambda: (
            all(world.copies(w) for w in items) and bool(world.acute_answers(a.user_id, acute.t))
        ),
        timeout=120,
    )
    lost = sum(1 for w in items if not world.copies(w))
    dup = sum(max(0, len(world.copies(w)) - 1) for w in items)
    answers = world.acute_answers(a.user_id, acute.t)
    result.figures[f"{name}: afterwards"] = (
        f"{len(items) - lost} of {len(items)} delivered ({lost} lost, {dup} duplicated), "
        f"{len(answers)} 112 answer(s) to the acute message"
    )
    return items


async def scenario_storage(args: argparse.Namespace, routes: dict[str, str], work: Path) -> Result:
    result = Result("storage", "locked, full, corrupt and deleted database")
    root = os.geteuid() == 0
    disk = work / "storage" / "disk"
    stack = contextlib.ExitStack()
    if root:
        stack.enter_context(tmpfs(disk, 64))
    else:
        result.notes.append("disk full: skipped (needs root to mount a small tmpfs)")
    rng = random.Random(args.seed)
    with stack:
        async with World("storage", work, routes, data_dir=disk if root else None) as world:
            assert world.bot is not None
            a, b, c = people(30_000_000, 3)
            await world.onboard([a, b, c])
            world.write(c, OFFICER_TEXTS[1])  # c's topic, for the officer's replies
            await world.rec.wait(lambda: world.thread_of(c) is not None, timeout=90)
            await wait_quiet(world.fake, world.db, world.now + 90)

            # -- locked: another process holds an exclusive transaction for 10 s
            lock: dict[str, sqlite3.Connection] = {}

            async def lock_on() -> None:
                def take() -> sqlite3.Connection:
                    conn = sqlite3.connect(
                        world.db, timeout=30, isolation_level=None, check_same_thread=False
                    )
                    conn.execute("BEGIN EXCLUSIVE")
                    return conn

                lock["conn"] = await asyncio.to_thread(take)

            async def lock_off() -> None:
                conn = lock.pop("conn")
                await asyncio.to_thread(conn.execute, "ROLLBACK")
                await asyncio.to_thread(conn.close)

            await phase(
                world, result, "locked 10 s", (a, b, c), lock_on, lock_off,
                hold=10.0, answer_target=2.0,
            )  # fmt: skip
            await wait_quiet(world.fake, world.db, world.now + 60)

            # -- disk full
            if root:
                filler = disk / "filler"
                filled: dict[str, int] = {}

                async def full_on() -> None:
                    filled["bytes"] = await asyncio.to_thread(fill_disk, filler)

                async def full_off() -> None:
                    filler.unlink()

                await phase(
                    world, result, "disk full 15 s", (a, b, c), full_on, full_off,
                    hold=15.0, answer_target=2.0,
                )  # fmt: skip
                await wait_quiet(world.fake, world.db, world.now + 60)
            else:
                result.targets.append(Target("disk full: 112 answer within 2 s", None, "skipped"))

            # -- corrupt: overwrite bytes of the live file
            copy = world.dir / "backup.sqlite3"
            backup(world.db, copy)
            noted: dict[str, Any] = {}

            async def corrupt_on() -> None:
                noted["bytes"] = await asyncio.to_thread(corrupt, world.db, rng)

            async def nothing() -> None:
                return None

            items = await phase(
                world, result, "corrupt", (a, b, c), corrupt_on, nothing,
                hold=2.0, answer_target=None, settle=False,
            )  # fmt: skip
            result.figures["corrupt: bytes overwritten"] = noted["bytes"]
            await health_and_restart(world, result, "corrupt", a, copy, items)

            # -- deleted: the database files removed under the running bot
            copy = world.dir / "backup2.sqlite3"
            backup(world.db, copy)

            async def delete_on() -> None:
                remove_db(world.db)

            items = await phase(
                world, result, "deleted", (a, b, c), delete_on, nothing,
                hold=2.0, answer_target=None, settle=False,
            )  # fmt: skip
            await health_and_restart(world, result, "deleted", a, copy, items)
    return result


async def health_and_restart(
    world: World, result: Result, name: str, probe: Person, copy: Path, items: list[Written]
) -> None:
    """The health target for damaged storage, then the storage restored from `copy`."""
    bot = world.bot
    assert bot is not None
    after, what = await watch_health(bot, 60.0)
    result.figures[f"{name}: /healthz"] = (
        f"not 200 after {after:.0f} s: {what}" if after is not None else what
    )
    refused, how = await restart_check(world, world.db, probe)
    result.figures[f"{name}: restart on it"] = how
    health = f"not 200 after {after:.0f} s" if after is not None else "200 for 60 s"
    result.targets.append(
        Target(
            f"{name}: /healthz not 200 within a minute, or start-up refused with the path",
            after is not None or refused,
            f"/healthz {health}; restart: {how}",
        )
    )
    # Restore: stop, put the copy back, start, and see what arrived meanwhile.
    await bot.stop()
    remove_db(world.db)
    shutil.copyfile(copy, world.db)
    await bot.start()
    await world.rec.wait(lambda: all(world.copies(w) for w in items), timeout=90)
    lost = sum(1 for w in items if not world.copies(w))
    dup = sum(max(0, len(world.copies(w)) - 1) for w in items)
    result.figures[f"{name}: after the restore"] = (
        f"{len(items) - lost} of the {len(items)} messages written meanwhile delivered "
        f"({lost} lost, {dup} duplicated)"
    )
    await wait_quiet(world.fake, world.db, world.now + 60)


# --------------------------------------------------------------------------------------------
# scenario: flood
# --------------------------------------------------------------------------------------------


async def flood_run(
    args: argparse.Namespace, routes: dict[str, str], work: Path, result: Result, kind: str
) -> None:
    n = 200 if args.quick else 500
    texts = ACUTE_TEXTS if kind == "acute" else OFFICER_TEXTS + REPORT_TEXTS
    rate = RateLimit(per_second=30, per_group_per_minute=20)
    async with World(f"flood-{kind}", work, routes, rate_limit=rate) as world:
        flooder, other = people(40_000_000, 2)
        await world.onboard([flooder, other])
        await wait_quiet(world.fake, world.db, world.now + 90)
        t0 = world.now
        mine: Written | None = None
        routine: Written | None = None
        theirs: list[Written] = []
        for i in range(n):
            await sleep_until(t0 + i / 100)  # 100 messages a second from one phone
            theirs.append(world.write(flooder, texts[i % len(texts)]))
            if i == n // 4:
                mine = world.write(other, ACUTE_TEXTS[0])
            if i == n // 4 + 50:
                routine = world.write(other, OFFICER_TEXTS[0])
        assert mine is not None and routine is not None
        limit = 150.0

        def done() -> bool:
            return bool(world.copies(mine) and world.copies(routine)) and bool(
                world.acute_answers(other.user_id, mine.t)
            )

        await world.rec.wait(done, timeout=max(1.0, mine.t + limit - world.now))
        answers = world.acute_answers(other.user_id, mine.t)
        answer = answers[0] - mine.t if answers else None
        alert = world.copies(mine)
        alert_s = alert[0] - mine.t if alert else None
        relay = world.copies(routine)
        relay_s = relay[0] - routine.t if relay else None
        seen = world.now - mine.t
        flooder_done = sum(1 for w in theirs if world.copies(w))
        flooder_answers = len(world.acute_answers(flooder.user_id, t0))
        limited = Counter(
            "group" if int(c.params.get("chat_id", 0)) < 0 else "private"
            for c in world.fake.calls
            if c.method == "sendMessage" and c.status == 429
        )
        label = f"{n} {kind} from one ambassador"
        result.figures[label] = (
            f"other's 112 answer {fmt_s(answer)}, alert "
            f"{fmt_s(alert_s) if alert else f'not within {seen:.0f} s'}, relay "
            f"{fmt_s(relay_s) if relay else f'not within {seen:.0f} s'}; flooder: "
            f"{flooder_done} of {n} in the group, {flooder_answers} 112 answers; "
            f"HTTP 429 answers: {limited.get('group', 0)} for the group, "
            f"{limited.get('private', 0)} for private chats"
        )
        result.targets += [
            Target(
                f"{kind} flood: other's 112 answer within 2 s",
                answer is not None and answer <= 2.0,
                fmt_s(answer) if answer is not None else "none",
            ),
            Target(
                f"{kind} flood: other's alert in the group within 20 s",
                alert_s is not None and alert_s <= 20.0,
                fmt_s(alert_s) if alert_s is not None else f"none within {seen:.0f} s",
            ),
            Target(
                f"{kind} flood: other's routine relay within 2 minutes",
                relay_s is not None and relay_s <= 120.0,
                fmt_s(relay_s) if relay_s is not None else f"none within {seen:.0f} s",
            ),
        ]


async def scenario_flood(args: argparse.Namespace, routes: dict[str, str], work: Path) -> Result:
    n = 200 if args.quick else 500
    result = Result(
        "flood",
        f"{n} acute, then (fresh bot) {n} routine messages from one ambassador at 100/s; "
        "the fake enforces 30/s and 20 a minute per group",
    )
    for kind in ("acute", "routine"):
        await flood_run(args, routes, work, result, kind)
    return result


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

SCENARIOS: dict[str, tuple[Callable[..., Awaitable[Result]], float]] = {
    # name: (function, time limit in seconds for the full size)
    "kills": (scenario_kills, 1500),
    "send-faults": (scenario_send_faults, 1200),
    "storage": (scenario_storage, 900),
    "flood": (scenario_flood, 900),
}


def verified_routes() -> dict[str, str]:
    """The bot's own route for every text the harness writes (tags do not change it)."""
    texts = [*ACUTE_TEXTS, *REPORT_TEXTS, *OFFICER_TEXTS]
    plain = classify(texts)
    with_tag = classify([tagged(t, "m", 123) for t in texts])
    routes = {}
    for text, a, b in zip(texts, plain, with_tag, strict=True):
        if a["route"] != b["route"]:
            raise RuntimeError(f"a tag changes the route of {text!r}: {a['route']} / {b['route']}")
        routes[text] = str(a["route"])
    meant = {**dict.fromkeys(ACUTE_TEXTS, "acute"), **dict.fromkeys(REPORT_TEXTS, "report")}
    for text, route in routes.items():
        if route != meant.get(text, "officer"):
            print(f"note: the classifier routes {text!r} as {route}; counted as such")
    return routes


async def run(args: argparse.Namespace, chosen: list[str], work: Path) -> list[Result]:
    routes = verified_routes()
    results = []
    for name in chosen:
        function, limit = SCENARIOS[name]
        started = time.monotonic()
        print(f"-- {name} ...", flush=True)
        try:
            async with asyncio.timeout(limit):
                result = await function(args, routes, work)
        except TimeoutError:
            result = Result(name, "did not finish")
            result.targets.append(Target(f"finished within {limit:.0f} s", False))
        except Exception as exc:  # report and go on with the next scenario
            traceback.print_exc()
            result = Result(name, "stopped by an error")
            result.targets.append(Target("ran to the end", False, f"{type(exc).__name__}: {exc}"))
        result.seconds = time.monotonic() - started
        result.figures["load average (1, 5, 15 min) at the end"] = load_average()
        result.print()
        results.append(result)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for name in SCENARIOS:
        parser.add_argument(f"--{name}", action="store_true", help=f"run the {name} scenario")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--quick", action="store_true", help="smaller traffic, shorter run")
    parser.add_argument(
        "--slow-seconds",
        type=float,
        default=20.0,
        help="send-faults: how late a slow answer comes (default 20, beyond the bot's timeout)",
    )
    parser.add_argument(
        "--retry-after", type=int, default=2, help="send-faults: retry_after of an injected 429"
    )
    parser.add_argument(
        "--faults-on-all-methods",
        action="store_true",
        help="send-faults: inject on every Bot API call, getUpdates included",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--workdir", type=Path, help="keep databases and bot logs here (default: a temp dir)"
    )
    args = parser.parse_args()
    chosen = [name for name in SCENARIOS if getattr(args, name.replace("-", "_"))]
    chosen = chosen or list(SCENARIOS)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        work_ctx: contextlib.AbstractContextManager[str] = contextlib.nullcontext(str(args.workdir))
    else:
        work_ctx = tempfile.TemporaryDirectory(prefix="tryghedsbot-faults-")
    with work_ctx as work:
        results = asyncio.run(run(args, chosen, Path(work)))
    print()
    print(
        "summary: " + ", ".join(f"{r.scenario} {'PASS' if r.passed else 'FAIL'}" for r in results)
    )
    if args.json is not None:
        args.json.write_text(
            json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
