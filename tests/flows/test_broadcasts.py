"""Broadcast planning, scheduling and fan-out against real SQLite, on a hand-driven clock:
validation, previews, skipped ambassadors, quiet hours, summer time, grace, restarts."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import parse_config
from bot.root import build_context
from bot.scheduler import BroadcastScheduler
from flows.broadcasts import fanout, planning
from flows.broadcasts.model import BroadcastError
from flows.broadcasts.planning import make_plan
from flows.broadcasts.schedule import Occurrence, Rhythm, Schedule, ScheduleError
from flows.context import FlowContext
from flows.hours import QuietHours
from flows.model import Ambassador, AmbassadorState, Channel, Lane, Outbound, OutKind, Priority
from storage.db import Database
from tests.conftest import config_text

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH).astimezone(UTC)  # type: ignore[misc]


@dataclass
class HandClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


@dataclass
class Env:
    db: Database
    ctx: FlowContext
    clock: HandClock

    def scheduler(self, chunk: int = 500) -> BroadcastScheduler:
        return BroadcastScheduler(self.db, self.ctx, chunk=chunk)


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    clock = HandClock(local(2026, 11, 23, 11, 0))  # a Monday morning
    cfg = parse_config(config_text("http://x/bot", "http://x/file", tmp_path / "b.sqlite3"), "t")
    ctx = build_context(cfg, clock)
    ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, sms_enabled=True))
    db = await Database.open(cfg.storage.path)
    yield Env(db, ctx, clock)
    await db.close()


async def add(
    env: Env,
    n: int,
    *,
    channel: Channel = Channel.TELEGRAM,
    area: str = "herning",
    state: AmbassadorState = AmbassadorState.ACTIVE,
    unreachable: bool = False,
    language: str = "da",
) -> list[Ambassador]:
    out = []
    async with env.db.transaction() as tx:
        for _ in range(n):
            count = len(await tx.ambassadors.find())
            address = f"+4520{count:06d}" if channel == Channel.SMS else str(7000 + count)
            amb = await tx.ambassadors.create(
                channel=channel, address=address, name=f"A{count}", area_id=area,
                officer_id="mj", state=state, language=language, now=env.clock.now(),
            )  # fmt: skip
            if unreachable:
                await tx.ambassadors.set_unreachable(amb.id, True, env.clock.now())
            out.append(amb)
    return out


async def plan(env: Env, **kwargs: object) -> int:
    async with env.db.transaction() as tx:
        return await planning.create(env.ctx, tx, make_plan(env.ctx, **kwargs), "test")  # type: ignore[arg-type]


async def rows(env: Env, sql: str, *params: object) -> list[dict[str, object]]:
    async with env.db.read() as tx:
        return [dict(r) for r in await tx.broadcasts._all(sql, params)]


async def outbox_pushes(env: Env) -> list[dict[str, object]]:
    return await rows(env, "SELECT * FROM outbox WHERE kind = 'push' ORDER BY id")


# -- planning -------------------------------------------------------------------------------


def test_plan_validation(env: Env) -> None:
    ctx = env.ctx
    with pytest.raises(BroadcastError, match="unknown area"):
        make_plan(ctx, areas=["aarhus"], text="hej")
    with pytest.raises(BroadcastError, match="channel"):
        make_plan(ctx, channel="fax", text="hej")
    with pytest.raises(BroadcastError, match="either a text or a tip"):
        make_plan(ctx, text="hej", tip_topic="indbrud")
    with pytest.raises(BroadcastError, match="either a text or a tip"):
        make_plan(ctx)
    with pytest.raises(BroadcastError, match="either a text or a tip"):
        make_plan(ctx, text="   ")
    with pytest.raises(BroadcastError, match="unknown tip topic"):
        make_plan(ctx, tip_topic="bandekrig")
    with pytest.raises(BroadcastError, match="at most"):
        make_plan(ctx, text="x" * 4000)
    with pytest.raises(BroadcastError, match="already passed"):
        make_plan(ctx, text="hej", at="2026-11-01 10:00")
    with pytest.raises(BroadcastError, match="not a date and time"):
        make_plan(ctx, text="hej", at="i morgen")
    with pytest.raises(BroadcastError, match="not both"):
        make_plan(ctx, text="hej", at="2026-12-01 10:00", every="mon 18:00")
    with pytest.raises(BroadcastError, match="unknown day"):
        make_plan(ctx, text="hej", every="blursday 18:00")
    with pytest.raises(BroadcastError, match="never runs"):
        make_plan(ctx, text="hej", every="mon 18:00", until="2026-11-01")
    ok = make_plan(ctx, areas=["herning", "ikast"], channel="sms", tip_topic="digital",
                   every="man,tor 18:00", starts="2026-11-01", until="2026-11-30")  # fmt: skip
    assert ok.audience.channels() == (Channel.SMS,)
    assert ok.schedule.rhythm is not None and ok.schedule.rhythm.describe() == "mon,thu 18:00"


def test_rhythm_forms() -> None:
    assert Rhythm.parse("dagligt 07:30").describe() == "daily 07:30"
    assert Rhythm.parse("0 18 * * mon").describe() == "mon 18:00"
    assert Rhythm.parse("30 2 * * *").describe() == "daily 02:30"
    assert Rhythm.parse("0 9 1 * *").describe() == "0 9 1 * *"
    with pytest.raises(ScheduleError):
        Rhythm.parse("61 2 * * *")
    with pytest.raises(ScheduleError):
        Rhythm.parse("mon 25:00")


def test_dst_wall_clock_occurrences() -> None:
    """02:30 daily: once on the autumn night (the first 02:30), at 03:30 on the spring night."""
    s = Schedule("rhythm", rhythm=Rhythm.parse("daily 02:30"))
    autumn = [o for o in _run(s, local(2026, 10, 24, 12, 0), local(2026, 10, 26, 12, 0))]
    assert [o.key for o in autumn] == ["2026-10-25T02:30", "2026-10-26T02:30"]
    assert autumn[0].due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, the first
    spring = [o for o in _run(s, local(2027, 3, 27, 12, 0), local(2027, 3, 28, 12, 0))]
    assert [o.key for o in spring] == ["2027-03-28T02:30"]
    assert spring[0].due.astimezone(CPH).strftime("%H:%M") == "03:30"


def _run(s: Schedule, start: datetime, end: datetime) -> list[Occurrence]:
    out = []
    occ = s.next_after(start)
    while occ is not None and occ.due <= end:
        out.append(occ)
        occ = s.next_after(occ.due)
    return out


# -- preview and fan-out --------------------------------------------------------------------


async def test_preview_counts_per_channel_and_sms_segments(env: Env) -> None:
    await add(env, 3)
    await add(env, 2, channel=Channel.SMS)
    await add(env, 1, channel=Channel.SMS, area="ikast")
    await add(env, 1, state=AmbassadorState.PAUSED)
    text = "Husk at låse døren. " * 10  # 200 GSM-7 characters: two parts
    async with env.db.read() as tx:
        view = await planning.preview(env.ctx, tx, make_plan(env.ctx, text=text), None)
        herning_sms = await planning.preview(
            env.ctx, tx, make_plan(env.ctx, text="Hej 👋", areas=["herning"], channel="sms"), None
        )
    assert (view.telegram, view.sms, view.sms_segments, view.sms_total) == (3, 3, 2, 6)
    assert view.skipped == {"paused": 1}
    assert view.plain == f"{env.ctx.settings.programme_name}\n{text.strip()}"  # signed
    assert (herning_sms.telegram, herning_sms.sms, herning_sms.sms_total) == (0, 2, 2)


async def test_fan_out_skips_with_reasons_and_counts(env: Env) -> None:
    active = await add(env, 3)
    await add(env, 1, state=AmbassadorState.PAUSED)
    await add(env, 1, state=AmbassadorState.PENDING)
    await add(env, 1, unreachable=True)
    await add(env, 2, area="ikast")  # outside the audience: no row at all
    bid = await plan(env, text="Borgermøde i aften kl. 19 <på skolen>", areas=["herning"])
    await env.scheduler().tick()
    async with env.db.read() as tx:
        counts = await tx.broadcasts.counts(bid)
        reasons = await tx.broadcasts.reasons(bid)
        found = await tx.broadcasts.get(bid)
        status = found.status if found else None
    assert counts == {"queued": 3, "sent": 0, "delivered": 0, "failed": 0, "skipped": 3}
    assert reasons == {"skipped:paused": 1, "skipped:not_active": 1, "skipped:unreachable": 1}
    assert status == "done"
    pushes = await outbox_pushes(env)
    assert sorted(str(p["address"]) for p in pushes) == sorted(a.address for a in active)
    assert all(p["priority"] == Priority.PUSH for p in pushes)
    assert "&lt;på skolen&gt;" in str(pushes[0]["payload"])


async def test_delivery_hooks_update_rows(env: Env) -> None:
    await add(env, 2)
    bid = await plan(env, text="hej")
    await env.scheduler().tick()
    deliveries = await rows(env, "SELECT * FROM broadcast_deliveries ORDER BY id")
    from flows import delivery

    items = [
        Outbound(lane=Lane.AMBASSADOR, kind=OutKind.PUSH, priority=Priority.PUSH,
                 channel=Channel.TELEGRAM, address="x", ambassador_id=int(str(d["ambassador_id"])),
                 broadcast_delivery_id=int(str(d["id"])))
        for d in deliveries
    ]  # fmt: skip
    async with env.db.transaction() as tx:
        await delivery.sent(env.ctx, tx, items[0], "1")
        await delivery.failed(env.ctx, tx, items[1], delivery.FailReason.BLOCKED, "403")
        counts = await tx.broadcasts.counts(bid)
        amb = await tx.ambassadors.get(int(str(deliveries[1]["ambassador_id"])))
    assert counts["sent"] == 1 and counts["failed"] == 1
    assert amb is not None and amb.unreachable  # a 403 marks the ambassador unreachable


async def test_quiet_hours_hold_pushes_until_morning(env: Env) -> None:
    env.ctx = build_context(
        parse_config(config_text("http://x/bot", "http://x/f", Path(env.db.path)), "t"), env.clock
    )
    assert env.ctx.settings.quiet_hours == QuietHours.parse("21:00-08:00")
    await add(env, 2)
    env.clock.at = local(2026, 11, 23, 22, 15)
    await plan(env, text="Sent om aftenen")
    await env.scheduler().tick()
    pushes = await outbox_pushes(env)
    assert len(pushes) == 2
    release = datetime.fromisoformat(str(pushes[0]["next_attempt_at"]))
    assert release == local(2026, 11, 24, 8, 0)
    async with env.db.read() as tx:
        view = await planning.preview(
            env.ctx, tx, make_plan(env.ctx, text="x"), env.ctx.settings.quiet_hours
        )
    assert view.goes_out == local(2026, 11, 24, 8, 0)


async def test_dst_autumn_night_runs_once_with_the_scheduler(env: Env) -> None:
    await add(env, 1)
    env.clock.at = local(2026, 10, 24, 12, 0)
    bid = await plan(env, text="nattevagt", every="daily 02:30")
    sched = env.scheduler()
    # Walk through the autumn night in 10-minute steps, ticking as the sweep would.
    at = local(2026, 10, 25, 0, 0)
    while at < local(2026, 10, 25, 5, 0):
        env.clock.at = at
        await sched.tick()
        at += timedelta(minutes=10)
    occ = await rows(env, "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ?", bid)
    assert [(o["scheduled_for"], o["status"]) for o in occ] == [("2026-10-25T02:30", "done")]
    assert len(await outbox_pushes(env)) == 1
    # Spring: the missing 02:30 runs at 03:30.
    env.clock.at = local(2027, 3, 27, 12, 0)
    spring = await plan(env, text="forår", every="daily 02:30")
    env.clock.at = local(2027, 3, 28, 3, 29)
    await sched.tick()
    assert not await rows(env, "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ?", spring)
    env.clock.at = local(2027, 3, 28, 3, 30)
    await sched.tick()
    occ = await rows(env, "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ?", spring)
    assert [o["scheduled_for"] for o in occ] == ["2027-03-28T02:30"]


async def test_grace_period_after_downtime(env: Env) -> None:
    await add(env, 2)
    within = await plan(env, text="inden for fristen", at="2026-11-23 12:00")
    beyond = await plan(env, text="for sent", at="2026-11-23 12:00")
    weekly = await plan(env, text="ugentlig", every="mon 12:00")
    # The bot was down: it starts 5 h later (grace is 6 h) ...
    env.clock.at = local(2026, 11, 23, 17, 0)
    async with env.db.transaction() as tx:
        await tx.broadcasts._exec(
            "UPDATE broadcasts SET run_at = ? WHERE id = ?",
            (local(2026, 11, 23, 10, 0).isoformat(), beyond),
        )
    await env.scheduler().tick()
    status = {
        int(str(o["broadcast_id"])): o["status"]
        for o in await rows(env, "SELECT * FROM broadcast_occurrences")
    }
    assert status == {within: "done", beyond: "missed", weekly: "done"}
    async with env.db.read() as tx:
        assert (await tx.broadcasts.counts(within))["queued"] == 2
        assert sum((await tx.broadcasts.counts(beyond)).values()) == 0
    # ... and never twice: another start finds nothing more to do.
    await env.scheduler().tick()
    assert len(await outbox_pushes(env)) == 4
    # A week of downtime for the weekly push: the last occurrence is still missed (> 6 h).
    env.clock.at = local(2026, 12, 7, 19, 0)
    await env.scheduler().tick()
    weekly_occ = await rows(
        env, "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ? ORDER BY id", weekly
    )
    assert [(o["scheduled_for"], o["status"]) for o in weekly_occ] == [
        ("2026-11-23T12:00", "done"),
        ("2026-11-30T12:00", "missed"),
        ("2026-12-07T12:00", "missed"),
    ]


async def test_restart_in_the_middle_of_a_fan_out(env: Env) -> None:
    ambassadors = await add(env, 7)
    bid = await plan(env, text="midt i udsendelsen")
    first = env.scheduler(chunk=3)
    async with env.db.transaction() as tx:
        b = await tx.broadcasts.get(bid)
        assert b is not None
        [occ] = await fanout.due_occurrences(env.ctx, tx, b, first.grace)
    async with env.db.transaction() as tx:  # one chunk committed ...
        assert await fanout.fan_out_chunk(env.ctx, tx, b, occ, None, 3) == 3
    with pytest.raises(RuntimeError):  # ... the next one dies half-way (rolled back)
        async with env.db.transaction() as tx:
            await fanout.fan_out_chunk(env.ctx, tx, b, occ, None, 2)
            raise RuntimeError("power cut")
    assert len(await outbox_pushes(env)) == 3
    await env.scheduler(chunk=3).tick()  # the next start resumes the open occurrence
    await env.scheduler(chunk=3).tick()
    pushes = await outbox_pushes(env)
    assert sorted(str(p["address"]) for p in pushes) == sorted(a.address for a in ambassadors)
    deliveries = await rows(env, "SELECT * FROM broadcast_deliveries")
    assert len(deliveries) == 7 == len({d["ambassador_id"] for d in deliveries})


async def test_tip_of_the_week_gives_each_the_next_unseen_tip(env: Env) -> None:
    [anna, bo] = await add(env, 2)
    await add(env, 1, language="en")
    async with env.db.transaction() as tx:
        await tx.broadcasts.record_tip(anna.id, "indbrud-1", env.clock.now())
    bid = await plan(env, tip_topic="indbrud", every="mon 18:00")
    sched = env.scheduler()
    env.clock.at = local(2026, 11, 23, 18, 0)
    await sched.tick()
    env.clock.at = local(2026, 11, 30, 18, 0)
    await sched.tick()
    got = await rows(
        env, "SELECT ambassador_id, tip_id FROM broadcast_deliveries ORDER BY occurrence_id, id"
    )
    by_amb: dict[object, list[object]] = {}
    for r in got:
        by_amb.setdefault(r["ambassador_id"], []).append(r["tip_id"])
    assert by_amb[anna.id] == ["indbrud-2", "indbrud-3"]
    assert by_amb[bo.id] == ["indbrud-1", "indbrud-2"]
    english = [
        str(p["payload"]) for p in await outbox_pushes(env) if "Look lived-in" in str(p["payload"])
    ]
    assert english  # English where given
    async with env.db.read() as tx:
        assert (await tx.broadcasts.counts(bid))["queued"] == 6


async def test_cancelled_plan_does_not_run(env: Env) -> None:
    await add(env, 1)
    bid = await plan(env, text="aflyst", at="2026-11-23 15:00")
    async with env.db.transaction() as tx:
        assert await planning.cancel(env.ctx, tx, bid, "test")
        assert not await planning.cancel(env.ctx, tx, bid, "test")
    env.clock.at = local(2026, 11, 23, 15, 1)
    await env.scheduler().tick()
    assert not await outbox_pushes(env)
