"""The project's one web server: health, Telegram webhooks, Twilio webhooks and the sandbox."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

from bot.telegram import UpdateReader, handle_update
from flows.model import Inbound, OfficerMessage

log = logging.getLogger(__name__)

Receive = Callable[[Inbound | OfficerMessage], Awaitable[bool]]
MAX_BODY = 1024 * 1024


def telegram_webhook(
    bot: Bot, reader: UpdateReader, receive: Receive, secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong secret token from %s refused", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, bot)
        except Exception:
            log.warning("webhook body is not a Telegram update; refused")
            return web.Response(status=400, text="bad update")
        if update is None:
            return web.Response(status=400, text="bad update")
        await handle_update(update, reader, receive, bot)
        return web.Response(text="ok")

    return handler


def make_app(health: Callable[[], Awaitable[dict[str, object]]]) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)

    async def healthz(_: web.Request) -> web.Response:
        body = await health()
        return web.json_response(body, status=200 if body.get("ok") else 503)

    app.router.add_get("/healthz", healthz)
    return app


class WebServer:
    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if isinstance(server, asyncio.base_events.Server) and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])  # port 0: the one we got
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
