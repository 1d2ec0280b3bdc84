"""The sandbox as the tests drive it: the real runtime in sandbox mode, on a free port, with
its own database, and handles on the pretend devices and the page's state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.channels.sandbox import SandboxChannel, demo_config
from bot.channels.sandbox.devices import Devices
from bot.channels.sandbox.transcript import Phone, Transcript
from bot.clock import ShiftedClock
from bot.config import SandboxSection, Secrets, WebSection
from bot.outbox import Dispatcher
from bot.root import Runtime
from flows.ports import Clock
from storage.db import Database


class Sandbox:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def channel(self) -> SandboxChannel:
        found = self.runtime.sandbox_channel
        assert found is not None
        return found

    @property
    def devices(self) -> Devices:
        return self.channel.required_devices

    @property
    def transcript(self) -> Transcript:
        return self.devices.transcript

    @property
    def changed(self) -> asyncio.Condition:
        return self.devices.changed

    @property
    def dispatcher(self) -> Dispatcher:
        assert self.runtime.dispatcher is not None
        return self.runtime.dispatcher

    @property
    def db(self) -> Database:
        assert self.runtime.db is not None
        return self.runtime.db

    @property
    def clock(self) -> Clock:
        return self.runtime.clock

    @property
    def port(self) -> int:
        assert self.runtime.web is not None
        return self.runtime.web.port

    @property
    def url(self) -> str:
        return self.runtime.url

    def add_phone(self, channel: str) -> Phone:
        return self.devices.add_phone(channel)

    async def state(self) -> dict[str, Any]:
        assert self.channel.page is not None
        return await self.channel.page.state()


@asynccontextmanager
async def running_sandbox(tmp_path: Path, clock: Clock | None = None) -> AsyncIterator[Sandbox]:
    config = demo_config().model_copy(
        update={
            "sandbox": SandboxSection(path=str(tmp_path / "sandbox.sqlite3")),
            "web": WebSection(host="127.0.0.1", port=0),
        }
    )
    runtime = Runtime(config, Secrets(), clock=clock or ShiftedClock(_monday()), sandbox=True)
    await runtime.start()
    try:
        yield Sandbox(runtime)
    finally:
        await runtime.stop()


def _monday() -> Any:
    from tests.conftest import MONDAY_MORNING

    return MONDAY_MORNING
