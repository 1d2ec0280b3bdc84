"""Hostile requests to the Twilio webhooks, signed and unsigned, into the real web server:
nothing answers 500, and a signed SMS cannot be replayed by shifting a field boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from urllib.parse import urlencode

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multidict import MultiDict
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.twilio_api import FakeTwilioApi, new_sid, signed_sms_form, signed_status_form

PUBLIC = "https://bot.example.dk"
BOT_NUMBER = "+4550000000"
STRANGER = "+4540404040"
SMS_KEYS = [
    "MessageSid",
    "SmsMessageSid",
    "SmsSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "NumSegments",
    "AccountSid",
]
STATUS_KEYS = ["MessageSid", "SmsSid", "MessageStatus", "SmsStatus", "ErrorCode", "To", "From"]
ODD_VALUES = [
    "",
    "²",
    "３",
    "-1",
    "1e3",
    "9" * 5000,
    "SM" + "0" * 31,
    "SM" + "g" * 32,
    "sm" + "0" * 32,
    "MM" + "f" * 32 + "\n",
    "+45 20 12 34 56",
    "\x00",
    "delivered",
    "DELIVERED",
    "ødelagt",
    "http://127.0.0.1:1/x",
    "💥" * 50,
]

pytestmark = pytest.mark.usefixtures("_no_twilio_edge")


@pytest.fixture
def _no_twilio_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWILIO_EDGE", raising=False)
    monkeypatch.delenv("TWILIO_REGION", raising=False)


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilioApi]:
    async with FakeTwilioApi() as api:
        yield api


@pytest.fixture
async def app(
    make_config: Callable[..., Config],
    twilio: FakeTwilioApi,
    fake: FakeBotApi,
    clock: ShiftedClock,
) -> AsyncIterator[Runtime]:
    section = f"""
[sms]
account_sid = "{twilio.account_sid}"
from_number = "{BOT_NUMBER}"
public_url = "{PUBLIC}"
api_base_url = "{twilio.base_url}"
messages_per_second = 100
"""
    secrets = Secrets(
        telegram_bot_token=SecretStr(fake.token), twilio_auth_token=SecretStr(twilio.auth_token)
    )
    application = Runtime(make_config(extra=section), secrets, clock=clock)
    await application.start()
    yield application
    await application.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def local(app: Runtime, path: str) -> str:
    assert app.web is not None
    return f"http://127.0.0.1:{app.web.port}{path}"


async def post(
    http: aiohttp.ClientSession, url: str, form: MultiDict[str], signature: str | None
) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    body = urlencode(list(form.items()))  # as Twilio posts it
    async with http.post(url, data=body.encode(), headers=headers) as response:
        await response.read()
        return response.status


def signed(token: str, path: str, form: MultiDict[str]) -> str:
    signature: str = RequestValidator(token).compute_signature(PUBLIC + path, form)
    return signature


async def arrivals(app: Runtime) -> int:
    assert app.db is not None
    async with app.db.read() as tx:
        rows = await tx.inbox._all("SELECT count(*) FROM inbox")
    return int(rows[0][0])


async def test_a_signed_sms_replayed_with_a_shifted_field_boundary_is_refused(
    app: Runtime, http: aiohttp.ClientSession, twilio: FakeTwilioApi
) -> None:
    form, signature = signed_sms_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/sms",
        from_=STRANGER,
        to=BOT_NUMBER,
        body="Der er brand i nabohuset lige nu",
    )
    sid = form["MessageSid"]
    assert await post(http, local(app, "/twilio/sms"), MultiDict(form), signature) == 200

    # "MessageSid" "SM…" "NumMedia" "0" run together as the signature sees them:
    # moving the boundary makes a new sid and keeps the signature valid.
    shifted = {k: v for k, v in form.items() if k != "NumMedia"}
    shifted["MessageSid"] = sid + "NumMedia" + form["NumMedia"]
    validator = RequestValidator(twilio.auth_token)
    assert validator.validate(PUBLIC + "/twilio/sms", shifted, signature)
    assert await post(http, local(app, "/twilio/sms"), MultiDict(shifted), signature) == 400
    assert await arrivals(app) == 1

    # MessageSid swallowed by the field before it, and the older SmsMessageSid shifted.
    moved = {k: v for k, v in form.items() if k not in ("MessageSid", "SmsSid")}
    moved["FromZip"] = form["FromZip"] + "MessageSid" + sid
    moved["SmsMessageSid"] = sid + "SmsSid" + sid
    assert validator.validate(PUBLIC + "/twilio/sms", moved, signature)
    assert await post(http, local(app, "/twilio/sms"), MultiDict(moved), signature) == 400
    assert await arrivals(app) == 1


@pytest.mark.parametrize("code", ["²", "３", "-1", "1e3", "30003 ", "9" * 5000])
async def test_a_signed_status_callback_with_an_odd_error_code_is_refused(
    app: Runtime, http: aiohttp.ClientSession, twilio: FakeTwilioApi, code: str
) -> None:
    form, _ = signed_status_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/status",
        message_sid=new_sid("SM"),
        status="undelivered",
        to=STRANGER,
        from_=BOT_NUMBER,
        extra={"ErrorCode": code},
    )
    signature = signed(twilio.auth_token, "/twilio/status", MultiDict(form))
    assert await post(http, local(app, "/twilio/status"), MultiDict(form), signature) == 400


Change = tuple[str, str, str]  # (how, key, value): how is set, add or drop


def hostile_changes(keys: list[str]) -> st.SearchStrategy[list[Change]]:
    """Changes to a form: Twilio's names and others, odd and random values, repeats."""
    text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
    key = st.sampled_from(keys) | text.filter(bool)
    value = st.sampled_from(ODD_VALUES) | text
    how = st.sampled_from(["set", "set", "add", "drop"])
    return st.lists(st.tuples(how, key, value), min_size=1, max_size=8)


def changed(form: MultiDict[str], changes: list[Change]) -> MultiDict[str]:
    for how, key, value in changes:
        if how == "drop":
            form.popall(key, None)
        elif how == "add":
            form.add(key, value)
        else:
            form[key] = value
    return form


# One app serves all examples of a test; each example is one request to it.
WEBHOOK_FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@WEBHOOK_FUZZ
@given(changes=hostile_changes(SMS_KEYS), from_scratch=st.booleans())
async def test_no_signed_sms_form_answers_500(
    app: Runtime,
    http: aiohttp.ClientSession,
    twilio: FakeTwilioApi,
    changes: list[Change],
    from_scratch: bool,
) -> None:
    real, _ = signed_sms_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/sms",
        from_=STRANGER,
        to=BOT_NUMBER,
        body="Hej",
    )
    form = changed(MultiDict() if from_scratch else MultiDict(real), changes)
    signature = signed(twilio.auth_token, "/twilio/sms", form)
    assert await post(http, local(app, "/twilio/sms"), form, signature) in (200, 400)


@WEBHOOK_FUZZ
@given(changes=hostile_changes(STATUS_KEYS), from_scratch=st.booleans())
async def test_no_signed_status_callback_answers_500(
    app: Runtime,
    http: aiohttp.ClientSession,
    twilio: FakeTwilioApi,
    changes: list[Change],
    from_scratch: bool,
) -> None:
    real, _ = signed_status_form(
        auth_token=twilio.auth_token,
        url=PUBLIC + "/twilio/status",
        message_sid=new_sid("SM"),
        status="failed",
        error_code=30003,
        to=STRANGER,
        from_=BOT_NUMBER,
    )
    form = changed(MultiDict() if from_scratch else MultiDict(real), changes)
    signature = signed(twilio.auth_token, "/twilio/status", form)
    assert await post(http, local(app, "/twilio/status"), form, signature) in (200, 400)


RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"MessageSid=%ff%fe&Body=%00"),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"Body=hej"),
    ("application/x-www-form-urlencoded; charset=utf-16", b"\xff\xfeB\x00=\x00\x00\xd8"),
    ("application/x-www-form-urlencoded", b"\xff\xfe\xfd"),
    (
        "multipart/form-data; boundary=xx",
        b'--xx\r\nContent-Disposition: form-data; name="Body"\r\n'
        b"Content-Type: text/plain; charset=unicode_escape\r\n\r\n\\ud800\r\n--xx--\r\n",
    ),
    (
        "multipart/form-data; boundary=xx",
        b'--xx\r\nContent-Disposition: form-data; name="Body"\r\n'
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nhej\r\n--xx--\r\n",
    ),
    ("multipart/form-data; boundary=xx", b"--xx\r\nbroken"),
    ("multipart/form-data", b"no boundary at all"),
    ("application/json", b'{"MessageSid": "SM"}'),
]


@pytest.mark.parametrize("path", ["/twilio/sms", "/twilio/status"])
@pytest.mark.parametrize(("content_type", "body"), RAW_BODIES)
@pytest.mark.parametrize("signature", [None, "c2lnbmF0dXJl", "ünïcode"])
async def test_no_unreadable_body_answers_500(
    app: Runtime,
    http: aiohttp.ClientSession,
    path: str,
    content_type: str,
    body: bytes,
    signature: str | None,
) -> None:
    headers = {"Content-Type": content_type}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    async with http.post(local(app, path), data=body, headers=headers) as response:
        assert response.status in (400, 403)
