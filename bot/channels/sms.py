"""The SMS channel through Twilio: signed webhooks in, the REST API out, and MMS media fetched
with the account's credentials for the officers' group.

Flows never see Twilio: a webhook becomes an `Inbound` (persisted and deduplicated by the
inbox), and an outbox item becomes one or more REST calls. Phone numbers are logged masked,
message bodies never, and the auth token only ever goes to Twilio's own hosts.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiolimiter import AsyncLimiter
from multidict import MultiDictProxy
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels import Receive, StartupError, Wiring
from bot.config import Config, Secrets, SmsSection
from bot.outbox import SEND_TIMEOUT, LaneSpec, PermanentError, Sent, TransientError
from flows import delivery
from flows.context import FlowContext, Links
from flows.delivery import FailReason
from flows.model import Attachment, Channel, Inbound, Lane, MediaKind, Outbound, Priority
from flows.phone import PhoneError, mask_phone, normalise_phone
from flows.ports import Clock
from flows.sms_text import shape, sms_body, split_for_sms
from storage.db import Database
from storage.health import Fault, classify
from storage.transaction import Transaction

log = logging.getLogger(__name__)

SMS_PATH = "/twilio/sms"
STATUS_PATH = "/twilio/status"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Twilio refuses bodies over 1600 characters; concatenated SMS beyond ten parts are unreliable.
MAX_PART_CHARS = 1530
MAX_MEDIA = 10
MAX_MEDIA_BYTES = 20 * 1024 * 1024  # Twilio MMS are at most 5 MB; Telegram takes 50 MB
FINAL_FAILURES = ("failed", "undelivered")

# What Twilio sends, and nothing else: a field that is not of this shape was not written by
# Twilio, whatever its signature says (see `TwilioWebhooks`).
MESSAGE_SID = re.compile(r"(?:SM|MM)[0-9a-fA-F]{32}")
STATUS_WORD = re.compile(r"[a-z_]{1,32}")
ERROR_CODE = re.compile(r"[0-9]{1,6}")  # ASCII digits only: int("²") fails, "²".isdigit()

OPTED_OUT_CODES = frozenset({21610})
UNREACHABLE_CODES = frozenset({21211, 21612, 21614, 30003, 30005, 30006})

# The twilio library logs every request at INFO, with the recipient and the body.
_twilio_log = logging.getLogger("bot.sms.twilio")
_twilio_log.setLevel(logging.WARNING)


def fail_reason(code: int | None) -> FailReason:
    """Twilio's error codes (REST errors and status callbacks) as the flows' reasons."""
    if code in OPTED_OUT_CODES:
        return FailReason.OPTED_OUT
    if code in UNREACHABLE_CODES:
        return FailReason.UNREACHABLE
    return FailReason.OTHER


def translate(exc: TwilioRestException) -> Exception:
    """Map a REST error onto the outbox's retry policy."""
    status, code = exc.status, exc.code
    detail = f"twilio {status} {code}: {exc.msg}"[:300]
    if status == 429:
        return TransientError(detail, retry_after=1.0)
    if status >= 500:
        return TransientError(detail)
    if status in (401, 403) and code in (20003, None):
        # The credentials are wrong: a configuration problem, so keep the message for later.
        log.error("Twilio refused the credentials ([sms] account_sid, TWILIO_AUTH_TOKEN)")
        return TransientError(detail)
    reason = fail_reason(code)
    if reason is FailReason.OTHER:
        reason = FailReason.BAD_REQUEST
    return PermanentError(reason, detail)


def rate_limiter(per_second: float) -> AsyncLimiter:
    """Below one a second, a bucket of one that refills slowly (aiolimiter needs ≥ 1)."""
    capacity = max(1.0, per_second)
    return AsyncLimiter(capacity, capacity / per_second)


@dataclass(frozen=True)
class SmsPart:
    sid: str
    segments: int
    encoding: str
    status: str


@dataclass(frozen=True)
class SmsSent(Sent):
    """What a send cost: one part per Twilio message (long texts go as several)."""

    parts: tuple[SmsPart, ...] = ()


# A 112 answer that hangs at Twilio is retried after this many seconds rather than awaited.
URGENT_TIMEOUT = 3.0


class SmsSender:
    """The outbox sender for (ambassador, sms): Telegram markup stripped, long texts split,
    paced in segments per second (acute answers are never held back)."""

    def __init__(self, section: SmsSection, auth_token: str) -> None:
        self.section = section
        self._token = auth_token
        self._client: Client | None = None
        self.limiter = rate_limiter(section.messages_per_second)
        self.status_callback = section.public_url.rstrip("/") + STATUS_PATH

    def _twilio(self) -> Client:
        # AsyncTwilioHttpClient opens an aiohttp session: it must be made inside the loop.
        if self._client is None:
            http = AsyncTwilioHttpClient(logger=_twilio_log, timeout=SEND_TIMEOUT)
            client = Client(self.section.account_sid, self._token, http_client=http)
            client.edge = None  # TWILIO_EDGE / TWILIO_REGION would rewrite the host name
            client.region = None
            client.api.base_url = self.section.api_base_url.rstrip("/")
            self._client = client
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.http_client.close()
            self._client = None

    async def send(self, item: Outbound) -> Sent:
        body = sms_body(item.text)
        if not body.strip():
            raise PermanentError(FailReason.BAD_REQUEST, "nothing to send by SMS")
        pieces = split_for_sms(body, MAX_PART_CHARS)
        parts: list[SmsPart] = []
        for piece in pieces:
            sms = shape(piece)
            if item.priority > Priority.ACUTE:
                for _ in range(sms.segments):
                    await self.limiter.acquire()
            limit = URGENT_TIMEOUT if item.priority <= Priority.ACUTE else SEND_TIMEOUT
            try:
                async with asyncio.timeout(limit):
                    sid, status = await self._create(item.address, piece)
            except TimeoutError as exc:
                raise TransientError(f"no answer from Twilio within {limit:g} s") from exc
            parts.append(SmsPart(sid, sms.segments, sms.encoding.value, status))
        log.info(
            "SMS %s (%s) to %s: %d part(s), %d segment(s)",
            parts[-1].sid,
            item.kind,
            mask_phone(item.address),
            len(parts),
            sum(p.segments for p in parts),
        )
        return SmsSent(platform_id=parts[-1].sid, parts=tuple(parts))

    async def _create(self, to: str, body: str) -> tuple[str, str]:
        options: dict[str, Any] = {"status_callback": self.status_callback}
        if self.section.from_number:
            options["from_"] = self.section.from_number
        if self.section.messaging_service_sid:
            options["messaging_service_sid"] = self.section.messaging_service_sid
        try:
            message = await self._twilio().messages.create_async(to=to, body=body, **options)
        except TwilioRestException as exc:
            raise translate(exc) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientError(f"network: {type(exc).__name__}: {exc}") from exc
        except TwilioException as exc:
            raise TransientError(f"twilio: {exc}") from exc
        if not message.sid:
            raise TransientError("Twilio answered without a message sid")
        return str(message.sid), str(message.status or "queued")


def record_sms(ctx: FlowContext) -> Callable[[Transaction, Outbound, Sent], Awaitable[None]]:
    """After a send: store each part's sid, segments and encoding; apply a status callback
    that was faster than this transaction."""

    async def after_sent(tx: Transaction, item: Outbound, sent: Sent) -> None:
        if not isinstance(sent, SmsSent):
            return
        now = ctx.clock.now()
        for number, part in enumerate(sent.parts, start=1):
            record = await tx.sms.record(
                part.sid,
                kind=item.kind,
                ambassador_id=item.ambassador_id,
                message_id=item.message_id,
                part=number,
                parts=len(sent.parts),
                segments=part.segments,
                encoding=part.encoding,
                status=part.status,
                now=now,
            )
            status = record.status
            if item.message_id is not None and status in ("delivered", *FINAL_FAILURES):
                reason = fail_reason(record.error_code) if status in FINAL_FAILURES else None
                await delivery.status_update(ctx, tx, item.message_id, status, reason)

    return after_sent


class MmsFetcher:
    """Downloads MMS media for the officers' group. Twilio's media URLs want the account's
    credentials (HTTP Basic), then redirect to a CDN; the credentials go to Twilio only."""

    def __init__(self, section: SmsSection, auth_token: str) -> None:
        self._api = urlsplit(section.api_base_url)
        credentials = f"{section.account_sid}:{auth_token}".encode()
        self._auth = "Basic " + base64.b64encode(credentials).decode("ascii")
        self._session: aiohttp.ClientSession | None = None

    def trusted(self, url: str) -> bool:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == (self._api.scheme, self._api.netloc):
            return True
        host = parts.hostname or ""
        return parts.scheme == "https" and (host == "twilio.com" or host.endswith(".twilio.com"))

    async def __call__(self, attachment: Attachment) -> tuple[bytes, str]:
        url = attachment.ref
        if not self.trusted(url):
            raise PermanentError(FailReason.BAD_REQUEST, "MMS media URL is not Twilio's")
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        try:
            async with self._session.get(
                url, headers={"Authorization": self._auth}, allow_redirects=True
            ) as response:
                if response.status == 429 or response.status >= 500:
                    raise TransientError(f"MMS media: HTTP {response.status}")
                if response.status >= 400:
                    raise PermanentError(
                        FailReason.BAD_REQUEST, f"MMS media: HTTP {response.status}"
                    )
                data = await response.content.read(MAX_MEDIA_BYTES + 1)
                content_type = attachment.content_type or response.content_type
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(f"MMS media: {type(exc).__name__}") from exc
        if len(data) > MAX_MEDIA_BYTES:
            raise PermanentError(FailReason.BAD_REQUEST, "MMS media too large")
        return data, content_type or "application/octet-stream"

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def media_kind(content_type: str) -> MediaKind:
    major = content_type.split("/", 1)[0].lower()
    return {"image": MediaKind.PHOTO, "audio": MediaKind.AUDIO, "video": MediaKind.VIDEO}.get(
        major, MediaKind.DOCUMENT
    )


def read_media(form: Mapping[str, str]) -> tuple[Attachment, ...]:
    try:
        count = min(int(form.get("NumMedia", "0") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    found: list[Attachment] = []
    for index in range(count):
        url = form.get(f"MediaUrl{index}", "")
        content_type = form.get(f"MediaContentType{index}", "")
        if url:
            found.append(Attachment(media_kind(content_type), url, content_type))
    return tuple(found)


def read_sms(form: Mapping[str, str], clock: Clock) -> Inbound | None:
    """An incoming SMS (Twilio's form fields) as an arrival; None if the sender is not a
    phone number. The sandbox's SMS phones come through here too."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    try:
        address = normalise_phone(form.get("From", ""), strict=False)
    except PhoneError:
        return None
    return Inbound(
        channel=Channel.SMS,
        address=address,
        dedupe_key=f"sms:{sid}",
        received_at=clock.now(),
        text=form.get("Body", ""),
        media=read_media(form),
    )


class TwilioWebhooks:
    """`/twilio/sms` and `/twilio/status` on the one web server.

    Every request must carry a valid `X-Twilio-Signature` over the *public* URL (from
    configuration: behind a proxy the local URL differs) and the form exactly as sent.

    A signature covers the keys and values run together, so a replayed form can move the
    boundary between a value and the next key (`MessageSid=SM…` + `NumMedia=0` becomes
    `MessageSid=SM…NumMedia0`) and keep its signature: every field we rely on must therefore
    have exactly the shape Twilio gives it, or the request is refused (400). Nothing from
    outside answers 500; a database that cannot store answers 503.
    """

    def __init__(
        self,
        section: SmsSection,
        auth_token: str,
        receive: Receive,
        db: Database,
        ctx: FlowContext,
    ) -> None:
        self.public_url = section.public_url.rstrip("/")
        self._validator = RequestValidator(auth_token)
        self._receive = receive
        self._db = db
        self._ctx = ctx

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(SMS_PATH, self.sms)
        app.router.add_post(STATUS_PATH, self.status)

    async def _signed_form(self, request: web.Request) -> MultiDictProxy[str] | None:
        signature = request.headers.get("X-Twilio-Signature", "")
        try:
            posted = await request.post()
        except (ValueError, LookupError, HttpProcessingError):  # bad bytes, charset, multipart
            posted = None
        if posted is None or not all(isinstance(v, str) for v in posted.values()):
            log.warning("Twilio webhook %s with an unreadable form refused", request.path)
            return None
        form: MultiDictProxy[str] = posted  # type: ignore[assignment]
        if not signature:
            log.warning("unsigned request to %s from %s refused", request.path, request.remote)
            return None
        url = self.public_url + request.path_qs
        try:
            valid = self._validator.validate(url, form, signature)
        except UnicodeError:  # text that has no UTF-8 form (lone surrogates): not Twilio's
            valid = False
        if not valid:
            log.warning(
                "request to %s from %s with a wrong Twilio signature refused (is [sms]"
                " public_url the address Twilio calls?)",
                request.path,
                request.remote,
            )
            return None
        return form

    async def sms(self, request: web.Request) -> web.Response:
        form = await self._signed_form(request)
        if form is None:
            return web.Response(status=403, text="forbidden")
        sid = message_sid(form, "MessageSid", "SmsMessageSid")
        if sid is None:
            log.warning("signed SMS webhook without a well-formed MessageSid refused")
            return web.Response(status=400, text="MessageSid missing or malformed")
        inbound = read_sms(form, self._ctx.clock)
        if inbound is None:
            log.warning("SMS %s from a sender that is not a phone number ignored", sid)
            return _twiml()
        # Stored, or (storage down) answered if urgent and held until it can be: Twilio does
        # not send an SMS again, so it is never refused for storage's sake.
        if await self._receive(inbound):
            log.info("SMS %s from %s received", sid, mask_phone(inbound.address))
        return _twiml()

    async def status(self, request: web.Request) -> web.Response:
        form = await self._signed_form(request)
        if form is None:
            return web.Response(status=403, text="forbidden")
        sid = message_sid(form, "MessageSid", "SmsSid")
        status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
        raw_code = form.get("ErrorCode", "")
        if sid is None or not STATUS_WORD.fullmatch(status):
            log.warning("signed status callback without a well-formed sid or status refused")
            return web.Response(status=400, text="MessageSid or MessageStatus missing or malformed")
        if raw_code and not ERROR_CODE.fullmatch(raw_code):
            log.warning("status callback for %s with a malformed ErrorCode refused", sid)
            return web.Response(status=400, text="ErrorCode malformed")
        code = int(raw_code) if raw_code else None
        try:
            await apply_status(self._db, self._ctx, sid, status, code)
        except Exception as exc:
            if not _storage_down(exc):
                raise
            log.warning("status of SMS %s could not be stored now; answered 503", sid)
            return _unavailable()
        return _twiml()


async def apply_status(
    db: Database, ctx: FlowContext, sid: str, status: str, code: int | None
) -> None:
    """A delivery report for one SMS: its status moves forward only (reports arrive out of
    order), and the message and any push it carried follow. The sandbox reports through here
    too."""
    async with db.transaction() as tx:
        moved, record = await tx.sms.set_status(sid, status, code, ctx.clock.now())
        if moved and record.message_id is not None:
            reason = fail_reason(code) if status in FINAL_FAILURES else None
            await delivery.status_update(ctx, tx, record.message_id, status, reason)
    if status in FINAL_FAILURES:
        log.info("SMS %s %s (error %s)", sid, status, code)


def message_sid(form: MultiDictProxy[str], *names: str) -> str | None:
    """The message's sid, if every field that names it holds the same well-formed sid."""
    given = {value for name in names for value in form.getall(name, [])}
    if len(given) != 1:
        return None
    sid = given.pop()
    return sid if MESSAGE_SID.fullmatch(sid) else None


def _storage_down(exc: Exception) -> bool:
    """The database could not take it (busy, full, broken, or too slow): not the request's
    fault, so Twilio hears 503, not 500."""
    return isinstance(exc, TimeoutError) or classify(exc) is not Fault.ITEM


def _unavailable() -> web.Response:
    return web.Response(status=503, text="storage unavailable", headers={"Retry-After": "5"})


def _twiml() -> web.Response:
    return web.Response(text=EMPTY_TWIML, content_type="text/xml", charset="utf-8")


class SmsChannel:
    """SMS through Twilio: signed webhooks in, the REST API out."""

    name = "sms"

    def __init__(self, config: Config, secrets: Secrets) -> None:
        assert config.sms is not None
        token = secrets.twilio_auth_token
        if token is None:
            raise StartupError("[sms] is configured, but TWILIO_AUTH_TOKEN is not set", status=2)
        self.section = config.sms
        self._token = token.get_secret_value()
        self.sender: SmsSender | None = None
        self.fetcher: MmsFetcher | None = None

    async def open(self, db: Database) -> None:
        # Twilio's async client and the MMS session belong to the running loop.
        self.sender = SmsSender(self.section, self._token)
        self.fetcher = MmsFetcher(self.section, self._token)

    def links(self) -> Links | None:
        return None

    def lanes(self, wiring: Wiring) -> list[LaneSpec]:
        assert self.sender is not None
        # Paced by the sender itself, in segments; one number in flight keeps order.
        return [
            LaneSpec(
                Lane.AMBASSADOR,
                Channel.SMS,
                self.sender,
                workers=2,
                after_sent=record_sms(wiring.ctx),
            )
        ]

    def add_routes(self, app: web.Application, wiring: Wiring) -> None:
        hooks = TwilioWebhooks(self.section, self._token, wiring.receive, wiring.db, wiring.ctx)
        hooks.add_routes(app)
        log.info("SMS webhooks at %s%s and %s", self.section.public_url.rstrip("/"), SMS_PATH,
                 STATUS_PATH)  # fmt: skip

    async def start(self, wiring: Wiring) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def close(self) -> None:
        for item in (self.sender, self.fetcher):
            if item is not None:
                try:
                    await item.close()
                except (aiohttp.ClientError, OSError):
                    log.debug("closing %s failed", type(item).__name__)

    def health(self) -> dict[str, object]:
        return {}
