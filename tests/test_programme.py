"""Running the programme from outside, as an operator would: the bot against the fake Bot API,
the command line on the same database and clock. The register, figures, the pulse and signed
pushes, each checked by what the ambassadors and the officers' group receive."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.clock import ShiftedClock
from bot.config import Secrets, load_config
from bot.root import Runtime
from tests.conftest import LARS, METTE, OFFICERS_CHAT, config_text
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, text_of, thread_of

ANNA, BO = 6001, 6002
PROGRAMME = '[programme]\nname = "Midt- og Vestjyllands Politi"\n'


@pytest.fixture
def cfg_file(tmp_path: Path, fake: FakeBotApi) -> Path:
    path = tmp_path / "district.toml"
    text = config_text(fake.base_url, fake.base_file_url, tmp_path / "bot.sqlite3", extra=PROGRAMME)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
async def bot(cfg_file: Path, secrets: Secrets, clock: ShiftedClock) -> AsyncIterator[Runtime]:
    runtime = Runtime(load_config(cfg_file), secrets, clock=clock, sweep_every=0.2)
    await runtime.start()
    yield runtime
    await runtime.stop()


Cli = Callable[..., Any]


@pytest.fixture
def cli(
    cfg_file: Path, clock: ShiftedClock, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Any]:
    """Run `tryghedsbot ARGS --config FILE` beside the bot; returns (status, stdout)."""

    async def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        argv = [*args, "--config", str(cfg_file)]
        status = await asyncio.to_thread(functools.partial(main, argv, clock=clock))
        return status, capsys.readouterr().out

    return run


async def test_acceptance_register_figures_pulse_and_signed_push(
    bot: Runtime, fake: FakeBotApi, cli: Cli
) -> None:
    await onboard(bot, fake, ANNA, "Anna")
    await onboard(bot, fake, BO, "Bo")

    status, out = await cli("ambassadors", "list", "--json")
    listed = {a["name"]: a for a in json.loads(out)["ambassadors"]}
    assert status == 0
    assert {n: (a["area"], a["officer"], a["state"]) for n, a in listed.items()} == {
        "Anna Holm": ("herning", "mj", "active"),
        "Bo Holm": ("herning", "mj", "active"),
    }

    anna = listed["Anna Holm"]["id"]
    status, _ = await cli("ambassadors", "move", str(anna), "--officer", "lp")
    assert status == 0
    told = (await said(fake, ANNA, "ny kontaktbetjent"))[0]
    assert "Lars Poulsen" in text_of(told)
    fake.push_update(fake.make_private_message(ANNA, "Der er mange cykeltyverier ved skolen"))
    relay = (await said(fake, OFFICERS_CHAT, "cykeltyverier ved skolen"))[0]
    mentioned = [e["user"]["id"] for e in relay.get("entities", []) if e["type"] == "text_mention"]
    assert mentioned == [LARS] and METTE not in mentioned

    fake.push_update(fake.make_private_message(ANNA, "Der er en mand med en kniv ved Netto nu!"))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    fake.push_update(fake.make_private_message(BO, "Min cykel blev stjålet i nat fra carporten"))
    await said(fake, BO, "1-1-4")
    await said(fake, OFFICERS_CHAT, "carporten")
    await said(fake, OFFICERS_CHAT, "kniv ved Netto")

    status, out = await cli("figures", "--json")
    herning = next(a for a in json.loads(out)["areas"] if a["id"] == "herning")
    assert status == 0
    assert (herning["ambassadors_active"], herning["messages_in"]) == (2, 3)
    assert (herning["acute"], herning["report"], herning["officer"]) == (1, 1, 1)

    status, out = await cli(
        "pulse", "create", "--area", "herning", "--question", "Hvor tryg føler du dig?"
    )
    pulse_id = int(out.strip())
    assert status == 0
    question = (await said(fake, ANNA, "Hvor tryg føler du dig?"))[0]
    assert question["text"].startswith("Midt- og Vestjyllands Politi")
    keys = [b["callback_data"] for row in question["reply_markup"]["inline_keyboard"] for b in row]
    assert len(keys) == 5
    fake.push_update(fake.make_callback_query(ANNA, keys[3], question))
    await said(fake, ANNA, "Tak for dit svar (4)")
    status, out = await cli("pulse", "results", str(pulse_id), "--json")
    results = json.loads(out)
    assert status == 0 and results["responses"] == 1
    assert results["mean"] is None and results["counts"] is None  # one answer: not shown
    assert not [m for m in fake.sent_messages(OFFICERS_CHAT) if "Tak for dit svar" in text_of(m)]

    status, _ = await cli(
        "broadcast", "create", "--text", "Borgermøde i hallen torsdag kl. 19",
        "--author", "Mette Jensen",
    )  # fmt: skip
    assert status == 0
    push = text_of((await said(fake, BO, "Borgermøde i hallen"))[0])
    assert push.startswith("Midt- og Vestjyllands Politi\nBorgermøde i hallen")
    assert push.endswith("– Mette Jensen")


async def test_register_verbs_tell_the_ambassador_and_the_group(
    bot: Runtime, fake: FakeBotApi, cli: Cli
) -> None:
    await onboard(bot, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Hej Mette, et spørgsmål om nabohjælp"))
    await said(fake, OFFICERS_CHAT, "nabohjælp")
    status, out = await cli("ambassadors", "list", "--json")
    anna = json.loads(out)["ambassadors"][0]
    assert anna["last_message"] is not None and anna["joined"] is not None

    status, _ = await cli("ambassadors", "rename", str(anna["id"]), "Anna", "Holm-Berg")
    assert status == 0
    await fake.wait_for(
        lambda f: "Anna Holm-Berg · Herning" in f.topics(OFFICERS_CHAT).values(), 10
    )
    status, _ = await cli("ambassadors", "move", str(anna["id"]), "--area", "ikast")
    assert status == 0
    await fake.wait_for(lambda f: "Anna Holm-Berg · Ikast" in f.topics(OFFICERS_CHAT).values(), 10)
    await said(fake, OFFICERS_CHAT, "er flyttet til Ikast")

    assert (await cli("ambassadors", "pause", str(anna["id"])))[0] == 0
    await said(fake, ANNA, "Politiet har sat dit samarbejde")
    assert (await cli("ambassadors", "pause", str(anna["id"])))[0] == 1  # already paused
    assert (await cli("ambassadors", "resume", str(anna["id"])))[0] == 0
    await said(fake, ANNA, "Velkommen tilbage")
    assert (await cli("ambassadors", "end", str(anna["id"])))[0] == 0
    await said(fake, ANNA, "er afsluttet")
    status, out = await cli("ambassadors", "show", str(anna["id"]), "--json")
    assert json.loads(out)["state"] == "ended"

    fake.push_update(fake.make_private_message(ANNA, "Et spørgsmål mere om nabohjælp"))
    await said(fake, ANNA, "din besked er ikke sendt videre")
    fake.push_update(fake.make_private_message(ANNA, "Der er en mand med en kniv ved Netto nu!"))
    await said(fake, ANNA, "Ring 1-1-2 nu")  # rule 1 outranks an ended partnership
    assert not [m for m in fake.sent_messages(OFFICERS_CHAT) if "mere om nabohjælp" in text_of(m)]
    assert (await cli("ambassadors", "show", "999"))[0] == 3


async def test_invitations_named_listed_and_revoked(
    bot: Runtime, fake: FakeBotApi, cli: Cli
) -> None:
    status, out = await cli(
        "invite", "--area", "herning", "--officer", "mj", "--name", "Karen Nabo"
    )
    assert status == 0
    code = next(line for line in out.splitlines() if line.startswith("code: ")).split()[1]
    _, out = await cli("ambassadors", "list", "--json")
    invitation = json.loads(out)["invitations"][0]
    assert (invitation["name"], invitation["area"], invitation["officer"]) == (
        "Karen Nabo", "herning", "mj")  # fmt: skip
    assert (await cli("ambassadors", "revoke", str(invitation["id"])))[0] == 0
    assert json.loads((await cli("ambassadors", "list", "--json"))[1])["invitations"] == []
    assert (await cli("ambassadors", "revoke", str(invitation["id"])))[0] == 1
    fake.add_private_user(ANNA, "Anna", "Holm")
    fake.push_update(fake.make_private_message(ANNA, f"/start {code}"))
    await said(fake, ANNA, "trukket tilbage")

    _, out = await cli("invite", "--area", "ikast", "--officer", "lp", "--name", "Karen Nabo")
    code = next(line for line in out.splitlines() if line.startswith("code: ")).split()[1]
    fake.push_update(fake.make_private_message(ANNA, f"/start {code}"))
    await said(fake, ANNA, "Velkommen, Karen Nabo!")  # the coordinator's name, not Telegram's


async def test_handled_button_unanswered_list_and_unknown_commands(
    bot: Runtime, fake: FakeBotApi, clock: ShiftedClock
) -> None:
    await onboard(bot, fake, ANNA, "Anna")
    await onboard(bot, fake, BO, "Bo")
    fake.push_update(fake.make_private_message(ANNA, "Der er mange cykeltyverier ved skolen"))
    relay = (await said(fake, OFFICERS_CHAT, "cykeltyverier"))[0]
    fake.push_update(fake.make_private_message(BO, "Hvornår er der borgermøde?"))
    await said(fake, OFFICERS_CHAT, "borgermøde")
    anna_topic = thread_of(fake, "Anna")

    fake.push_update(fake.make_group_message(OFFICERS_CHAT, METTE, "/ubesvarede"))
    listing = (await said(fake, OFFICERS_CHAT, "Ubesvarede beskeder (2)"))[0]
    assert "Anna Holm" in text_of(listing) and "Bo Holm" in text_of(listing)

    button = relay["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "✅ Klaret"
    fake.push_update(fake.make_callback_query(METTE, button["callback_data"], relay))
    await said(fake, OFFICERS_CHAT, "Klaret (Mette Jensen)")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "/ubesvarede", message_thread_id=anna_topic)
    )
    listing = (await said(fake, OFFICERS_CHAT, "Ubesvarede beskeder (1)"))[0]
    assert "Bo Holm" in text_of(listing) and "Anna Holm" not in text_of(listing)

    before = len(fake.sent_messages(ANNA))
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "/svar tak", message_thread_id=anna_topic)
    )
    await said(fake, OFFICERS_CHAT, "Kommandoen /svar kender jeg ikke")
    assert len(fake.sent_messages(ANNA)) == before  # never sent on as an empty reply


async def test_one_reminder_after_the_configured_office_hours(
    bot: Runtime, fake: FakeBotApi, clock: ShiftedClock
) -> None:
    """Four office hours by default: half an hour on Monday afternoon counts, the night
    does not."""
    await onboard(bot, fake, ANNA, "Anna")
    clock.advance(timedelta(hours=4))  # Monday 15:00, half an hour before closing
    fake.push_update(fake.make_private_message(ANNA, "Hvornår åbner nærpolitiet igen?"))
    await said(fake, OFFICERS_CHAT, "nærpolitiet")
    assert bot.scheduler is not None
    clock.advance(timedelta(hours=20))  # Tuesday 11:00: 20 hours, but 3.5 office hours
    await bot.scheduler.tick()
    assert bot.scheduler.reminders == 0
    clock.advance(timedelta(minutes=31))  # Tuesday 11:31: four office hours have passed
    await bot.scheduler.tick()
    await bot.scheduler.tick()
    assert bot.scheduler.reminders == 1
    reminder = (await said(fake, OFFICERS_CHAT, "har ventet"))[0]
    assert "4 t 0" in text_of(reminder) and "i kontortid" in text_of(reminder)
    assert any(e.get("user", {}).get("id") == METTE for e in reminder.get("entities", []))


async def test_figures_cli_draws_the_chart_and_refuses_bad_input(
    bot: Runtime, fake: FakeBotApi, cli: Cli, tmp_path: Path
) -> None:
    await onboard(bot, fake, ANNA, "Anna")
    chart = tmp_path / "tal.png"
    status, out = await cli("figures", "--chart", str(chart))
    assert status == 0 and "herning" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 5000
    assert (await cli("figures", "--area", "aarhus"))[0] == 2
    assert (await cli("figures", "--from", "2026-12-01", "--to", "2026-11-01"))[0] == 2


async def test_coordinator_gets_figures_as_a_chart_in_telegram(
    bot: Runtime, fake: FakeBotApi
) -> None:
    from tests.conftest import COORDINATOR

    await onboard(bot, fake, ANNA, "Anna")
    fake.add_private_user(COORDINATOR, "Karin", "Koordinator")
    fake.push_update(fake.make_private_message(COORDINATOR, "/tal"))
    photo = await fake.wait_for_call(
        "sendPhoto", predicate=lambda c: c.chat_id == COORDINATOR, timeout=20
    )
    caption = str(photo[0].params.get("caption", ""))
    assert "Tal for" in caption and "Herning" in caption and "1 aktive" in caption

    fake.push_update(fake.make_group_message(OFFICERS_CHAT, METTE, "/tal"))
    await said(fake, OFFICERS_CHAT, "Kun koordinatorer kan se programmets tal")


async def test_coordinator_plans_a_pulse_in_telegram(bot: Runtime, fake: FakeBotApi) -> None:
    from tests.conftest import COORDINATOR

    await onboard(bot, fake, ANNA, "Anna")
    fake.add_private_user(COORDINATOR, "Karin", "Koordinator")

    def press(data: str) -> None:
        last = [m for m in fake.sent_messages(COORDINATOR) if m.get("reply_markup")][-1]
        fake.push_update(fake.make_callback_query(COORDINATOR, data, last))

    fake.push_update(fake.make_private_message(COORDINATOR, "/puls"))
    await said(fake, COORDINATOR, "Hvem skal have den?")
    press("bc:a:herning")
    await said(fake, COORDINATOR, "Skriv spørgsmålet")
    press("bc:q")  # the standard question
    await said(fake, COORDINATOR, "Hvornår skal den ud?")
    press("bc:w:now")
    await said(fake, COORDINATOR, "Modtagere")
    press("bc:ok")
    await said(fake, COORDINATOR, "Tryghedsmåling nr.")
    question = (await said(fake, ANNA, "Hvor tryg føler du dig i dit lokalområde"))[0]
    assert text_of(question).endswith("– Karin Koordinator")
    fake.push_update(fake.make_private_message(ANNA, "2"))  # typed, as by SMS
    await said(fake, ANNA, "Tak for dit svar (2)")
    fake.push_update(fake.make_private_message(ANNA, "5"))
    await said(fake, ANNA, "allerede svaret på denne måling (2)")
    assert not [m for m in fake.sent_messages(OFFICERS_CHAT) if text_of(m).strip() in ("2", "5")]
