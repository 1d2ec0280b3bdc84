"""The channel port: what every way in and out of the bot provides to the composition root.

Telegram, SMS and the sandbox are adapters behind this one contract. A channel turns its
platform's input into arrivals (`Inbound` / `OfficerMessage`) and hands them to `receive`;
it gives the outbox a sender per lane it serves; it may add routes to the one web server.
Flows know none of this: they see arrivals and write outbox items.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.config import Config
from bot.outbox import LaneSpec
from flows.context import FlowContext, Links
from flows.model import Inbound, OfficerMessage
from storage.db import Database

Receive = Callable[[Inbound | OfficerMessage], Awaitable[bool]]
ReceiveMany = Callable[[list[Inbound | OfficerMessage]], Awaitable[list[bool]]]


class StartupError(Exception):
    """Start-up cannot go on; the message is for the operator. `status` is the process's exit
    status: 2 for a configuration the operator must fix, 1 for anything else."""

    def __init__(self, message: str, *, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Wiring:
    """What the composition root hands each channel once the core is built."""

    config: Config
    db: Database
    ctx: FlowContext
    receive: Receive  # the inbox: classify, store, deduplicate (one arrival)
    receive_many: ReceiveMany  # the same for a batch, stored together


class Channel(Protocol):
    name: str

    async def open(self, db: Database) -> None:
        """Reach the platform (credentials, identity); raise StartupError if it cannot."""

    def links(self) -> Links | None:
        """How this channel invites people, if it has invitation links."""

    def lanes(self, wiring: Wiring) -> list[LaneSpec]:
        """The outbox senders this channel provides, one per (lane, channel)."""

    def add_routes(self, app: web.Application, wiring: Wiring) -> None:
        """Routes on the one web server (webhooks, the sandbox page)."""

    async def start(self, wiring: Wiring) -> None:
        """Begin taking arrivals (after the outbox and inbox workers run)."""

    async def stop(self) -> None:
        """Stop taking arrivals; what is stored waits for the next start."""

    async def close(self) -> None:
        """Release clients and connections."""

    def health(self) -> dict[str, object]:
        """What `/healthz` shows about this channel."""
