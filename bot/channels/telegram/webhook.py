"""Telegram calls the bot's web server with each update, signed by the secret-token header."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

from bot.channels.telegram.polling import Receive, handle_update
from bot.channels.telegram.reader import UpdateReader

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"


def webhook_secret(given: str | None, bot_token: str) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the bot token (stable across restarts)."""
    if given is not None:
        return given
    return hmac.new(bot_token.encode(), b"tryghedsbot-webhook", hashlib.sha256).hexdigest()[:48]


def telegram_webhook(
    bot: Bot, reader: UpdateReader, receive: Receive, secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong secret token refused")
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
