"""A fake Twilio REST API on loopback, for SMS integration tests and the local demo.

It speaks enough of `https://api.twilio.com/2010-04-01` for the *real* twilio client to send
messages to it, fails on demand the way Twilio fails (`fail_next`, or seeded random 5xx, 429,
resets, lost and slow answers with `FaultProfile`), and serves MMS media behind HTTP Basic
auth. Helpers build inbound-SMS and status-callback webhooks signed exactly as Twilio signs
them, with the real `RequestValidator`.

Pointing the real client at the fake (checked against twilio 9.13)::

    client = Client(fake.account_sid, fake.auth_token, http_client=AsyncTwilioHttpClient())
    client.api.base_url = fake.base_url          # "http://127.0.0.1:PORT", no trailing path
    await client.messages.create_async(to=..., from_=..., body=...)
    await client.http_client.close()             # the aiohttp session it opened

`client.api` is the `Api` *domain* object (created lazily, then cached on the client, and
shared by `client.api.v2010`); every `client.messages` / `client.api.v2010.account.messages`
call builds its URL with `Domain.absolute_url`, i.e. from `client.api.base_url` at request
time, so setting it even after `client.messages` was first used still redirects. Two traps:

- Create the `AsyncTwilioHttpClient` inside the running event loop: it opens an
  `aiohttp.ClientSession` in its constructor.
- Leave `client.edge` / `client.region` unset (and the environment variables `TWILIO_EDGE`,
  `TWILIO_REGION`): with either set, `ClientBase.get_hostname` rewrites the host name, which
  turns "127.0.0.1" into nonsense (edge "dublin" gave "127.dublin.0.0.1").

Deliberate simplifications: one account, messages stay "queued" unless a test moves them
(`set_status`), and a message sent through a Messaging Service without `From` also answers
"queued" (real Twilio says "accepted" there).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import random
import re
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import aiohttp
import phonenumbers
from aiohttp import web
from twilio.request_validator import RequestValidator

from flows.sms_text import shape

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "AC" + "0" * 32
DEFAULT_AUTH_TOKEN = "test-auth-token"

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_ALPHANUMERIC_SENDER = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")
_MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9a-f]{32}$")
_MAX_BODY = 1600


def new_sid(prefix: str) -> str:
    """A Twilio-shaped sid: two letters and 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def _error_body(status: int, code: int, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(_error_body(status, code, message), status=status)


_DEFAULT_FAILURE_CODES = {400: 21211, 401: 20003, 403: 20003, 404: 20404, 429: 20429, 500: 20500}
_DEFAULT_FAILURE_MESSAGES = {
    21610: "Attempt to send to unsubscribed recipient",
    21211: "Invalid 'To' Phone Number",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    20503: "Service unavailable",
}


FAULT_KINDS = ("server_error", "rate_limited", "reset", "lost_answer", "slow")
#: Request kinds a fault profile can hit: message creation, and the reads.
ROUTES = frozenset({"create_message", "fetch_message", "fetch_media", "fetch_cdn"})


@dataclass
class FaultProfile:
    """Seeded random faults, off by default (``FakeTwilioApi.faults = None``).

    Every request of one of ``routes`` (default: message creation only) draws one random
    number from ``random.Random(seed)``; the rates are cumulative slices of [0, 1), so at most
    one fault hits a request. Faults come after authentication, before validation:

    - ``server_error``: HTTP 500 (code 20500) or 503 (20503); no message is created.
    - ``rate_limited``: HTTP 429 (code 20429); no message is created.
    - ``reset``: the connection is closed without an answer; no message is created.
    - ``lost_answer``: the message *is* created, then the connection is closed unanswered.
    - ``slow``: the answer comes ``slow_seconds`` late; the request is carried out at the
      end of the delay even when the client gave up before.

    Injected faults are counted in ``FakeTwilioApi.injected``; the request record's
    ``fault`` says which one hit it.
    """

    server_error: float = 0.0
    rate_limited: float = 0.0
    reset: float = 0.0
    lost_answer: float = 0.0
    slow: float = 0.0
    seed: int = 0
    slow_seconds: float = 2.0
    server_error_statuses: tuple[int, ...] = (500, 503)
    routes: frozenset[str] = frozenset({"create_message"})
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rates = [getattr(self, kind) for kind in FAULT_KINDS]
        if any(r < 0 for r in rates) or sum(rates) > 1.0:
            raise ValueError("fault rates must be at least 0 and add up to at most 1")
        if not self.server_error_statuses:
            raise ValueError("server_error_statuses must not be empty")
        unknown = set(self.routes) - ROUTES
        if unknown:
            raise ValueError(f"unknown routes {sorted(unknown)}; known: {sorted(ROUTES)}")
        self._rng = random.Random(self.seed)

    def draw(self, route: str) -> str:
        """The fault for the next request of `route` ('' for none)."""
        if route not in self.routes:
            return ""
        roll = self._rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += getattr(self, kind)
            if roll < edge:
                return kind
        return ""

    def server_status(self) -> int:
        return self._rng.choice(self.server_error_statuses)


@dataclass
class _Failure:
    status: int
    code: int
    message: str
    remaining: int
    to: str | None


@dataclass
class _Media:
    content: bytes
    content_type: str
    redirect: bool


class FakeTwilioApi:
    """Loopback HTTP server impersonating the parts of Twilio's REST API that we use."""

    def __init__(
        self,
        *,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.host = host
        self.port = port
        self.base_url = ""
        # Every created message, oldest first: To, From, MessagingServiceSid, Body,
        # StatusCallback, MediaUrl (list), sid, status, segments, encoding, time, form.
        self.messages: list[dict[str, Any]] = []
        # Every request: method, path, query, auth_ok, form (last value per key), form_items.
        self.requests: list[dict[str, Any]] = []
        # Status callbacks sent with `send_status_callback`: url, form, signature, status.
        self.callbacks: list[dict[str, Any]] = []
        self._failures: list[_Failure] = []
        self.faults: FaultProfile | None = None
        """Random faults (see :class:`FaultProfile`); None: none."""
        self.injected: Counter[str] = Counter()
        """How many faults of each kind (``FAULT_KINDS``) were injected."""
        self._media: dict[str, _Media] = {}
        self._cdn: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        prefix = f"/{API_VERSION}/Accounts/{{account_sid}}"
        app.router.add_post(f"{prefix}/Messages.json", self._create_message)
        app.router.add_get(f"{prefix}/Messages/{{sid}}.json", self._fetch_message)
        app.router.add_get(f"{prefix}/Messages/{{sid}}/Media/{{media_sid}}", self._fetch_media)
        app.router.add_get("/cdn/{token}", self._fetch_cdn)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTwilioApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- test controls -----------------------------------------------------------------------

    def fail_next(
        self,
        *,
        status: int,
        code: int | None = None,
        message: str = "",
        count: int = 1,
        to: str | None = None,
    ) -> None:
        """Make the next `count` message creations (to `to`, if given) fail like Twilio.

        E.g. status=400, code=21610 (recipient opted out); 429 (20429); 500 (20500). Failures
        queue up in the order they were set; authentication is checked before them.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        code = code if code is not None else _DEFAULT_FAILURE_CODES.get(status, status)
        message = message or _DEFAULT_FAILURE_MESSAGES.get(code, f"Fake failure {code}")
        self._failures.append(_Failure(status, code, message, count, to))

    def add_media(
        self,
        message_sid: str,
        media_sid: str,
        content: bytes,
        content_type: str,
        *,
        redirect: bool = False,
    ) -> str:
        """Serve `content` at a Twilio-style media URL (Basic auth required); return the URL.

        With `redirect=True` the URL answers like the real one does: 307 to an unauthenticated
        CDN address on this fake, so a client must follow redirects.
        """
        path = (
            f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message_sid}/Media/{media_sid}"
        )
        self._media[path] = _Media(content, content_type, redirect)
        return self.base_url + path

    def set_status(self, message_sid: str, status: str, error_code: int | None = None) -> None:
        """Move a created message to another status (seen by GET and status callbacks)."""
        message = self._message(message_sid)
        if message is None:
            raise KeyError(message_sid)
        message["status"] = status
        message["error_code"] = error_code

    async def wait_for_messages(
        self,
        count: int,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Wait until at least `count` messages were created; return all of them."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(self.messages) >= count), timeout
                )
            except TimeoutError:
                raise TimeoutError(
                    f"expected {count} message(s) within {timeout}s, got {len(self.messages)}: "
                    f"{[m['Body'] for m in self.messages]!r}"
                ) from None
            return list(self.messages)

    async def send_status_callback(
        self,
        message_sid: str,
        status: str,
        *,
        error_code: int | None = None,
        url: str | None = None,
        public_url: str | None = None,
    ) -> int:
        """POST a signed status callback for a created message, as Twilio would.

        `url` defaults to the message's StatusCallback. `public_url` is what the signature is
        computed over when the bot sits behind a proxy (defaults to `url`). Returns the HTTP
        status the bot answered with.
        """
        message = self._message(message_sid)
        if message is None:
            raise KeyError(message_sid)
        target = url or message["StatusCallback"]
        if not target:
            raise ValueError(f"message {message_sid} has no StatusCallback and no url was given")
        self.set_status(message_sid, status, error_code)
        form, signature = signed_status_form(
            auth_token=self.auth_token,
            url=public_url or target,
            message_sid=message_sid,
            status=status,
            error_code=error_code,
            to=message["To"],
            from_=message["From"] or "",
            account_sid=self.account_sid,
        )
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(
            target, data=form, headers={"X-Twilio-Signature": signature}
        ) as response:
            await response.read()
            self.callbacks.append(
                {"url": target, "form": form, "signature": signature, "status": response.status}
            )
            return response.status

    # --- handlers ----------------------------------------------------------------------------

    def _auth_ok(self, request: web.Request) -> bool:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            credentials = base64.b64decode(encoded.strip(), validate=True)
        except ValueError:
            return False
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        return secrets.compare_digest(credentials, expected)

    async def _record(self, request: web.Request) -> tuple[dict[str, Any], bool]:
        form = await request.post() if request.method == "POST" else {}
        items = [(k, str(v)) for k, v in form.items()]
        auth_ok = self._auth_ok(request)
        entry = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "auth_ok": auth_ok,
            "form": dict(items),
            "form_items": items,
            "time": datetime.now(UTC),
            "fault": "",
        }
        self.requests.append(entry)
        return entry, auth_ok

    async def _fault(self, request: web.Request, entry: dict[str, Any], route: str) -> str:
        """Draw and apply the fault for this request: returns '' (go on as usual),
        'lost_answer' (go on, then drop the answer) or 'answered' (the fault is the answer:
        call :meth:`_faulted`)."""
        if self.faults is None:
            return ""
        fault = self.faults.draw(route)
        entry["fault"] = fault
        if not fault:
            return ""
        self.injected[fault] += 1
        if fault == "slow":
            await asyncio.sleep(self.faults.slow_seconds)
            return ""
        if fault == "lost_answer":
            return fault
        return "answered"

    def _faulted(self, request: web.Request, entry: dict[str, Any]) -> web.Response:
        fault = entry["fault"]
        if fault in ("reset", "lost_answer"):
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never reaches the client: the connection is gone
        if fault == "rate_limited":
            return _error(429, 20429, _DEFAULT_FAILURE_MESSAGES[20429])
        assert self.faults is not None
        status = self.faults.server_status()
        code = 20503 if status == 503 else 20500
        return _error(status, code, _DEFAULT_FAILURE_MESSAGES[code])

    def _check_account(self, request: web.Request, auth_ok: bool) -> web.Response | None:
        if not auth_ok:
            response = _error(401, 20003, "Authenticate")
            response.headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
            return response
        if request.match_info["account_sid"] != self.account_sid:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        return None

    async def _create_message(self, request: web.Request) -> web.Response:
        entry, auth_ok = await self._record(request)
        refusal = self._check_account(request, auth_ok)
        if refusal is not None:
            return refusal
        fault = await self._fault(request, entry, "create_message")
        if fault == "answered":
            return self._faulted(request, entry)
        response = await self._create_checked(entry)
        if fault == "lost_answer":
            return self._faulted(request, entry)
        return response

    async def _create_checked(self, entry: dict[str, Any]) -> web.Response:
        items: list[tuple[str, str]] = entry["form_items"]
        form: dict[str, str] = entry["form"]
        to = form.get("To", "")
        from_ = form.get("From") or None
        service = form.get("MessagingServiceSid") or None
        body = form.get("Body", "")
        media_urls = [v for k, v in items if k == "MediaUrl"]

        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not _E164.match(to):
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if from_ is None and service is None:
            return _error(400, 21603, "A 'From' phone number is required.")
        if from_ is not None and not (_E164.match(from_) or _ALPHANUMERIC_SENDER.match(from_)):
            return _error(
                400,
                21212,
                f"The 'From' number {from_} is not a valid phone number, shortcode, "
                "or alphanumeric sender ID.",
            )
        if service is not None and not _MESSAGING_SERVICE_SID.match(service):
            return _error(400, 21701, f"The Messaging Service Sid {service} is invalid.")
        if not body and not media_urls:
            return _error(400, 21619, "A text message body or media urls must be specified.")
        if len(body) > _MAX_BODY:
            return _error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )

        failure = self._take_failure(to)
        if failure is not None:
            return _error(failure.status, failure.code, failure.message)

        sms_shape = shape(body)
        message: dict[str, Any] = {
            "sid": new_sid("MM" if media_urls else "SM"),
            "To": to,
            "From": from_,
            "MessagingServiceSid": service,
            "Body": body,
            "StatusCallback": form.get("StatusCallback") or None,
            "MediaUrl": media_urls,
            "status": "queued",
            "error_code": None,
            "segments": sms_shape.segments,
            "encoding": str(sms_shape.encoding),
            "time": datetime.now(UTC).replace(microsecond=0),
            "form": form,
        }
        async with self._changed:
            self.messages.append(message)
            self._changed.notify_all()
        return web.json_response(self._resource(message), status=201)

    def _take_failure(self, to: str) -> _Failure | None:
        for failure in self._failures:
            if failure.to is None or failure.to == to:
                failure.remaining -= 1
                if failure.remaining == 0:
                    self._failures.remove(failure)
                return failure
        return None

    async def _fetch_message(self, request: web.Request) -> web.Response:
        entry, auth_ok = await self._record(request)
        refusal = self._check_account(request, auth_ok)
        if refusal is not None:
            return refusal
        fault = await self._fault(request, entry, "fetch_message")
        if fault:
            return self._faulted(request, entry)
        message = self._message(request.match_info["sid"])
        if message is None:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        return web.json_response(self._resource(message))

    async def _fetch_media(self, request: web.Request) -> web.StreamResponse:
        entry, auth_ok = await self._record(request)
        refusal = self._check_account(request, auth_ok)
        if refusal is not None:
            return refusal
        fault = await self._fault(request, entry, "fetch_media")
        if fault:
            return self._faulted(request, entry)
        media = self._media.get(request.path)
        if media is None:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        if media.redirect:
            token = secrets.token_urlsafe(16)
            self._cdn[token] = request.path
            raise web.HTTPTemporaryRedirect(f"{self.base_url}/cdn/{token}")
        return web.Response(body=media.content, content_type=media.content_type)

    async def _fetch_cdn(self, request: web.Request) -> web.Response:
        entry, _ = await self._record(request)
        fault = await self._fault(request, entry, "fetch_cdn")
        if fault:
            return self._faulted(request, entry)
        path = self._cdn.get(request.match_info["token"])
        media = self._media.get(path or "")
        if media is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=media.content, content_type=media.content_type)

    # --- resources ---------------------------------------------------------------------------

    def _message(self, sid: str) -> dict[str, Any] | None:
        return next((m for m in self.messages if m["sid"] == sid), None)

    def _resource(self, message: dict[str, Any]) -> dict[str, Any]:
        """The message as Twilio's JSON represents it (counts as strings, RFC 2822 dates)."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{message['sid']}"
        created = format_datetime(message["time"])
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": message["Body"],
            "date_created": created,
            "date_sent": None,
            "date_updated": created,
            "direction": "outbound-api",
            "error_code": message["error_code"],
            "error_message": None,
            "from": message["From"],
            "messaging_service_sid": message["MessagingServiceSid"],
            "num_media": str(len(message["MediaUrl"])),
            "num_segments": str(message["segments"]),
            "price": None,
            "price_unit": "USD",
            "sid": message["sid"],
            "status": message["status"],
            "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
            "to": message["To"],
            "uri": f"{uri}.json",
        }


# --- signed webhooks ------------------------------------------------------------------------


def _country(number: str) -> str:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(number)) or ""
    except phonenumbers.NumberParseException:
        return ""


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The X-Twilio-Signature header value for a form POST to `url` (the public URL)."""
    signature: str = RequestValidator(auth_token).compute_signature(url, dict(params))
    return signature


def signed_sms_form(
    *,
    auth_token: str,
    url: str,
    from_: str,
    to: str,
    body: str,
    message_sid: str | None = None,
    num_media: int | None = None,
    media: Sequence[tuple[str, str]] = (),
    extra: Mapping[str, str] | None = None,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    messaging_service_sid: str | None = None,
) -> tuple[dict[str, str], str]:
    """An inbound-SMS webhook form, as Twilio posts it, and its X-Twilio-Signature.

    `media` is a list of (url, content_type); `num_media` defaults to its length. `extra`
    adds or overrides parameters before signing.
    """
    media = list(media)
    count = len(media) if num_media is None else num_media
    sid = message_sid or new_sid("MM" if media else "SM")
    params: dict[str, str] = {
        "ToCountry": _country(to),
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": str(count),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": _country(from_),
        "To": to,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    params.update(
        {
            "ToZip": "",
            "NumSegments": str(shape(body).segments),
            "MessageSid": sid,
            "AccountSid": account_sid,
            "From": from_,
            "ApiVersion": API_VERSION,
        }
    )
    for i, (media_url, content_type) in enumerate(media):
        params[f"MediaContentType{i}"] = content_type
        params[f"MediaUrl{i}"] = media_url
    if extra:
        params.update(extra)
    return params, sign(auth_token, url, params)


def signed_status_form(
    *,
    auth_token: str,
    url: str,
    message_sid: str,
    status: str,
    error_code: int | None = None,
    to: str,
    from_: str,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    extra: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], str]:
    """A message status callback form (MessageStatus, ErrorCode ...) and its signature."""
    params: dict[str, str] = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
    if extra:
        params.update(extra)
    return params, sign(auth_token, url, params)


__all__ = [
    "API_VERSION",
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "FakeTwilioApi",
    "new_sid",
    "sign",
    "signed_sms_form",
    "signed_status_form",
]


async def _serve(port: int, account_sid: str, auth_token: str) -> None:
    """Run the fake until interrupted, printing each message as the bot sends it."""
    async with FakeTwilioApi(account_sid=account_sid, auth_token=auth_token, port=port) as fake:
        print(f"fake Twilio API at {fake.base_url} (account {account_sid})", flush=True)
        seen = 0
        while True:
            try:
                messages = await fake.wait_for_messages(seen + 1, timeout=3600)
            except TimeoutError:
                continue
            for message in messages[seen:]:
                print(f"{message['sid']} → {message['To']}: {message['Body']!r}", flush=True)
            seen = len(messages)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m tests.fakes.twilio_api --port 8099`: a stand-in Twilio for the local demo."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port, args.account_sid, args.auth_token))


if __name__ == "__main__":
    main()
