"""The project's one web server: health, and whatever routes the channels add (Telegram and
Twilio webhooks, the sandbox page)."""

from __future__ import annotations

import asyncio
import asyncio.base_events
from collections.abc import Awaitable, Callable

from aiohttp import web

MAX_BODY = 1024 * 1024


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
