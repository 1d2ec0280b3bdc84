"""Running the programme, as rules over real SQLite on a hand-driven clock: office time,
figures per area and week (with an ambassador who moved), pulse thresholds, a new agreement
version from the content folder, and SMS language words."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_config, parse_config
from bot.root import build_context
from flows import arrivals, pulse, register
from flows.content import ContentError, load_content
from flows.context import FlowContext
from flows.figures import MIN_GROUP, Period
from flows.hours import default_office_hours
from flows.model import Ambassador, AmbassadorState, Channel, Inbound
from flows.onboarding import agreement_version
from flows.reporting import collect
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


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    clock = HandClock(local(2026, 11, 23, 11, 0))  # a Monday morning
    cfg = parse_config(config_text("http://x/bot", "http://x/file", tmp_path / "b.sqlite3"), "t")
    ctx = build_context(cfg, clock)
    ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, sms_enabled=True))
    db = await Database.open(cfg.storage.path)
    yield Env(db, ctx, clock)
    await db.close()


async def member(env: Env, name: str, *, channel: Channel = Channel.TELEGRAM) -> Ambassador:
    async with env.db.transaction() as tx:
        count = len(await tx.ambassadors.find())
        address = f"+4520{count:06d}" if channel == Channel.SMS else str(7000 + count)
        amb = await tx.ambassadors.create(
            channel=channel, address=address, name=name, area_id="herning", officer_id="mj",
            state=AmbassadorState.INVITED, language="da", now=env.clock.now(),
        )  # fmt: skip
        await tx.ambassadors.accept(amb.id, agreement_version(env.ctx), env.clock.now())
        found = await tx.ambassadors.get(amb.id)
    assert found is not None
    return found


async def says(env: Env, amb: Ambassador, text: str) -> None:
    inbound = Inbound(
        channel=amb.channel,
        address=amb.address,
        dedupe_key=f"t:{env.clock.now().isoformat()}:{text}",
        received_at=env.clock.now(),
        text=text,
    )
    async with env.db.transaction() as tx:
        await arrivals.handle_inbound(env.ctx, tx, inbound)


async def outbox_texts(env: Env) -> list[str]:
    async with env.db.read() as tx:
        rows = await tx.outbox._all("SELECT payload FROM outbox ORDER BY id")
    import json

    return [json.loads(r["payload"])["text"] for r in rows]


def test_office_time_counts_only_open_hours() -> None:
    hours = default_office_hours()
    friday_evening, monday_nine = local(2026, 11, 27, 18, 0), local(2026, 11, 30, 9, 0)
    assert hours.open_between(friday_evening, monday_nine) == timedelta(hours=1)
    # Thursday 14:00 to Friday 10:00: 1.5 h on Thursday, 2 h on Friday.
    assert hours.open_between(local(2026, 11, 26, 14), local(2026, 11, 27, 10)) == timedelta(
        hours=3, minutes=30
    )
    # Christmas Eve and the days around it are closed.
    assert hours.open_between(local(2026, 12, 23, 16), local(2026, 12, 28, 8)) == timedelta(0)
    assert hours.open_between(monday_nine, friday_evening) == timedelta(0)


async def test_figures_count_where_the_ambassador_was_and_office_time(env: Env) -> None:
    anna = await member(env, "Anna")
    bo = await member(env, "Bo")
    await says(env, anna, "Der er en mand med en kniv ved Netto nu!")  # acute
    await says(env, bo, "Min cykel blev stjålet i nat fra carporten")  # report
    env.clock.at = local(2026, 11, 23, 15, 0)
    await says(env, bo, "Hvornår er der borgermøde?")  # officer, 15:00 Monday
    env.clock.at = local(2026, 11, 24, 9, 0)  # answered Tuesday 09:00: 1.5 office hours
    async with env.db.transaction() as tx:
        await tx.messages.mark_answered(bo.id, env.clock.now())
        await register.move(env.ctx, tx, anna, area="ikast", by="test")
    env.clock.at = local(2026, 12, 1, 10, 0)  # the next week, in Ikast now
    await says(env, anna, "Tak for hjælpen i går")
    async with env.db.read() as tx:
        figures = await collect(env.ctx, tx, Period(date(2026, 11, 23), date(2026, 12, 6)))
    data = figures.to_json()
    herning, ikast = data["areas"]
    assert (herning["messages_in"], herning["acute"], herning["report"]) == (3, 1, 1)
    assert herning["weeks"][0]["ambassadors_active"] == 2  # both, the first week
    assert herning["weeks"][1]["ambassadors_active"] == 1  # Anna moved on Tuesday
    assert ikast["weeks"][1]["ambassadors_active"] == 1 and ikast["messages_in"] == 1
    # Bo's reply at 09:00 Tuesday answers both his messages: the 15:00 one after 30 min on
    # Monday + 60 min on Tuesday (the night not counted), the 11:00 one after 4.5 h + 1 h.
    assert herning["answered"] == 2
    assert herning["median_reply_office_minutes"] == (90 + 330) / 2
    assert data["totals"]["messages_in"] == 4


def test_pulse_results_hide_small_groups() -> None:
    assert pulse.tally([4]) == {"responses": 1, "counts": None, "mean": None}
    shown = pulse.tally([4, 5, 2])
    assert len([4, 5, 2]) == MIN_GROUP and shown["mean"] == 3.67
    assert shown["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert [pulse.digit(t) for t in ("4", " 5. ", "3!", "45", "6", "0", "4 tak")] == [
        4, 5, 3, None, None, None, None]  # fmt: skip


async def test_a_new_agreement_version_holds_messages_until_accepted(
    env: Env, tmp_path: Path
) -> None:
    anna = await member(env, "Anna")
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "da.toml").write_text('[agreement]\nversion = "2027-1"\n', encoding="utf-8")
    content = load_content(str(folder))
    env.ctx = dataclasses.replace(env.ctx, texts=content.texts, tips=content.tips)

    await says(env, anna, "Min cykel blev stjålet i nat fra carporten")
    sent = await outbox_texts(env)
    assert any("1-1-4" in t for t in sent)  # the 114 answer does not wait
    assert any("version 2027-1" in t for t in sent)
    assert not any("carporten" in t for t in sent)  # not relayed yet
    await says(env, anna, "Der er en mand med en kniv ved Netto nu!")
    assert any("kniv ved Netto" in t for t in await outbox_texts(env))  # 112 never waits
    await says(env, anna, "ja")
    sent = await outbox_texts(env)
    assert any("accepteret partnerskabsaftalen (version 2027-1)" in t for t in sent)
    assert any("carporten" in t for t in sent)  # relayed now
    async with env.db.read() as tx:
        found = await tx.ambassadors.get(anna.id)
    assert found is not None and found.agreement_version == "2027-1"


def test_content_folder_errors_name_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "en.toml").write_text('[agreement]\nsummary = "{oops}"\n', encoding="utf-8")
    with pytest.raises(ContentError, match="placeholders differ"):
        load_content(str(folder))
    (folder / "en.toml").unlink()
    (folder / "tips.toml").write_text("[[tips]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"tips\.toml"):
        load_content(str(folder))
    cfg = tmp_path / "c.toml"
    text = config_text("http://x/bot", "http://x/file", tmp_path / "b.sqlite3")
    cfg.write_text(text + '\n[content]\npath = "content"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[content\] path: .*tips.toml"):
        load_config(cfg)


async def test_sms_language_words_switch_language(env: Env) -> None:
    bo = await member(env, "Bo", channel=Channel.SMS)
    await says(env, bo, "ENGLISH")
    async with env.db.read() as tx:
        found = await tx.ambassadors.get(bo.id)
    assert found is not None and found.language == "en"
    await says(env, bo, "Dansk")
    async with env.db.read() as tx:
        found = await tx.ambassadors.get(bo.id)
    assert found is not None and found.language == "da"
    sent = await outbox_texts(env)
    assert sent[-2:] == ["The language is now English.", "Sproget er nu dansk."]
