"""SMS ambassadors end to end: real signed Twilio webhooks into the real web server on
loopback, the real twilio client sending to a fake Twilio REST API, the officers' side on the
fake Bot API, real SQLite.

Signatures are computed over the *public* URL while the request goes to 127.0.0.1: the
situation behind a reverse proxy, which is how the bot runs in production.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.cli.invite import invite as cli_invite
from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime, StartupError
from flows.model import AmbassadorState, Channel
from flows.onboarding import create_invitation
from flows.phone import normalise_phone
from flows.sms_text import Encoding, shape
from tests.conftest import METTE, OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.twilio_api import (
    FakeTwilioApi,
    FaultProfile,
    new_sid,
    sign,
    signed_sms_form,
    signed_status_form,
)
from tests.helpers import said, text_of, thread_of

PUBLIC = "https://bot.example.dk"
BOT_NUMBER = "+4550000000"
ANNA = "+4520123456"
BO = "+4531234567"
STRANGER = "+4540404040"
MAX_SEGMENTS = 2

JSON = dict[str, Any]


@pytest.fixture(autouse=True)
def _no_twilio_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    # With an edge or region set, the twilio client rewrites the fake's host name.
    monkeypatch.delenv("TWILIO_EDGE", raising=False)
    monkeypatch.delenv("TWILIO_REGION", raising=False)


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilioApi]:
    async with FakeTwilioApi() as api:
        yield api


def sms_section(twilio: FakeTwilioApi) -> str:
    return f"""
[sms]
account_sid = "{twilio.account_sid}"
from_number = "{BOT_NUMBER}"
public_url = "{PUBLIC}/"
api_base_url = "{twilio.base_url}"
messages_per_second = 100
max_segments = {MAX_SEGMENTS}
"""


@pytest.fixture
def sms_secrets(fake: FakeBotApi, twilio: FakeTwilioApi) -> Secrets:
    return Secrets(
        telegram_bot_token=SecretStr(fake.token), twilio_auth_token=SecretStr(twilio.auth_token)
    )


@pytest.fixture
def sms_config(make_config: Callable[..., Config], twilio: FakeTwilioApi) -> Config:
    return make_config(extra=sms_section(twilio))


@pytest.fixture
async def app(
    sms_config: Config, sms_secrets: Secrets, clock: ShiftedClock
) -> AsyncIterator[Runtime]:
    application = Runtime(sms_config, sms_secrets, clock=clock)
    await application.start()
    yield application
    await application.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Phone:
    """An SMS phone: what it writes reaches the bot as Twilio would post it."""

    def __init__(
        self, app: Runtime, twilio: FakeTwilioApi, http: aiohttp.ClientSession, number: str
    ) -> None:
        self.app, self.twilio, self.http, self.number = app, twilio, http, number

    @property
    def local(self) -> str:
        assert self.app.web is not None
        return f"http://127.0.0.1:{self.app.web.port}"

    async def post(self, path: str, form: dict[str, str], signature: str | None) -> int:
        headers = {} if signature is None else {"X-Twilio-Signature": signature}
        async with self.http.post(self.local + path, data=form, headers=headers) as response:
            body = await response.text()
            if response.status == 200:
                assert response.content_type == "text/xml"
                assert "<Response/>" in body
            return response.status

    async def send(
        self,
        body: str,
        *,
        sid: str | None = None,
        media: Sequence[tuple[str, str]] = (),
        from_: str | None = None,
    ) -> int:
        form, signature = signed_sms_form(
            auth_token=self.twilio.auth_token,
            url=PUBLIC + "/twilio/sms",
            from_=from_ or self.number,
            to=BOT_NUMBER,
            body=body,
            message_sid=sid,
            media=media,
        )
        return await self.post("/twilio/sms", form, signature)

    async def status(self, sid: str, status: str, error_code: int | None = None) -> int:
        return await self.twilio.send_status_callback(
            sid,
            status,
            error_code=error_code,
            url=self.local + "/twilio/status",
            public_url=PUBLIC + "/twilio/status",
        )

    async def received(self, needle: str, count: int = 1, timeout: float = 5.0) -> list[JSON]:
        """Wait until `count` SMS containing `needle` were sent to this phone."""
        return await texts_to(self.twilio, self.number, needle, count, timeout)

    def inbox(self) -> list[str]:
        return [m["Body"] for m in self.twilio.messages if m["To"] == self.number]


async def texts_to(
    twilio: FakeTwilioApi, number: str, needle: str, count: int = 1, timeout: float = 5.0
) -> list[JSON]:
    def matching() -> list[JSON]:
        return [
            m for m in twilio.messages if m["To"] == number and needle.lower() in m["Body"].lower()
        ]

    async with asyncio.timeout(timeout):
        while len(matching()) < count:
            await twilio.wait_for_messages(len(twilio.messages) + 1, timeout=timeout)
    return matching()


async def invite_by_phone(
    app: Runtime, raw: str, area: str = "herning", officer: str = "mj"
) -> None:
    assert app.db is not None and app.ctx is not None
    async with app.db.transaction() as tx:
        await create_invitation(
            app.ctx,
            tx,
            area_id=area,
            officer_id=officer,
            created_by="test",
            phone=normalise_phone(raw),
        )


async def onboard(app: Runtime, phone: Phone, answer: str = "JA") -> None:
    await invite_by_phone(app, phone.number)
    await phone.received("Svar JA")
    assert await phone.send(answer) == 200
    await phone.received("Du er nu tryghedsambassadør")


async def ambassador(app: Runtime, number: str) -> Any:
    assert app.db is not None
    async with app.db.read() as tx:
        return await tx.ambassadors.by_address(Channel.SMS, number)


@pytest.fixture
def anna(app: Runtime, twilio: FakeTwilioApi, http: aiohttp.ClientSession) -> Phone:
    return Phone(app, twilio, http, ANNA)


def group_texts(fake: FakeBotApi) -> list[str]:
    return [text_of(m) for m in fake.sent_messages(OFFICERS_CHAT)]


# --- onboarding -------------------------------------------------------------------------------


async def test_invite_from_telegram_then_accept_by_sms(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "/inviter herning mj 20 12 34 56")
    )
    await said(fake, OFFICERS_CHAT, "Invitation sendt som SMS til +4520123456")
    [welcome] = await anna.received("Svar JA")
    assert welcome["From"] == BOT_NUMBER
    assert welcome["StatusCallback"] == PUBLIC + "/twilio/status"
    assert (
        "112" in welcome["Body"] and "114" in welcome["Body"] and "Mette Jensen" in welcome["Body"]
    )
    assert "<" not in welcome["Body"]
    amb = await ambassador(app, ANNA)
    assert amb.state == AmbassadorState.INVITED

    # Before accepting nothing is relayed.
    assert await anna.send("Hej, hvad er det her?") == 200
    await anna.received("skal først acceptere")
    # "+45 20123456" and "004520123456" are the same person as "20 12 34 56".
    assert await anna.send("jaa", from_="+45 20123456") == 200
    await anna.received("Du er nu tryghedsambassadør i Herning")
    await said(fake, OFFICERS_CHAT, "er nu tryghedsambassadør")
    amb = await ambassador(app, ANNA)
    assert amb.state == AmbassadorState.ACTIVE and amb.agreement_version
    assert await anna.send("Hvornår er næste borgermøde?", from_="004520123456") == 200
    await said(fake, OFFICERS_CHAT, "næste borgermøde")
    assert not [t for t in group_texts(fake) if "hvad er det her" in t]


async def test_ja_tak_accepts(app: Runtime, anna: Phone) -> None:
    await onboard(app, anna, answer="Ja tak")


async def test_cli_invite_by_phone(
    sms_config: Config, sms_secrets: Secrets, clock: ShiftedClock, twilio: FakeTwilioApi
) -> None:
    # The CLI queues the welcome SMS in the database; the bot sends it when it (next) looks.
    assert await cli_invite(sms_config, "ikast", "lp", "004531234567", clock) == 0
    application = Runtime(sms_config, sms_secrets, clock=clock)
    await application.start()
    try:
        [welcome] = await texts_to(twilio, BO, "Svar JA")
        assert "Ikast" in welcome["Body"] and "Lars Poulsen" in welcome["Body"]
    finally:
        await application.stop()


async def test_opting_out_before_accepting_needs_acceptance_later(
    app: Runtime, fake: FakeBotApi, anna: Phone
) -> None:
    await invite_by_phone(app, ANNA)
    await anna.received("Svar JA")
    await anna.send("STOP")
    await anna.received("Du er frameldt")
    await anna.send("START")
    await anna.received("Svar JA", count=2)
    assert (await ambassador(app, ANNA)).state == AmbassadorState.INVITED
    await anna.send("Der holder en bil ved skolen")
    await anna.received("skal først acceptere")
    await anna.send("ja")
    await anna.received("Du er nu tryghedsambassadør")
    assert (await ambassador(app, ANNA)).state == AmbassadorState.ACTIVE


async def test_unknown_number_answered_once_a_day_and_not_relayed(
    app: Runtime,
    fake: FakeBotApi,
    twilio: FakeTwilioApi,
    http: aiohttp.ClientSession,
    clock: ShiftedClock,
) -> None:
    from datetime import timedelta

    stranger = Phone(app, twilio, http, STRANGER)
    await stranger.send("Hej, er det politiet?")
    await stranger.received("kun for ambassadører")
    await stranger.send("Hallo??")
    clock.advance(timedelta(hours=25))
    await stranger.send("Hallo igen")
    await stranger.received("kun for ambassadører", count=2)
    assert len(stranger.inbox()) == 2
    assert not [t for t in group_texts(fake) if "Hallo" in t or "politiet" in t]


# --- routing ------------------------------------------------------------------------------------


async def test_acute_report_and_officer_routes(app: Runtime, fake: FakeBotApi, anna: Phone) -> None:
    await onboard(app, anna)
    await anna.send("Der er brand i nabohuset lige nu")
    [acute] = await anna.received("Ring 1-1-2")
    assert "<b>" not in acute["Body"]
    assert acute["Body"].startswith("Ring 1-1-2 nu")  # no emoji: plain GSM-7, fewer segments
    assert shape(acute["Body"]).encoding == Encoding.GSM7
    alert = await said(fake, OFFICERS_CHAT, "AKUT")
    assert "brand i nabohuset" in text_of(alert[0])

    await anna.send("Min cykel blev stjålet i går fra carporten")
    [report] = await anna.received("1-1-4")
    assert "politi.dk" in report["Body"]
    await said(fake, OFFICERS_CHAT, "Henvist til 1-1-4")

    await anna.send("Hvornår er næste borgermøde?")
    relayed = await said(fake, OFFICERS_CHAT, "næste borgermøde")
    assert "+4520123456" in text_of(relayed[0])
    assert relayed[0]["message_thread_id"] == thread_of(fake, "+4520123456")


async def test_info_gives_sms_help(app: Runtime, anna: Phone) -> None:
    await onboard(app, anna)
    await anna.send("INFO")
    [help_text] = await anna.received("forbinder dig med din kontaktbetjent, Mette Jensen")
    assert "STOP" in help_text["Body"] and "/stop" not in help_text["Body"]


# --- officer replies ----------------------------------------------------------------------------


async def test_officer_reply_goes_by_sms_and_is_recorded(
    app: Runtime, fake: FakeBotApi, anna: Phone
) -> None:
    await onboard(app, anna)
    await anna.send("Er der nyt om cykeltyverierne?")
    await said(fake, OFFICERS_CHAT, "cykeltyverierne")
    thread = thread_of(fake, "+4520123456")
    reply = fake.make_group_message(
        OFFICERS_CHAT, METTE, "Ja, to anmeldelser <i går> & i dag", message_thread_id=thread
    )
    fake.push_update(reply)
    [sms] = await anna.received("to anmeldelser")
    assert sms["Body"] == "Mette Jensen: Ja, to anmeldelser <i går> & i dag"
    assert sms["encoding"] == "GSM-7"
    await fake.wait_for(lambda f: (OFFICERS_CHAT, reply["message"]["message_id"]) in f.reactions)
    row = await _message_by_sid(app, sms["sid"])
    assert row["status"] == "sent" and row["segments"] == 1 and row["encoding"] == "GSM-7"
    part = await _sms_row(app, sms["sid"])
    assert part["segments"] == 1 and part["encoding"] == "GSM-7" and part["kind"] == "reply"


async def test_emoji_makes_ucs2_and_is_stored(app: Runtime, fake: FakeBotApi, anna: Phone) -> None:
    await onboard(app, anna)
    await anna.send("Tak for i går")
    await said(fake, OFFICERS_CHAT, "Tak for i går")
    thread = thread_of(fake, "+4520123456")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Selv tak 👍 æøå", message_thread_id=thread)
    )
    [sms] = await anna.received("Selv tak")
    assert sms["encoding"] == "UCS-2"
    row = await _message_by_sid(app, sms["sid"])
    assert row["encoding"] == "UCS-2" and row["segments"] == 1


async def test_long_reply_is_shortened_and_officer_told(
    app: Runtime, fake: FakeBotApi, anna: Phone
) -> None:
    await onboard(app, anna)
    await anna.send("Kan du fortælle mere om nabohjælp?")
    await said(fake, OFFICERS_CHAT, "nabohjælp")
    thread = thread_of(fake, "+4520123456")
    long_text = " ".join(f"ord{n}" for n in range(200))  # about 1,100 characters
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, long_text, message_thread_id=thread)
    )
    [sms] = await anna.received("ord0 ord1")
    assert sms["segments"] <= MAX_SEGMENTS and sms["Body"].endswith("...")
    notice = await said(fake, OFFICERS_CHAT, "for langt til SMS")
    assert notice[0]["message_thread_id"] == thread
    row = await _message_by_sid(app, sms["sid"])
    assert row["segments"] == sms["segments"]


# --- webhook security and duplicates ------------------------------------------------------------


async def test_unsigned_and_wrongly_signed_requests_are_refused(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    form, good = signed_sms_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/sms",
        from_=STRANGER,
        to=BOT_NUMBER,
        body="Der er brand i nabohuset lige nu",
    )
    wrong_token = sign("not-the-token", PUBLIC + "/twilio/sms", form)
    local_url = sign(twilio.auth_token, anna.local + "/twilio/sms", form)
    tampered = {**form, "Body": "noget andet"}
    assert await anna.post("/twilio/sms", form, None) == 403
    assert await anna.post("/twilio/sms", form, wrong_token) == 403
    assert await anna.post("/twilio/sms", form, local_url) == 403
    assert await anna.post("/twilio/sms", tampered, good) == 403
    assert (
        await anna.post("/twilio/status", {"MessageSid": "SMx", "MessageStatus": "failed"}, None)
        == 403
    )
    assert app.db is not None
    async with app.db.read() as tx:
        assert await tx.inbox.pending() == []
    # The signed original goes through: and is the only thing that was ever stored.
    assert await anna.post("/twilio/sms", form, good) == 200
    await texts_to(twilio, STRANGER, "Ring 1-1-2")
    await texts_to(twilio, STRANGER, "kun for ambassadører")
    assert len([m for m in twilio.messages if m["To"] == STRANGER]) == 2
    assert app.inbox is not None and app.inbox.handled == 1


async def test_duplicate_message_sid_is_handled_once(
    app: Runtime, fake: FakeBotApi, anna: Phone
) -> None:
    await onboard(app, anna)
    sid = new_sid("SM")
    assert await anna.send("Første besked om graffiti", sid=sid) == 200
    assert await anna.send("Første besked om graffiti", sid=sid) == 200  # Twilio retries
    await anna.send("Anden besked")
    await said(fake, OFFICERS_CHAT, "Anden besked")
    assert len([t for t in group_texts(fake) if "Første besked" in t]) == 1


# --- opt-out ------------------------------------------------------------------------------------


async def test_opt_out_and_back(app: Runtime, fake: FakeBotApi, anna: Phone) -> None:
    await onboard(app, anna)
    await anna.send("Hej Mette")
    await said(fake, OFFICERS_CHAT, "Hej Mette")
    thread = thread_of(fake, "+4520123456")
    await anna.send("AFMELD")
    await anna.received("Du er frameldt")
    await said(fake, OFFICERS_CHAT, "holder pause")
    assert (await ambassador(app, ANNA)).state == AmbassadorState.PAUSED
    await anna.send("Hvornår er der møde?")
    await anna.received("din besked er ikke sendt videre")
    # Acute content always gets the 112 answer, paused or not.
    await anna.send("Der er brand i nabohuset lige nu")
    await anna.received("Ring 1-1-2")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Er du der?", message_thread_id=thread)
    )
    await said(fake, OFFICERS_CHAT, "ambassadøren holder pause")

    await anna.send("GENSTART")
    await anna.received("Velkommen tilbage")
    assert (await ambassador(app, ANNA)).state == AmbassadorState.ACTIVE
    await anna.send("stpo")  # a close misspelling
    await anna.received("Du er frameldt", count=2)
    await anna.send("START")
    await anna.received("Velkommen tilbage", count=2)
    await anna.send("UNSUBSCRIBE")
    await anna.received("Du er frameldt", count=3)
    await anna.send("JA")
    await anna.received("Velkommen tilbage", count=3)
    await anna.send("Hvornår er der møde?")
    await said(fake, OFFICERS_CHAT, "Hvornår er der møde?")
    assert not [m for m in anna.inbox() if "Er du der?" in m]


# --- MMS ----------------------------------------------------------------------------------------


async def test_mms_media_reach_the_officers_group(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    await onboard(app, anna)
    sid = new_sid("MM")
    picture = b"\x89PNG\r\n\x1a\n" + b"x" * 2000
    url = twilio.add_media(sid, new_sid("ME"), picture, "image/png", redirect=True)
    await anna.send("Graffiti på muren ved stationen", sid=sid, media=[(url, "image/png")])
    [photo] = await fake.wait_for_call(
        "sendPhoto", predicate=lambda c: c.params.get("chat_id") == OFFICERS_CHAT
    )
    assert photo.params["photo"]["size"] == len(picture)
    assert "Graffiti" in photo.params["caption"] and "+4520123456" in photo.params["caption"]
    fetches = [r for r in twilio.requests if r["method"] == "GET" and "/Media/" in r["path"]]
    assert fetches and all(r["auth_ok"] for r in fetches)


async def test_mms_whose_picture_is_gone_still_relays_the_text(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    await onboard(app, anna)
    sid = new_sid("MM")
    gone = f"{twilio.base_url}/2010-04-01/Accounts/{twilio.account_sid}/Messages/{sid}/Media/ME0"
    await anna.send("Knust rude i busskuret", sid=sid, media=[(gone, "image/jpeg")])
    relay = await said(fake, OFFICERS_CHAT, "Knust rude i busskuret")
    assert "+4520123456" in text_of(relay[0])
    assert not fake.calls_of("sendPhoto")


# --- delivery -----------------------------------------------------------------------------------


async def test_status_callbacks_only_move_forward(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    await onboard(app, anna)
    await anna.send("Er der nyt?")
    await said(fake, OFFICERS_CHAT, "Er der nyt?")
    thread = thread_of(fake, "+4520123456")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Ikke endnu", message_thread_id=thread)
    )
    [sms] = await anna.received("Ikke endnu")
    assert await anna.status(sms["sid"], "delivered") == 200
    assert await anna.status(sms["sid"], "sent") == 200  # late, out of order
    assert await anna.status(sms["sid"], "queued") == 200
    row = await _message_by_sid(app, sms["sid"])
    assert row["status"] == "delivered"
    assert (await _sms_row(app, sms["sid"]))["status"] == "delivered"

    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Hallo?", message_thread_id=thread)
    )
    [second] = await anna.received("Hallo?")
    assert await anna.status(second["sid"], "undelivered", error_code=30003) == 200
    assert await anna.status(second["sid"], "sent") == 200
    notice = await said(fake, OFFICERS_CHAT, "blev ikke leveret")
    assert "nummeret kan ikke nås" in text_of(notice[0])
    row = await _message_by_sid(app, second["sid"])
    assert row["status"] == "undelivered"
    assert (await ambassador(app, ANNA)).unreachable
    unknown, signature = signed_status_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/status",
        message_sid=new_sid("SM"),
        status="delivered",
        to=ANNA,
        from_=BOT_NUMBER,
    )
    assert await anna.post("/twilio/status", unknown, signature) == 200  # no harm done


async def test_opted_out_at_twilio_21610_tells_the_officer(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    await onboard(app, anna)
    await anna.send("Tak for mødet")
    await said(fake, OFFICERS_CHAT, "Tak for mødet")
    thread = thread_of(fake, "+4520123456")
    twilio.fail_next(status=400, code=21610, to=ANNA)
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Selv tak", message_thread_id=thread)
    )
    notice = await said(fake, OFFICERS_CHAT, "blev ikke leveret")
    assert "frameldt sig SMS" in text_of(notice[0])
    assert (await ambassador(app, ANNA)).unreachable
    assert not [m for m in anna.inbox() if "Selv tak" in m]


async def test_server_errors_are_retried(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi
) -> None:
    await onboard(app, anna)
    await anna.send("Hej")
    await said(fake, OFFICERS_CHAT, "Hej")
    thread = thread_of(fake, "+4520123456")
    twilio.fail_next(status=500, to=ANNA)
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Svar efter 500", message_thread_id=thread)
    )
    await anna.received("Svar efter 500", timeout=10)
    assert [r for r in twilio.requests if r["path"].endswith("/Messages.json")]


async def test_a_112_answer_that_hangs_at_twilio_is_sent_again_within_seconds(
    app: Runtime, anna: Phone, twilio: FakeTwilioApi
) -> None:
    """Twilio's answer to the first try comes 9 s late (seed 1: the first request is slow,
    the second is not); the 112 answer does not wait for it."""
    await onboard(app, anna)
    twilio.faults = FaultProfile(slow=0.5, slow_seconds=9.0, seed=1)
    await anna.send("Der er brand i opgangen lige nu")
    await anna.received("Ring 1-1-2", timeout=6)
    assert twilio.injected["slow"] == 1


async def test_sms_without_twilio_token_stops_start_up(
    sms_config: Config, fake: FakeBotApi, clock: ShiftedClock
) -> None:
    application = Runtime(
        sms_config, Secrets(telegram_bot_token=SecretStr(fake.token)), clock=clock
    )
    with pytest.raises(StartupError, match="TWILIO_AUTH_TOKEN"):
        await application.start()
    await application.stop()


# --- data protection by SMS ------------------------------------------------------------------


async def test_mine_data_by_sms_goes_through_the_officer(
    app: Runtime, fake: FakeBotApi, anna: Phone
) -> None:
    await onboard(app, anna)
    assert await anna.send("Mine data") == 200
    [told] = await anna.received("sørger for, at du får en kopi")
    assert "Mette Jensen" in told["Body"] and "<" not in told["Body"]
    amb = await ambassador(app, ANNA)
    [notice] = await said(fake, OFFICERS_CHAT, "har bedt om en kopi af sine data")
    assert f"tryghedsbot ambassadors export {amb.id}" in text_of(notice)
    assert not [t for t in group_texts(fake) if "Mine data" in t]  # not relayed as a message


async def test_slet_then_slet_ja_erases_an_sms_ambassador(
    app: Runtime, fake: FakeBotApi, anna: Phone, twilio: FakeTwilioApi, caplog: Any
) -> None:
    caplog.set_level(logging.INFO)
    await onboard(app, anna)
    assert await anna.send("Bilerne på Bøgevænget kører alt for stærkt") == 200
    await said(fake, OFFICERS_CHAT, "Bøgevænget")
    assert await anna.send("SLET") == 200
    await anna.received("Svar SLET JA for at slette")
    assert await ambassador(app, ANNA) is not None  # asking deletes nothing
    assert await anna.send("slet ja") == 200
    await anna.received("Dine oplysninger bliver nu slettet")
    dispatcher, erasures = app.dispatcher, app.erasures
    assert dispatcher is not None and erasures is not None
    while True:  # erased in the transaction that records the last SMS as sent
        seen = dispatcher.sent
        if await ambassador(app, ANNA) is None:
            break
        await dispatcher.wait_until(lambda seen=seen: dispatcher.sent > seen)
    await erasures.wait()
    await fake.wait_for_call("closeForumTopic")
    assert app.db is not None
    async with app.db.read() as tx:
        for table, column in (("inbox", "payload"), ("outbox", "payload"), ("messages", "text"),
                              ("audit", "details"), ("invitations", "phone")):  # fmt: skip
            rows = await tx.privacy._all(f"SELECT {column} AS v FROM {table}")
            for row in rows:
                for needle in (ANNA, ANNA[3:], "20 12 34 56", "Bøgevænget"):
                    assert needle not in str(row["v"]), (table, row["v"])
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    for needle in (ANNA, ANNA[3:], "Bøgevænget", "slet ja"):
        assert needle not in logged, needle


# --- helpers over the database ------------------------------------------------------------------


async def _sms_row(app: Runtime, sid: str) -> Any:
    """The bot's record of an SMS, once the sender has stored it (it may lag the fake)."""
    dispatcher, db = app.dispatcher, app.db
    assert dispatcher is not None and db is not None
    while True:
        seen = dispatcher.sent
        async with db.read() as tx:
            row = await tx.sms.row(sid)
        if row is not None and row["kind"] is not None:
            return row
        await dispatcher.wait_until(lambda seen=seen: dispatcher.sent > seen)


async def _message_by_sid(app: Runtime, sid: str) -> Any:
    part = await _sms_row(app, sid)
    assert app.db is not None and part["message_id"] is not None
    async with app.db.read() as tx:  # the stored row, with the SMS's segments and encoding
        row = await tx.messages._one("SELECT * FROM messages WHERE id = ?", (part["message_id"],))
    assert row is not None
    return row
