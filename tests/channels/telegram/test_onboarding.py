"""Invitations and onboarding through the real PTB client against a fake Bot API server."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ShiftedClock
from bot.root import Runtime
from flows.model import AmbassadorState, Channel
from flows.onboarding import hash_code
from tests.conftest import OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import group_messages, invite, onboard, said, text_of

ANNA = 5001
BO = 5002


async def test_invitation_link_greets_and_accept_button_activates(
    app: Runtime, fake: FakeBotApi
) -> None:
    code = await invite(app)
    assert len(code) >= 16
    fake.add_private_user(ANNA, "Anna", "Holm")
    fake.push_update(fake.make_private_message(ANNA, f"/start {code}"))
    offer = (await said(fake, ANNA, "Velkommen, Anna Holm"))[-1]
    text = text_of(offer)
    assert "Herning" in text and "Mette Jensen" in text
    assert "1-1-2" in text and "1-1-4" in text
    buttons = [b["callback_data"] for row in offer["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["accept", "agreement"]

    # Nothing is relayed before acceptance.
    fake.push_update(fake.make_private_message(ANNA, "hej, hvornår mødes vi?"))
    await said(fake, ANNA, "først acceptere partnerskabsaftalen")
    assert not [m for m in group_messages(fake) if "hvornår mødes vi" in text_of(m)]

    fake.push_update(fake.make_callback_query(ANNA, "agreement", offer))
    await said(fake, ANNA, "Partnerskabsaftale for tryghedsambassadører")
    fake.push_update(fake.make_callback_query(ANNA, "accept", offer))
    await said(fake, ANNA, "Du er nu tryghedsambassadør i Herning")
    await said(fake, OFFICERS_CHAT, "Anna Holm (Herning) er nu tryghedsambassadør")

    assert app.db is not None
    async with app.db.read() as tx:
        amb = await tx.ambassadors.by_address(Channel.TELEGRAM, str(ANNA))
        invitation = await tx.invitations.by_hash(hash_code(code))
    assert amb is not None and amb.state == AmbassadorState.ACTIVE
    assert amb.agreement_version == "2026-2" and amb.accepted_at is not None
    assert invitation is not None and invitation.used_at is not None


async def test_accept_by_answering_yes(app: Runtime, fake: FakeBotApi) -> None:
    code = await invite(app, "ikast", "lp")
    fake.add_private_user(BO, "Bo", "Berg", language_code="en")
    fake.push_update(fake.make_private_message(BO, f"/start {code}"))
    await said(fake, BO, "Welcome, Bo Berg")
    fake.push_update(fake.make_private_message(BO, "Yes"))
    await said(fake, BO, "You are now a safety ambassador in Ikast")


async def test_codes_that_cannot_be_used(
    app: Runtime, fake: FakeBotApi, clock: ShiftedClock
) -> None:
    fake.push_update(fake.make_private_message(ANNA, "/start nonsense-code"))
    await said(fake, ANNA, "invitationskode kender jeg ikke")

    code = await invite(app)
    await onboard_with(app, fake, ANNA, code)
    fake.push_update(fake.make_private_message(BO, f"/start {code}"))
    await said(fake, BO, "allerede brugt")

    old = await invite(app)
    clock.advance(timedelta(days=8))
    fake.push_update(fake.make_private_message(6003, f"/start {old}"))
    await said(fake, 6003, "udløbet")


async def onboard_with(app: Runtime, fake: FakeBotApi, user: int, code: str) -> None:
    fake.push_update(fake.make_private_message(user, f"/start {code}"))
    offer = (
        await fake.wait_for_sent(chat_id=user, predicate=lambda m: bool(m.get("reply_markup")))
    )[-1]
    fake.push_update(fake.make_callback_query(user, "accept", offer))
    await said(fake, user, "Du er nu tryghedsambassadør")


async def test_stranger_gets_an_explanation_and_is_not_relayed(
    app: Runtime, fake: FakeBotApi
) -> None:
    fake.push_update(fake.make_private_message(7007, "/start"))
    await said(fake, 7007, "Dette er Tryghedsbot")
    fake.push_update(fake.make_private_message(7007, "kan I hjælpe med min nabo?"))
    fake.push_update(fake.make_private_message(7007, "hallo??"))
    # The second and third messages get no repeat answer today, and nothing reaches the group.
    assert app.inbox is not None
    await fake.wait_for(lambda f: app.inbox is not None and app.inbox.handled >= 3)
    assert len([m for m in fake.sent_messages(7007) if "Dette er Tryghedsbot" in text_of(m)]) == 1
    assert not [m for m in group_messages(fake) if "nabo" in text_of(m)]


async def test_already_active_ambassador_opening_start_again(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/start"))
    await said(fake, ANNA, "Du er allerede tryghedsambassadør i Herning")
