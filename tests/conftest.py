"""Shared fixtures: a fake Bot API on loopback and the real app pointed at it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from pydantic import SecretStr

from bot.clock import ShiftedClock
from bot.config import Config, Secrets, parse_config
from bot.root import Runtime
from tests.fakes.telegram_api import FakeBotApi

# CI runs the same property-test examples every time; locally they keep exploring. No
# deadlines: speed is measured in bench/, and a busy 2-core machine must not fail a test.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

OFFICERS_CHAT = -1001234567890
COORDINATOR = 111111111
METTE = 222222222
LARS = 333333333
STRANGER_OFFICER = 444444444
# Monday 23 November 2026, 11:00 in Copenhagen: inside office hours.
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
# Saturday 28 November 2026, 15:00 in Copenhagen: closed.
SATURDAY = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)


def config_text(
    base_url: str, file_url: str, db_path: Path, *, threads: str = "auto", extra: str = ""
) -> str:
    return f"""
[bot]
language = "da"
[telegram]
base_url = "{base_url}"
base_file_url = "{file_url}"
officers_chat_id = {OFFICERS_CHAT}
officer_threads = "{threads}"
coordinators = [{COORDINATOR}]
poll_timeout = 1
[web]
host = "127.0.0.1"
port = 0
[storage]
path = "{db_path}"
{extra}
[[areas]]
id = "herning"
name = "Herning"
[[areas]]
id = "ikast"
name = "Ikast"
[[officers]]
id = "mj"
name = "Mette Jensen"
telegram_user_id = {METTE}
areas = ["herning"]
[[officers]]
id = "lp"
name = "Lars Poulsen"
telegram_user_id = {LARS}
areas = ["ikast"]
"""


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        api.add_group(OFFICERS_CHAT, "Betjente", is_forum=True)
        yield api


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock(MONDAY_MORNING)


@pytest.fixture
def make_config(tmp_path: Path, fake: FakeBotApi) -> Callable[..., Config]:
    def build(**kwargs: str) -> Config:
        text = config_text(fake.base_url, fake.base_file_url, tmp_path / "bot.sqlite3", **kwargs)
        return parse_config(text, "test.toml")

    return build


@pytest.fixture
def secrets(fake: FakeBotApi) -> Secrets:
    return Secrets(telegram_bot_token=SecretStr(fake.token))


@pytest.fixture
async def app(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock
) -> AsyncIterator[Runtime]:
    application = Runtime(make_config(), secrets, clock=clock)
    await application.start()
    yield application
    await application.stop()
