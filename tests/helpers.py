"""Steps that many end-to-end tests share: inviting, onboarding, writing in the group."""

from __future__ import annotations

from typing import Any

from bot.root import Runtime
from flows.onboarding import create_invitation
from tests.conftest import OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi

JSON = dict[str, Any]


async def invite(app: Runtime, area: str = "herning", officer: str = "mj") -> str:
    assert app.db is not None and app.ctx is not None
    async with app.db.transaction() as tx:
        new = await create_invitation(
            app.ctx, tx, area_id=area, officer_id=officer, created_by="test"
        )
    return new.code


def text_of(message: JSON) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def said(fake: FakeBotApi, chat_id: int, needle: str, count: int = 1) -> list[JSON]:
    """Wait until the bot has sent `count` messages containing `needle` to `chat_id`."""
    return await fake.wait_for_sent(
        chat_id=chat_id, count=count, predicate=lambda m: needle.lower() in text_of(m).lower()
    )


async def onboard(
    app: Runtime,
    fake: FakeBotApi,
    user_id: int,
    first: str,
    last: str = "Holm",
    *,
    area: str = "herning",
    officer: str = "mj",
    language: str = "da",
) -> None:
    code = await invite(app, area, officer)
    fake.add_private_user(user_id, first, last, language_code=language)
    fake.push_update(fake.make_private_message(user_id, f"/start {code}"))
    offer = (
        await fake.wait_for_sent(chat_id=user_id, predicate=lambda m: bool(m.get("reply_markup")))
    )[-1]
    fake.push_update(fake.make_callback_query(user_id, "accept", offer))
    await fake.wait_for_sent(
        chat_id=user_id, predicate=lambda m: text_of(m).startswith(("Tak, ", "Thank you, "))
    )


def group_messages(fake: FakeBotApi) -> list[JSON]:
    return fake.sent_messages(OFFICERS_CHAT)


def thread_of(fake: FakeBotApi, name: str) -> int:
    for thread_id, title in fake.topics(OFFICERS_CHAT).items():
        if title.startswith(name):
            return thread_id
    raise AssertionError(f"no topic for {name}: {fake.topics(OFFICERS_CHAT)}")
