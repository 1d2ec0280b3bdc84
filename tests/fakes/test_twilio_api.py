"""The fake Twilio API against the real twilio client, and the signed-webhook helpers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes.twilio_api import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    FakeTwilioApi,
    FaultProfile,
    signed_sms_form,
    signed_status_form,
)

TO = "+4512345678"
FROM = "+4550000000"
SERVICE = "MG" + "1" * 32
CALLBACK = "https://bot.example.dk/twilio/status"


def basic_auth(login: str, password: str) -> dict[str, str]:
    # aiohttp 3.14 deprecates aiohttp.BasicAuth (a DeprecationWarning, an error under pytest).
    return {"Authorization": aiohttp.encode_basic_auth(login, password)}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilioApi]:
    async with FakeTwilioApi() as api:
        yield api


def make_client(fake: FakeTwilioApi, *, auth_token: str | None = None) -> Client:
    """The real client, pointed at the fake the way the product does it."""
    client = Client(
        fake.account_sid, auth_token or fake.auth_token, http_client=AsyncTwilioHttpClient()
    )
    client.api.base_url = fake.base_url
    return client


@pytest.fixture
async def client(fake: FakeTwilioApi) -> AsyncIterator[Client]:
    client = make_client(fake)
    yield client
    await client.http_client.close()


# --- sending -----------------------------------------------------------------------------------


async def test_real_client_sends_to_fake(fake: FakeTwilioApi, client: Client) -> None:
    assert fake.base_url.startswith("http://127.0.0.1:")
    message = await client.messages.create_async(
        to=TO, from_=FROM, body="Hej Søren, tak for din besked", status_callback=CALLBACK
    )
    assert message.sid is not None and message.sid.startswith("SM") and len(message.sid) == 34
    assert message.status == "queued"
    assert message.num_segments == "1"  # a string, as from real Twilio
    assert message.to == TO and message.from_ == FROM
    assert message.account_sid == DEFAULT_ACCOUNT_SID
    assert message.api_version == "2010-04-01"
    assert message.error_code is None
    assert isinstance(message.date_created, datetime)
    assert message.date_created.tzinfo is not None

    [recorded] = await fake.wait_for_messages(1)
    assert recorded["sid"] == message.sid
    assert recorded["To"] == TO and recorded["From"] == FROM
    assert recorded["Body"] == "Hej Søren, tak for din besked"
    assert recorded["StatusCallback"] == CALLBACK
    assert recorded["MessagingServiceSid"] is None
    assert recorded["MediaUrl"] == []
    assert recorded["segments"] == 1 and recorded["encoding"] == "GSM-7"
    assert recorded["time"].tzinfo is UTC

    [request] = fake.requests
    assert request["method"] == "POST"
    assert request["path"] == f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json"
    assert request["auth_ok"] is True


async def test_segments_and_messaging_service(fake: FakeTwilioApi, client: Client) -> None:
    message = await client.messages.create_async(
        to=TO, messaging_service_sid=SERVICE, body="Hej 👋 " + "x" * 70
    )
    assert message.num_segments == "2"  # the emoji makes it UCS-2: 67 per part
    assert message.messaging_service_sid == SERVICE
    assert message.from_ is None
    recorded = fake.messages[0]
    assert recorded["MessagingServiceSid"] == SERVICE and recorded["From"] is None
    assert recorded["encoding"] == "UCS-2"


async def test_media_urls_are_recorded(fake: FakeTwilioApi, client: Client) -> None:
    urls = ["https://example.dk/a.jpg", "https://example.dk/b.png"]
    message = await client.messages.create_async(to=TO, from_=FROM, media_url=urls)
    assert message.num_media == "2"
    assert message.sid is not None and message.sid.startswith("MM")
    assert fake.messages[0]["MediaUrl"] == urls


async def test_fetch_message_by_sid(fake: FakeTwilioApi, client: Client) -> None:
    created = await client.messages.create_async(to=TO, from_=FROM, body="Hej")
    assert created.sid is not None
    fake.set_status(created.sid, "undelivered", 30003)
    fetched = await client.messages(created.sid).fetch_async()
    assert fetched.sid == created.sid
    assert fetched.status == "undelivered"
    assert fetched.error_code == 30003
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages("SM" + "f" * 32).fetch_async()
    assert excinfo.value.status == 404


async def test_wait_for_messages_is_event_based(fake: FakeTwilioApi, client: Client) -> None:
    waiter = asyncio.create_task(fake.wait_for_messages(2, timeout=5))
    await client.messages.create_async(to=TO, from_=FROM, body="en")
    assert not waiter.done()
    await client.messages.create_async(to=TO, from_=FROM, body="to")
    messages = await waiter
    assert [m["Body"] for m in messages] == ["en", "to"]


async def test_wait_for_messages_times_out(fake: FakeTwilioApi) -> None:
    with pytest.raises(TimeoutError, match="expected 1 message"):
        await fake.wait_for_messages(1, timeout=0.01)


# --- failures ----------------------------------------------------------------------------------


async def test_wrong_auth_token_is_401(fake: FakeTwilioApi) -> None:
    client = make_client(fake, auth_token="wrong")
    try:
        with pytest.raises(TwilioRestException) as excinfo:
            await client.messages.create_async(to=TO, from_=FROM, body="Hej")
    finally:
        await client.http_client.close()
    assert excinfo.value.status == 401
    assert excinfo.value.code == 20003
    assert fake.messages == []
    assert fake.requests[0]["auth_ok"] is False


async def test_other_account_is_404(fake: FakeTwilioApi) -> None:
    other = "AC" + "9" * 32
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            f"{fake.base_url}/2010-04-01/Accounts/{other}/Messages.json",
            data={"To": TO, "From": FROM, "Body": "x"},
            headers=basic_auth(fake.account_sid, fake.auth_token),
        )
        assert response.status == 404
        assert (await response.json())["code"] == 20404


async def test_opted_out_recipient(fake: FakeTwilioApi, client: Client) -> None:
    fake.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages.create_async(to=TO, from_=FROM, body="Hej")
    assert excinfo.value.code == 21610
    assert excinfo.value.status == 400
    assert "unsubscribed" in excinfo.value.msg
    assert fake.messages == []
    # Only the next one failed.
    await client.messages.create_async(to=TO, from_=FROM, body="Hej igen")
    assert len(fake.messages) == 1


async def test_fail_next_for_one_recipient_and_count(fake: FakeTwilioApi, client: Client) -> None:
    other = "+4587654321"
    fake.fail_next(status=500, count=2, to=other)
    await client.messages.create_async(to=TO, from_=FROM, body="ok")
    for _ in range(2):
        with pytest.raises(TwilioRestException) as excinfo:
            await client.messages.create_async(to=other, from_=FROM, body="fejl")
        assert excinfo.value.status == 500
        assert excinfo.value.code == 20500
    await client.messages.create_async(to=other, from_=FROM, body="nu virker det")
    assert [m["Body"] for m in fake.messages] == ["ok", "nu virker det"]


async def test_rate_limited(fake: FakeTwilioApi, client: Client) -> None:
    fake.fail_next(status=429)
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages.create_async(to=TO, from_=FROM, body="Hej")
    assert (excinfo.value.status, excinfo.value.code) == (429, 20429)


async def test_error_body_shape(fake: FakeTwilioApi) -> None:
    fake.fail_next(status=400, code=21610)
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            f"{fake.base_url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json",
            data={"To": TO, "From": FROM, "Body": "x"},
            headers=basic_auth(fake.account_sid, fake.auth_token),
        )
        assert response.status == 400
        assert await response.json() == {
            "code": 21610,
            "message": "Attempt to send to unsubscribed recipient",
            "more_info": "https://www.twilio.com/docs/errors/21610",
            "status": 400,
        }


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"to": "12345678", "from_": FROM, "body": "x"}, 21211),
        ({"to": TO, "body": "x"}, 21603),
        ({"to": TO, "from_": FROM}, 21619),
        ({"to": TO, "from_": FROM, "body": "x" * 1601}, 21617),
        ({"to": TO, "from_": "not a number!", "body": "x"}, 21212),
    ],
)
async def test_validation(client: Client, kwargs: dict[str, str], code: int) -> None:
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages.create_async(**kwargs)
    assert excinfo.value.status == 400
    assert excinfo.value.code == code


async def test_alphanumeric_sender_is_accepted(fake: FakeTwilioApi, client: Client) -> None:
    await client.messages.create_async(to=TO, from_="Politi", body="Info")
    assert fake.messages[0]["From"] == "Politi"


# --- media -------------------------------------------------------------------------------------


async def test_media_fetch_requires_auth(fake: FakeTwilioApi) -> None:
    url = fake.add_media("MM" + "a" * 32, "ME" + "b" * 32, b"\xff\xd8jpeg", "image/jpeg")
    assert url.startswith(fake.base_url + "/2010-04-01/Accounts/")
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 401
        async with session.get(url, headers=basic_auth(fake.account_sid, "wrong")) as response:
            assert response.status == 401
        auth = basic_auth(fake.account_sid, fake.auth_token)
        async with session.get(url, headers=auth) as response:
            assert response.status == 200
            assert response.content_type == "image/jpeg"
            assert await response.read() == b"\xff\xd8jpeg"
        async with session.get(url + "x", headers=auth) as response:
            assert response.status == 404


async def test_media_redirects_like_twilio(fake: FakeTwilioApi) -> None:
    url = fake.add_media("MM" + "a" * 32, "ME" + "c" * 32, b"GIF89a", "image/gif", redirect=True)
    auth = basic_auth(fake.account_sid, fake.auth_token)
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=auth, allow_redirects=False) as response:
            assert response.status == 307
            assert "/cdn/" in response.headers["Location"]
        async with session.get(url, headers=auth) as response:
            assert response.status == 200
            assert await response.read() == b"GIF89a"


# --- signed webhooks ---------------------------------------------------------------------------

WEBHOOK = "https://bot.example.dk/twilio/sms?x=1"


def test_signed_sms_form_validates() -> None:
    form, signature = signed_sms_form(
        auth_token=DEFAULT_AUTH_TOKEN, url=WEBHOOK, from_=TO, to=FROM, body="Hej æøå 👋"
    )
    validator = RequestValidator(DEFAULT_AUTH_TOKEN)
    assert validator.validate(WEBHOOK, form, signature)
    assert form["SmsStatus"] == "received"
    assert form["From"] == TO and form["To"] == FROM
    assert form["FromCountry"] == "DK" and form["ToCountry"] == "DK"
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]
    assert form["MessageSid"].startswith("SM") and len(form["MessageSid"]) == 34
    assert form["NumMedia"] == "0"
    assert form["NumSegments"] == "1"
    assert form["ApiVersion"] == "2010-04-01"
    assert form["AccountSid"] == DEFAULT_ACCOUNT_SID
    assert "MessagingServiceSid" not in form

    changed = dict(form, Body="Hej æøå 👋!")
    assert not validator.validate(WEBHOOK, changed, signature)
    assert not validator.validate(WEBHOOK.replace("x=1", "x=2"), form, signature)
    assert not RequestValidator("other-token").validate(WEBHOOK, form, signature)


def test_signed_sms_form_with_media_and_extra() -> None:
    media = [
        ("https://api.twilio.com/m/1", "image/jpeg"),
        ("https://api.twilio.com/m/2", "image/png"),
    ]
    form, signature = signed_sms_form(
        auth_token=DEFAULT_AUTH_TOKEN,
        url=WEBHOOK,
        from_=TO,
        to=FROM,
        body="",
        message_sid="MM" + "e" * 32,
        media=media,
        messaging_service_sid=SERVICE,
        extra={"OptOutType": "STOP"},
    )
    assert RequestValidator(DEFAULT_AUTH_TOKEN).validate(WEBHOOK, form, signature)
    assert form["NumMedia"] == "2"
    assert form["MediaUrl1"] == "https://api.twilio.com/m/2"
    assert form["MediaContentType0"] == "image/jpeg"
    assert form["MessageSid"] == "MM" + "e" * 32
    assert form["MessagingServiceSid"] == SERVICE
    assert form["OptOutType"] == "STOP"


def test_signed_status_form_validates() -> None:
    form, signature = signed_status_form(
        auth_token=DEFAULT_AUTH_TOKEN,
        url=CALLBACK,
        message_sid="SM" + "d" * 32,
        status="undelivered",
        error_code=30003,
        to=TO,
        from_=FROM,
    )
    validator = RequestValidator(DEFAULT_AUTH_TOKEN)
    assert validator.validate(CALLBACK, form, signature)
    assert form["MessageStatus"] == "undelivered" and form["ErrorCode"] == "30003"
    assert not validator.validate(CALLBACK, dict(form, MessageStatus="delivered"), signature)
    delivered, _ = signed_status_form(
        auth_token=DEFAULT_AUTH_TOKEN,
        url=CALLBACK,
        message_sid="SM" + "d" * 32,
        status="delivered",
        to=TO,
        from_=FROM,
    )
    assert "ErrorCode" not in delivered


async def test_send_status_callback_posts_signed_form(fake: FakeTwilioApi, client: Client) -> None:
    received: list[tuple[dict[str, str], str]] = []

    async def handler(request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        received.append((form, request.headers["X-Twilio-Signature"]))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/twilio/status", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        local_url = f"http://127.0.0.1:{port}/twilio/status"
        message = await client.messages.create_async(
            to=TO, from_=FROM, body="Hej", status_callback=local_url
        )
        assert message.sid is not None
        status = await fake.send_status_callback(message.sid, "delivered", public_url=CALLBACK)
    finally:
        await runner.cleanup()
    assert status == 204
    [(form, signature)] = received
    assert form["MessageSid"] == message.sid and form["MessageStatus"] == "delivered"
    assert RequestValidator(DEFAULT_AUTH_TOKEN).validate(CALLBACK, form, signature)
    assert fake.messages[0]["status"] == "delivered"


# --- random faults -----------------------------------------------------------------------------


async def test_faults_are_off_by_default(fake: FakeTwilioApi, client: Client) -> None:
    for n in range(10):
        await client.messages.create_async(to=TO, from_=FROM, body=f"{n}")
    assert fake.faults is None and not fake.injected
    assert all(r["fault"] == "" for r in fake.requests)


async def test_each_fault_as_the_client_sees_it(fake: FakeTwilioApi, client: Client) -> None:
    fake.faults = FaultProfile(server_error=1.0)
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages.create_async(to=TO, from_=FROM, body="5xx")
    assert (excinfo.value.status, excinfo.value.code) in ((500, 20500), (503, 20503))

    fake.faults = FaultProfile(rate_limited=1.0)
    with pytest.raises(TwilioRestException) as excinfo:
        await client.messages.create_async(to=TO, from_=FROM, body="429")
    assert (excinfo.value.status, excinfo.value.code) == (429, 20429)

    fake.faults = FaultProfile(reset=1.0)
    with pytest.raises(aiohttp.ClientError):
        await client.messages.create_async(to=TO, from_=FROM, body="reset")

    fake.faults = FaultProfile(lost_answer=1.0)
    with pytest.raises(aiohttp.ClientError):
        await client.messages.create_async(to=TO, from_=FROM, body="lost answer")
    assert [m["Body"] for m in fake.messages] == ["lost answer"]

    fake.faults = FaultProfile(slow=1.0, slow_seconds=0.3)
    before = asyncio.get_running_loop().time()
    message = await client.messages.create_async(to=TO, from_=FROM, body="slow")
    assert asyncio.get_running_loop().time() - before >= 0.3
    assert message.body == "slow"

    fake.faults = None
    await client.messages.create_async(to=TO, from_=FROM, body="after")
    assert [m["Body"] for m in fake.messages] == ["lost answer", "slow", "after"]
    assert fake.injected == {
        "server_error": 1,
        "rate_limited": 1,
        "reset": 1,
        "lost_answer": 1,
        "slow": 1,
    }
    assert [r["fault"] for r in fake.requests] == [
        "server_error",
        "rate_limited",
        "reset",
        "lost_answer",
        "slow",
        "",
    ]


async def test_fault_rates_are_seeded_and_counted(fake: FakeTwilioApi, client: Client) -> None:
    async def run() -> list[str]:
        fake.faults = FaultProfile(server_error=0.10, rate_limited=0.05, reset=0.05, seed=5)
        start = len(fake.requests)
        for n in range(120):
            with contextlib.suppress(TwilioRestException, aiohttp.ClientError):
                await client.messages.create_async(to=TO, from_=FROM, body=f"m{n}")
        return [r["fault"] for r in fake.requests[start:]]

    first = await run()
    second = await run()
    assert first == second
    assert 4 <= first.count("server_error") <= 24
    assert first.count("rate_limited") >= 1 and first.count("reset") >= 1
    assert sum(fake.injected.values()) == 2 * sum(1 for f in first if f)
    assert len(fake.messages) == 2 * first.count("")


async def test_faults_on_reads_only_when_asked(fake: FakeTwilioApi, client: Client) -> None:
    created = await client.messages.create_async(to=TO, from_=FROM, body="Hej")
    assert created.sid is not None
    fake.faults = FaultProfile(server_error=1.0)
    fetched = await client.messages(created.sid).fetch_async()
    assert fetched.body == "Hej"
    fake.faults = FaultProfile(server_error=1.0, routes=frozenset({"fetch_message"}))
    with pytest.raises(TwilioRestException):
        await client.messages(created.sid).fetch_async()
    await client.messages.create_async(to=TO, from_=FROM, body="creates still work")
    with pytest.raises(ValueError, match="unknown routes"):
        FaultProfile(routes=frozenset({"send"}))
    with pytest.raises(ValueError, match="add up"):
        FaultProfile(server_error=0.7, slow=0.7)
