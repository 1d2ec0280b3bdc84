"""One ambassador writing a flood holds up nobody else: the officers' group serves senders in
turn, a burst is gathered into one message, and repeated emergencies join one alert, while
each emergency still gets its 1-1-2 answer. The fake Bot API keeps Telegram's real limits."""

from __future__ import annotations

from pathlib import Path

from bot.clock import ShiftedClock
from bot.config import Secrets, parse_config
from bot.root import Runtime
from flows.model import Channel, Lane, OutKind
from tests.conftest import OFFICERS_CHAT, config_text
from tests.fakes.telegram_api import FakeBotApi, RateLimit
from tests.helpers import group_messages, onboard, said, text_of

ANNA, BO = 5001, 5002


async def test_a_burst_of_messages_does_not_hold_up_another_ambassador(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
    await said(fake, OFFICERS_CHAT, "Bo Holm (Ikast) er nu tryghedsambassadør")
    fake.rate_limit = RateLimit(per_second=30, per_group_per_minute=20)
    # The group answers the first relay with "too many requests, wait 4 s": meanwhile the
    # whole burst and Bo's message are queued, and the order they leave in is the queue's.
    fake.fail_next("sendMessage", status=429, retry_after=4, chat_id=OFFICERS_CHAT)
    before = len(group_messages(fake))
    for n in range(30):
        fake.push_update(fake.make_private_message(ANNA, f"Anna skriver igen nr. {n:02d}"))
    fake.push_update(fake.make_private_message(BO, "Hej, hvornår er mødet i Ikast?"))
    await said(fake, OFFICERS_CHAT, "hvornår er mødet i Ikast", count=1)
    group = group_messages(fake)[before:]
    bo_at = next(i for i, m in enumerate(group) if "mødet i Ikast" in text_of(m))
    ahead = [m for m in group[:bo_at] if "Anna skriver igen" in text_of(m)]
    assert len(ahead) <= 2, f"Bo's relay waited behind {len(ahead)} of Anna's messages"
    await said(fake, ANNA, "sendt mange beskeder på kort tid", count=1)
    # Nothing of Anna's is lost: every message reaches the group, gathered.
    await fake.wait_for(
        lambda f: all(
            any(f"nr. {n:02d}" in text_of(m) for m in group_messages(f)) for n in range(30)
        ),
        timeout=30,
    )
    annas = [m for m in group_messages(fake)[before:] if "Anna skriver igen" in text_of(m)]
    assert len(annas) < 30, "the burst was gathered, not relayed one by one"


async def test_repeated_emergencies_join_one_alert_and_each_gets_112(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
    fake.rate_limit = RateLimit(per_second=30, per_group_per_minute=20)
    for n in range(12):
        fake.push_update(fake.make_private_message(ANNA, f"Det brænder i opgangen lige nu {n:02d}"))
    fake.push_update(fake.make_private_message(BO, "En mand er faldet om og trækker ikke vejret"))
    await said(fake, BO, "Ring 1-1-2 nu")
    await said(fake, OFFICERS_CHAT, "trækker ikke vejret")
    await said(fake, ANNA, "Ring 1-1-2 nu", count=12)
    await fake.wait_for(
        lambda f: all(
            any(f"opgangen lige nu {n:02d}" in text_of(m) for m in group_messages(f))
            for n in range(12)
        ),
        timeout=30,
    )
    alerts = [m for m in group_messages(fake) if "opgangen lige nu" in text_of(m)]
    assert len(alerts) < 12, "repeated emergencies joined an alert still waiting"
    assert all("AKUT" in text_of(a) for a in alerts)


async def test_a_stranger_cannot_make_the_bot_send_a_stream_of_answers(
    app: Runtime, fake: FakeBotApi
) -> None:
    for n in range(8):
        fake.push_update(fake.make_private_message(7007, f"Der er brand i huset lige nu {n}"))
    await said(fake, 7007, "Ring 1-1-2 nu", count=3)
    fake.push_update(fake.make_private_message(7007, "hej"))
    await said(fake, 7007, "tryghedsambassadør")  # the answer about the programme came too
    assert len([m for m in fake.sent_messages(7007) if "1-1-2 nu" in text_of(m)]) == 3


async def test_guessing_invitation_codes_is_slowed_down(app: Runtime, fake: FakeBotApi) -> None:
    for n in range(8):
        fake.push_update(fake.make_private_message(7008, f"/start guess{n:04d}"))
    await said(fake, 7008, "For mange forsøg", count=1)
    answers = fake.sent_messages(7008)
    assert len(answers) == 6  # five refusals, one "too many", then silence


async def test_one_ambassadors_emergencies_cannot_spend_the_groups_minute(
    tmp_path: Path, secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    """A group takes 8 messages a minute here; Anna's alerts, each sent before her next
    message comes, would spend them all and hold Bo's alert for a minute. She gets her share
    (a quarter), the rest of hers wait joined into one alert, and Bo's alert goes at once."""
    text = config_text(fake.base_url, fake.base_file_url, tmp_path / "bot.sqlite3")
    text = text.replace("poll_timeout = 1", "poll_timeout = 1\ngroup_messages_per_minute = 8")
    app = Runtime(parse_config(text, "test.toml"), secrets, clock=clock)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")
        await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
        fake.rate_limit = RateLimit(per_second=30, per_group_per_minute=8)
        for n in range(8):  # one at a time: each is answered (and queued) before the next
            fake.push_update(fake.make_private_message(ANNA, f"Det brænder i opgangen {n:02d}"))
            await said(fake, ANNA, "Ring 1-1-2 nu", count=n + 1)
        fake.push_update(fake.make_private_message(BO, "En mand er faldet om, trækker ikke vejret"))
        await said(fake, BO, "Ring 1-1-2 nu")
        await said(fake, OFFICERS_CHAT, "trækker ikke vejret")
        annas = [m for m in group_messages(fake) if "opgangen" in text_of(m)]
        assert len(annas) <= 2, f"Anna had {len(annas)} of the group's 8 messages this minute"
        # Nothing of hers is lost: what did not go waits as one alert with all of it.
        assert app.db is not None
        async with app.db.read() as tx:
            anna = await tx.ambassadors.by_address(Channel.TELEGRAM, str(ANNA))
            assert anna is not None
            waiting = await tx.outbox.pending_of_kind(
                Lane.OFFICERS, Channel.TELEGRAM, f"amb:{anna.id}", OutKind.ALERT
            )
        assert waiting is not None
        shown = " ".join(text_of(m) for m in annas) + waiting[1].text
        assert all(f"opgangen {n:02d}" in shown for n in range(8))
    finally:
        await app.stop()


async def test_urgent_answers_on_top_of_routine_ones_stay_inside_telegrams_second(
    app: Runtime, fake: FakeBotApi
) -> None:
    """Paced workers take their slots ahead and 112 answers go at once: together they must
    still make at most 30 messages in any second, or a 429 stops the lane for a second."""
    await onboard(app, fake, ANNA, "Anna")
    await onboard(app, fake, BO, "Bo", area="ikast", officer="lp")
    fake.rate_limit = RateLimit(per_second=30, per_group_per_minute=None)
    for n in range(40):
        fake.push_update(fake.make_private_message(ANNA, f"hvornår er næste møde nr {n}?"))
        fake.push_update(fake.make_private_message(BO, f"Det brænder i opgangen lige nu {n:02d}"))
    await said(fake, BO, "Ring 1-1-2 nu", count=40)
    assert not [c for c in fake.calls if c.status == 429]
