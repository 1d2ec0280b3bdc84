"""Safety routing in the running bot: 112 first, 114 referral, safety net, office hours and
route corrections, through the real PTB client and a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from bot.cli import main
from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.model import Channel, Lane, Outbound, OutKind, Priority
from tests.conftest import METTE, OFFICERS_CHAT, SATURDAY
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import group_messages, onboard, said, text_of, thread_of

ANNA = 5001
ACUTE = "Der er en mand der slår en kvinde lige nu foran Netto!"
REPORT = "Min cykel blev stjålet i nat fra carporten på Parkvej"
QUESTION = "Hvad gør man hvis der er indbrud hos naboen mens de er på ferie?"


async def test_acute_message_gets_112_answer_and_an_alert(app: Runtime, fake: FakeBotApi) -> None:
    # Both are urgent and go out in parallel, each on its own lane: the alert is no reason for
    # the answer to wait, nor the answer for the alert (which one the platform sees first is
    # not promised; on a busy machine it can be either).
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    answer = (await said(fake, ANNA, "Ring 1-1-2 nu"))[0]
    assert "ikke overvåget døgnet rundt" in text_of(answer)
    alert = (await said(fake, OFFICERS_CHAT, "AKUT – henvist til 1-1-2"))[0]
    assert ACUTE in text_of(alert) and "Genkendt:" in text_of(alert)
    assert any(
        e["type"] == "text_mention" and e["user"]["id"] == METTE for e in alert.get("entities", [])
    )
    assert not [
        m for m in group_messages(fake) if text_of(m).startswith("💬") and ACUTE in text_of(m)
    ]


async def test_report_is_referred_to_114_and_marked_for_the_officer(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, REPORT))
    answer = (await said(fake, ANNA, "1-1-4"))[0]
    assert "politi.dk" in text_of(answer)
    relay = (await said(fake, OFFICERS_CHAT, "stjålet i nat"))[0]
    assert "Henvist til 1-1-4" in text_of(relay)


async def test_safety_net_adds_the_112_line_and_flags_the_relay(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, QUESTION))
    relay = (await said(fake, OFFICERS_CHAT, "indbrud hos naboen"))[0]
    assert "Mulig fare" in text_of(relay)
    await said(fake, ANNA, "Er nogen i fare lige nu, så ring 1-1-2")


async def test_acute_answer_is_not_held_back_by_a_queue_of_pushes(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    assert app.db is not None and app.ctx is not None
    others = range(900_000, 900_200)
    for user in others:
        fake.add_private_user(user, f"Modtager{user}")
    async with app.db.transaction() as tx:
        for user in others:
            await tx.outbox.add(
                Outbound(
                    lane=Lane.AMBASSADOR,
                    kind=OutKind.PUSH,
                    priority=Priority.PUSH,
                    channel=Channel.TELEGRAM,
                    address=str(user),
                    text="Husk at låse døren",
                ),
                app.ctx.clock.now(),
            )
    await fake.wait_for_sent(predicate=lambda m: "Husk at låse" in text_of(m))
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    sent = fake.calls_of("sendMessage")
    order = [c.params["chat_id"] for c in sent if c.params.get("chat_id") != OFFICERS_CHAT]
    acute_at = max(i for i, chat in enumerate(order) if chat == ANNA)
    pushes_sent_before_acute = sum(1 for chat in order[:acute_at] if chat in others)
    assert pushes_sent_before_acute < 100, "200 pushes at 25/s would take 8 s; 112 must overtake"


async def test_alert_overtakes_relays_waiting_for_the_group(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    for n in range(30):
        fake.push_update(fake.make_private_message(ANNA, f"almindelig besked {n}"))
    await said(fake, OFFICERS_CHAT, "almindelig besked 0")
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    await said(fake, OFFICERS_CHAT, "AKUT")
    group = [text_of(m) for m in group_messages(fake)]
    alert_at = next(i for i, t in enumerate(group) if "AKUT" in t)
    relays_after = [t for t in group[alert_at:] if "almindelig besked" in t]
    relays_before = [t for t in group[:alert_at] if "almindelig besked" in t]
    # The group takes about 19 messages a minute: after the first burst the alert goes
    # ahead of every relay still waiting.
    assert len(relays_before) <= 21
    assert relays_after == []


@pytest.fixture
def weekend(clock: ShiftedClock) -> ShiftedClock:
    clock.set(SATURDAY)
    return clock


async def test_outside_office_hours_the_notice_comes_once_per_conversation(
    make_config: Callable[..., Config], secrets: Secrets, weekend: ShiftedClock, fake: FakeBotApi
) -> None:
    app = Runtime(make_config(), secrets, clock=weekend)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")
        fake.push_update(fake.make_private_message(ANNA, "Hej, et spørgsmål om nabohjælp"))
        notice = (await said(fake, ANNA, "ikke på arbejde nu"))[0]
        assert "mandag 30. november kl. 08:00" in text_of(notice)
        assert "1-1-2" in text_of(notice) and "1-1-4" in text_of(notice)
        fake.push_update(fake.make_private_message(ANNA, "Og en ting mere om nabohjælp"))
        await said(fake, OFFICERS_CHAT, "en ting mere")
        notices = [m for m in fake.sent_messages(ANNA) if "ikke på arbejde nu" in text_of(m)]
        assert len(notices) == 1
    finally:
        await app.stop()


async def test_officer_corrects_a_route_and_misroutes_exports_it(
    app: Runtime, fake: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    text = "Der står en mand og kigger ind ad vinduerne hos naboen"
    fake.push_update(fake.make_private_message(ANNA, text))
    relay = (await said(fake, OFFICERS_CHAT, "kigger ind ad vinduerne"))[0]
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT,
            METTE,
            "/rute akut",
            message_thread_id=thread,
            reply_to_message_id=relay["message_id"],
        )
    )
    await said(fake, OFFICERS_CHAT, "til akut")
    # A misroute an officer finds is still an emergency: the ambassador is told to call 112.
    await said(fake, ANNA, "Ring 1-1-2 nu")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT,
            METTE,
            "/rute",
            message_thread_id=thread,
            reply_to_message_id=relay["message_id"],
        )
    )
    await said(fake, OFFICERS_CHAT, "Brug /rute akut")
    assert app.config.storage.path
    path = tmp_config_for(app)
    assert await asyncio.to_thread(main, ["misroutes", "--config", str(path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and rows[0]["text"] == text and rows[0]["route_corrected"] == "acute"


def tmp_config_for(app: Runtime) -> object:
    """A configuration file pointing at the running app's database, for the CLI."""
    from pathlib import Path

    db = Path(app.config.storage.path)
    path = db.parent / "cli.toml"
    path.write_text(
        f'[storage]\npath = "{db}"\n[[areas]]\nid = "herning"\nname = "Herning"\n'
        '[[officers]]\nid = "mj"\nname = "Mette Jensen"\ntelegram_user_id = 222222222\n',
        encoding="utf-8",
    )
    return path


async def test_a_paused_ambassador_in_an_emergency_still_gets_112_and_officers_an_alert(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/stop"))
    await said(fake, ANNA, "Du holder nu pause")
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    await said(fake, OFFICERS_CHAT, "AKUT – henvist til 1-1-2")
    fake.push_update(fake.make_private_message(ANNA, "bare et almindeligt spørgsmål"))
    await said(fake, ANNA, "Du holder pause, så din besked er ikke sendt videre")
    assert not [m for m in group_messages(fake) if "almindeligt spørgsmål" in text_of(m)]


async def test_an_emergency_written_after_a_slash_or_added_by_an_edit_still_gets_112(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/politi det brænder i opgangen lige nu"))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    await said(fake, OFFICERS_CHAT, "det brænder i opgangen")
    edit = fake.make_private_message(ANNA, "Der står en mand med en kniv ved døren lige nu")
    message = edit.pop("message")
    edit["edited_message"] = {**message, "edit_date": message["date"] + 30}
    fake.push_update(edit)
    await said(fake, ANNA, "Ring 1-1-2 nu", count=2)
    await said(fake, OFFICERS_CHAT, "AKUT", count=2)


async def test_officer_corrects_a_false_alarm(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    alert = (await said(fake, OFFICERS_CHAT, "AKUT"))[0]
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT,
            METTE,
            "/rute betjent",
            message_thread_id=thread,
            reply_to_message_id=alert["message_id"],
        )
    )
    await said(fake, OFFICERS_CHAT, "Rute rettet fra akut til betjent")


async def test_an_emergency_after_a_slash_command_is_answered_and_alerted(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(
        fake.make_private_message(ANNA, "/hjælp der er en mand med en kniv i opgangen")
    )
    await said(fake, ANNA, "Ring 1-1-2 nu")
    alert = (await said(fake, OFFICERS_CHAT, "AKUT"))[0]
    assert "kniv i opgangen" in text_of(alert)
    await said(fake, ANNA, "/stop")  # the help text follows
    fake.push_update(fake.make_private_message(ANNA, "/politi der brænder i opgangen lige nu"))
    await said(fake, ANNA, "Ring 1-1-2 nu", count=2)
    await said(fake, OFFICERS_CHAT, "der brænder i opgangen")


async def test_a_command_meant_for_officers_gets_a_clear_answer(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/inviter herning mj"))
    await said(fake, ANNA, "Kun betjente og koordinatorer kan oprette invitationer")
    fake.push_update(fake.make_private_message(ANNA, "/annuller"))
    await said(fake, ANNA, "Kun koordinatorer kan planlægge og annullere")
    assert not [m for m in group_messages(fake) if text_of(m).startswith("💬")]
