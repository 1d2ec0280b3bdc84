"""Pushes end to end: real PTB client against the fake Bot API, real SQLite, the running
scheduler; the coordinator's wizard, the command line, restarts and answers to pushes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.broadcasts import planning
from flows.model import Channel
from tests.conftest import COORDINATOR, OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, text_of

ANNA, BO, CARL = 5001, 5002, 5003


def local_minute(clock: ShiftedClock) -> str:
    from zoneinfo import ZoneInfo

    return clock.now().astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%Y-%m-%d %H:%M")


async def push_now(app: Runtime, text: str, **kwargs: Any) -> int:
    assert app.db is not None and app.ctx is not None
    async with app.db.transaction() as tx:
        plan = planning.make_plan(app.ctx, text=text, **kwargs)
        return await planning.create(app.ctx, tx, plan, "test")


async def counts(app: Runtime, broadcast_id: int) -> dict[str, int]:
    assert app.db is not None
    async with app.db.read() as tx:
        return await tx.broadcasts.counts(broadcast_id)


async def wait_counts(
    app: Runtime, broadcast_id: int, predicate: Callable[[dict[str, int]], bool]
) -> dict[str, int]:
    """Look again after each delivery the dispatcher reports (or every half second)."""
    assert app.dispatcher is not None
    progress = app.dispatcher._progress
    async with asyncio.timeout(10):
        while not predicate(found := await counts(app, broadcast_id)):
            async with progress:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await progress.wait()
    return found


async def test_push_reaches_ambassadors_and_answers_show_it(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
    await onboard(app, fake, CARL, "Carl")
    fake.block_user(CARL)
    bid = await push_now(app, "Husk refleks i mørket – også på korte ture.")
    await said(fake, ANNA, "Husk refleks i mørket")
    await said(fake, BO, "Husk refleks i mørket")
    found = await wait_counts(app, bid, lambda c: c["sent"] == 2 and c["failed"] == 1)
    assert found["queued"] == 0
    assert app.db is not None
    async with app.db.read() as tx:
        carl = await tx.ambassadors.by_address(Channel.TELEGRAM, str(CARL))
        reasons = await tx.broadcasts.reasons(bid)
    assert carl is not None and carl.unreachable
    assert reasons == {"failed:blocked": 1}

    fake.push_update(fake.make_private_message(ANNA, "Tak, jeg deler det i foreningen"))
    relayed = (await said(fake, OFFICERS_CHAT, "jeg deler det i foreningen"))[0]
    assert "↪ Svar på: «Husk refleks i mørket – også på korte ture.»" in text_of(relayed)
    fake.push_update(fake.make_private_message(ANNA, "Og en ting mere"))
    second = (await said(fake, OFFICERS_CHAT, "Og en ting mere"))[0]
    assert "Svar på" not in text_of(second)  # only the first message after a push


async def test_coordinator_composes_a_push_with_buttons(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
    fake.add_private_user(COORDINATOR, "Karin", "Koordinator")

    def last_with_buttons() -> dict[str, Any]:
        return [m for m in fake.sent_messages(COORDINATOR) if m.get("reply_markup")][-1]

    def press(data: str) -> None:
        fake.push_update(fake.make_callback_query(COORDINATOR, data, last_with_buttons()))

    fake.push_update(fake.make_private_message(COORDINATOR, "/kampagne"))
    ask = (await said(fake, COORDINATOR, "Hvem skal have den?"))[0]
    buttons = [b["callback_data"] for row in ask["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["bc:a:*", "bc:a:herning", "bc:a:ikast"]
    press("bc:a:herning")
    await said(fake, COORDINATOR, "Hvad skal der stå?")
    fake.push_update(
        fake.make_private_message(COORDINATOR, "Borgermøde om indbrud på torsdag kl. 19")
    )
    await said(fake, COORDINATOR, "Hvornår skal den ud?")
    press("bc:w:now")
    figures = (await said(fake, COORDINATOR, "Modtagere"))[0]
    assert "1 på Telegram, 0 på SMS" in text_of(figures)
    assert "SMS'er i alt: 0" in text_of(figures)
    preview = [text_of(m) for m in fake.sent_messages(COORDINATOR)]
    # Exactly as ambassadors see it: signed with the programme's and the coordinator's name.
    assert "Politikreds\nBorgermøde om indbrud på torsdag kl. 19\n– Karin Koordinator" in preview
    assert not [m for m in fake.sent_messages(ANNA) if "Borgermøde" in text_of(m)]
    press("bc:ok")
    await said(fake, COORDINATOR, "er planlagt")
    await said(fake, ANNA, "Borgermøde om indbrud")
    assert not [m for m in fake.sent_messages(BO) if "Borgermøde" in text_of(m)]

    # A planned rhythm, and the draft survives in SQLite between steps.
    fake.push_update(fake.make_private_message(COORDINATOR, "/kampagne"))
    await said(fake, COORDINATOR, "Hvem skal have den?", count=2)
    fake.push_update(fake.make_private_message(COORDINATOR, "herning, Ikast"))
    await said(fake, COORDINATOR, "Hvad skal der stå?", count=2)
    press("bc:t:digital")
    await said(fake, COORDINATOR, "Hvornår skal den ud?", count=2)
    press("bc:w:every")
    await said(fake, COORDINATOR, "Skriv rytmen")
    fake.push_update(fake.make_private_message(COORDINATOR, "hver mandag ved seks-tiden"))
    refusal = (await said(fake, COORDINATOR, "Det kunne jeg ikke bruge"))[0]
    assert "skriv en dag og et klokkeslæt" in text_of(refusal)  # in the coordinator's Danish
    await said(fake, COORDINATOR, "Hvornår skal den ud?", count=3)  # asked again
    press("bc:w:every")
    await said(fake, COORDINATOR, "Skriv rytmen", count=2)
    fake.push_update(fake.make_private_message(COORDINATOR, "man 18:00 til 2026-12-31"))
    figures = (await said(fake, COORDINATOR, "Modtagere", count=2))[-1]
    assert "2 på Telegram" in text_of(figures) and "man 18:00 til 2026-12-31" in text_of(figures)
    press("bc:ok")
    await said(fake, COORDINATOR, "er planlagt", count=2)
    assert app.db is not None
    async with app.db.read() as tx:
        plans = await tx.broadcasts.listing()
    rhythm = plans[0].plan.schedule.rhythm
    assert (plans[0].plan.tip_topic, rhythm.describe() if rhythm else None, plans[0].status) == (
        "digital", "mon 18:00", "scheduled")  # fmt: skip


async def test_non_coordinators_are_refused(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/kampagne"))
    await said(fake, ANNA, "Kun koordinatorer kan planlægge og annullere udsendelser")
    offer = fake.sent_messages(ANNA)[-1]
    fake.push_update(fake.make_callback_query(ANNA, "bc:ok", offer))
    await said(fake, ANNA, "Kun koordinatorer", count=2)
    assert app.db is not None
    async with app.db.read() as tx:
        assert not await tx.broadcasts.listing()


async def test_cli_plan_is_picked_up_by_the_running_bot(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    config = make_config()
    app = Runtime(config, secrets, clock=clock, sweep_every=0.2)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")
        path = config.storage.path
        cfg_file = f"{path}.toml"
        from tests.conftest import config_text

        text = config_text(fake.base_url, fake.base_file_url, Path(path))
        await asyncio.to_thread(Path(cfg_file).write_text, text, "utf-8")
        argv = ["broadcast", "create", "--config", cfg_file, "--text", "Fra kommandolinjen",
                "--at", local_minute(clock), "--json"]  # fmt: skip
        assert await asyncio.to_thread(functools.partial(main, argv, clock=clock)) == 0
        await said(fake, ANNA, "Fra kommandolinjen")
    finally:
        await app.stop()


async def test_restart_while_the_bot_api_fails_sends_exactly_once(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    app = Runtime(make_config(), secrets, clock=clock)
    await app.start()
    users = [ANNA, BO, CARL]
    for n, user in enumerate(users):
        await onboard(app, fake, user, f"Person{n}")
    for user in users:
        fake.fail_next("sendMessage", status=500, chat_id=user, count=1000)
    bid = await push_now(app, "Under nedbrud")
    await fake.wait_for_call(
        "sendMessage",
        count=3,
        predicate=lambda c: c.status == 500 and c.params.get("chat_id") in users,
    )
    await app.stop()  # the process goes away with the pushes still in the outbox

    fake.clear_failures()
    again = Runtime(make_config(), secrets, clock=clock)
    await again.start()
    try:
        for user in users:
            await said(fake, user, "Under nedbrud")
        await wait_counts(again, bid, lambda c: c["sent"] == 3)
    finally:
        await again.stop()
    for user in users:
        assert len([m for m in fake.sent_messages(user) if "Under nedbrud" in text_of(m)]) == 1


def test_cli_create_list_cancel_status(
    make_config: Callable[..., Config], fake: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config()
    from tests.conftest import config_text

    cfg_file = f"{config.storage.path}.toml"
    Path(cfg_file).write_text(
        config_text(fake.base_url, fake.base_file_url, Path(config.storage.path)), "utf-8"
    )
    base = ["--config", cfg_file]
    assert main(["broadcast", "create", *base, "--tip", "indbrud", "--every", "mon 18:00",
                 "--area", "herning", "--until", "2099-12-31"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "planned: broadcast 1" in out and "recipients: telegram 0, sms 0" in out
    assert main(["broadcast", "create", *base, "--text", "Julemarked", "--at", "2099-12-01 10:00",
                 "--channel", "telegram", "--json"]) == 0  # fmt: skip
    created = json.loads(capsys.readouterr().out)
    assert created["id"] == 2 and created["preview"]["recipients"] == {"telegram": 0, "sms": 0}
    assert main(["broadcast", "create", *base, "--text", "x", "--channel", "sms"]) == 2
    assert "SMS is not configured" in capsys.readouterr().err
    assert main(["broadcast", "list", *base, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(b["id"], b["status"]) for b in listed] == [(2, "scheduled"), (1, "scheduled")]
    assert listed[1]["schedule"] == "mon 18:00 until 2099-12-31"
    assert main(["broadcast", "cancel", *base, "2"]) == 0
    assert "cancelled" in capsys.readouterr().out
    assert main(["broadcast", "cancel", *base, "2"]) == 1
    assert main(["broadcast", "cancel", *base, "99"]) == 3
    capsys.readouterr()
    assert main(["broadcast", "status", *base, "1", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["counts"] == {"queued": 0, "sent": 0, "delivered": 0, "failed": 0, "skipped": 0}
    assert status["status"] == "scheduled" and status["next_run"]
    assert main(["broadcast", "status", *base, "2"]) == 0
    assert "broadcast 2: cancelled" in capsys.readouterr().out
