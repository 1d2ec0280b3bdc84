"""The fake Bot API driven by the real python-telegram-bot client over loopback HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
from collections.abc import AsyncIterator

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReactionTypeEmoji, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes.telegram_api import (
    FakeBotApi,
    FaultProfile,
    RateLimit,
    deliver_webhook,
    parse_formatted_text,
)

USER = 1001
OTHER_USER = 1002
FORUM = -1001234567890
PLAIN_GROUP = -1009876543210


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        api.add_private_user(USER, "Anna", "Hansen", username="anna")
        api.add_group(FORUM, "Betjente", is_forum=True)
        api.add_group(PLAIN_GROUP, "Vagt", is_forum=False)
        yield api
        assert api.internal_errors == []


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    client = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
    async with client:
        yield client


@pytest.fixture
def timedelta_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without PTB_TIMEDELTA, PTB 22.8 warns (PTBDeprecationWarning) inside RetryAfter.__init__,
    # which pytest's filterwarnings=error turns into an exception instead of RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


# ------------------------------------------------------------------------------ basics


async def test_get_me_initialize_and_encoding(fake: FakeBotApi, bot: telegram.Bot) -> None:
    assert bot.username == "tryghedsbot_test"
    assert bot.id == 999
    me = await bot.get_me()
    assert me.is_bot and me.can_join_groups and me.supports_inline_queries is False
    await bot.send_message(USER, "123")
    get_me, send = fake.calls_of("getMe")[0], fake.calls_of("sendMessage")[0]
    # What PTB 22.8 really sends: no body without params, form-encoding otherwise, never JSON.
    assert get_me.content_type == ""
    assert send.content_type == "application/x-www-form-urlencoded"
    assert send.params == {"chat_id": USER, "text": "123"}  # text stays a string


async def test_wrong_token_and_unknown_method(fake: FakeBotApi, bot: telegram.Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert fake.calls_of("noSuchMethod")[0].status == 404
    wrong = telegram.Bot("456:WRONG", base_url=fake.base_url)
    with pytest.raises(InvalidToken):
        await wrong.get_me()
    await wrong.shutdown()


async def test_json_body_is_accepted(fake: FakeBotApi) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{fake.base_url}{fake.token}/sendMessage",
            json={"chat_id": USER, "text": "via json", "reply_markup": {"inline_keyboard": []}},
        ) as resp,
    ):
        body = await resp.json()
    assert resp.status == 200 and body["ok"] is True
    assert body["result"]["text"] == "via json"
    assert fake.calls[-1].content_type == "application/json"


# ------------------------------------------------------------------------------ sending


async def test_send_message_records_and_parses(fake: FakeBotApi, bot: telegram.Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="yes")]])
    msg = await bot.send_message(
        USER, "<b>Hej</b> Anna &amp; co", parse_mode="HTML", reply_markup=markup
    )
    assert isinstance(msg, telegram.Message)
    assert msg.chat.id == USER and msg.chat.type == "private"
    assert msg.from_user is not None and msg.from_user.id == bot.id
    assert msg.text == "Hej Anna & co"
    assert msg.text_html == "<b>Hej</b> Anna &amp; co"
    assert msg.reply_markup == markup
    assert isinstance(msg.date, dtm.datetime)

    [sent] = fake.sent_messages(USER)
    assert sent["message_id"] == msg.message_id
    assert sent["text"] == "Hej Anna & co"
    assert sent["raw_text"] == "<b>Hej</b> Anna &amp; co"
    assert sent["parse_mode"] == "HTML"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert fake.sent_messages(FORUM) == []

    second = await bot.send_message(USER, "igen")
    assert second.message_id == msg.message_id + 1


async def test_html_length_counted_after_parsing(bot: telegram.Bot) -> None:
    # 4096 visible characters, far more raw characters: accepted.
    ok = await bot.send_message(USER, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    assert ok.text == "&" * 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "<i>" + "x" * 4097 + "</i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "div"'):
        await bot.send_message(USER, "<div>x</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(USER, b"img", caption="c" * 1025)


def test_parse_formatted_text() -> None:
    text, ents = parse_formatted_text(
        '<a href="https://x.dk">link</a> <pre><code class="language-py">x=1</code></pre>', "HTML"
    )
    assert text == "link x=1"
    assert ents == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.dk"},
        {"type": "pre", "offset": 5, "length": 3, "language": "py"},
    ]
    text, ents = parse_formatted_text("*fed* og _kursiv_ 😀 \\.", "MarkdownV2")
    assert text == "fed og kursiv 😀 ."
    assert [e["type"] for e in ents] == ["bold", "italic"]
    with pytest.raises(ValueError, match=r"(?i)reserved"):
        parse_formatted_text("slut.", "MarkdownV2")


async def test_chat_not_found_and_user_never_started(fake: FakeBotApi, bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(4242, "hej")
    fake.make_group_message(PLAIN_GROUP, OTHER_USER, "hej")  # known, but never /start-ed
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(OTHER_USER, "hej")


# ------------------------------------------------------------------------------ forum topics


async def test_forum_topic_creation_and_thread_send(fake: FakeBotApi, bot: telegram.Bot) -> None:
    chat = await bot.get_chat(FORUM)
    assert chat.is_forum is True and chat.title == "Betjente"
    member = await bot.get_chat_member(FORUM, bot.id)
    assert isinstance(member, telegram.ChatMemberAdministrator) and member.can_manage_topics

    topic = await bot.create_forum_topic(FORUM, "Anna Hansen")
    assert topic.name == "Anna Hansen" and topic.message_thread_id > 1
    assert fake.topics(FORUM) == {topic.message_thread_id: "Anna Hansen"}

    msg = await bot.send_message(FORUM, "ny besked", message_thread_id=topic.message_thread_id)
    assert msg.message_thread_id == topic.message_thread_id and msg.is_topic_message
    assert msg.reply_to_message is not None
    assert msg.reply_to_message.forum_topic_created is not None
    assert fake.sent_messages(FORUM)[0]["message_thread_id"] == topic.message_thread_id

    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(FORUM, "x", message_thread_id=topic.message_thread_id + 100)
    with pytest.raises(BadRequest, match=r"(?i)not a forum"):
        await bot.create_forum_topic(PLAIN_GROUP, "x")
    with pytest.raises(BadRequest, match=r"(?i)topic_name"):
        await bot.create_forum_topic(FORUM, "n" * 129)
    assert await bot.edit_forum_topic(FORUM, topic.message_thread_id, name="Anna H.")
    assert fake.topics(FORUM)[topic.message_thread_id] == "Anna H."


async def test_group_messages_in_topics_and_reply_chains(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    thread = fake.add_topic(FORUM, "Ole", creator_user_id=OTHER_USER)
    update = Update.de_json(
        fake.make_group_message(FORUM, OTHER_USER, "i emnet", message_thread_id=thread), bot
    )
    assert update.message is not None
    assert update.message.is_topic_message and update.message.message_thread_id == thread
    root = update.message.reply_to_message
    assert root is not None and root.forum_topic_created is not None
    assert root.message_id == thread

    sent = await bot.send_message(FORUM, "svar", message_thread_id=thread)
    reply = Update.de_json(
        fake.make_group_message(
            FORUM, OTHER_USER, "tak", message_thread_id=thread, reply_to_message_id=sent.message_id
        ),
        bot,
    ).message
    assert reply is not None and reply.reply_to_message is not None
    assert reply.reply_to_message.text == "svar"
    assert reply.reply_to_message.from_user is not None
    assert reply.reply_to_message.from_user.id == bot.id

    # Plain supergroup: a reply chain sets message_thread_id, but it is not a topic message.
    plain_sent = await bot.send_message(PLAIN_GROUP, "spørgsmål")
    plain = Update.de_json(
        fake.make_group_message(
            PLAIN_GROUP, OTHER_USER, "svar", reply_to_message_id=plain_sent.message_id
        ),
        bot,
    ).message
    assert plain is not None and plain.message_thread_id == plain_sent.message_id
    assert not plain.is_topic_message


async def test_copy_and_forward_message(fake: FakeBotApi, bot: telegram.Bot) -> None:
    thread = (await bot.create_forum_topic(FORUM, "Anna")).message_thread_id
    incoming = fake.make_private_message(USER, "billede", photo=b"jpegdata")["message"]
    copied = await bot.copy_message(
        FORUM, USER, incoming["message_id"], message_thread_id=thread, caption="Fra Anna"
    )
    assert isinstance(copied, telegram.MessageId)
    [record] = fake.sent_messages(FORUM)
    assert record["method"] == "copyMessage" and record["kind"] == "photo"
    assert record["message_id"] == copied.message_id
    assert record["caption"] == "Fra Anna" and record["message_thread_id"] == thread
    assert record["copied_from"] == {"chat_id": USER, "message_id": incoming["message_id"]}

    forwarded = await bot.forward_message(FORUM, USER, incoming["message_id"])
    assert forwarded.forward_origin is not None
    assert isinstance(forwarded.forward_origin, telegram.MessageOriginUser)
    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await bot.copy_message(FORUM, USER, 9999)


async def test_media_group_and_reply_inherits_topic(fake: FakeBotApi, bot: telegram.Bot) -> None:
    thread = fake.add_topic(FORUM, "Anna")
    album = await bot.send_media_group(
        FORUM,
        [
            telegram.InputMediaPhoto(b"one", caption="<b>1</b>", parse_mode="HTML"),
            telegram.InputMediaDocument(b"two", filename="to.txt"),
        ],
        message_thread_id=thread,
    )
    assert [m.media_group_id for m in album] == [album[0].media_group_id] * 2
    assert album[0].caption == "1" and album[1].document is not None
    assert [m["kind"] for m in fake.sent_messages(FORUM)] == ["photo", "document"]
    assert fake.calls_of("sendMediaGroup")[0].content_type == "multipart/form-data"
    # Replying to a topic message without message_thread_id lands in that topic.
    reply = await bot.send_message(
        FORUM, "svar", reply_parameters=telegram.ReplyParameters(album[0].message_id)
    )
    assert reply.message_thread_id == thread and reply.is_topic_message


# ------------------------------------------------------------------------------ updates


async def test_get_updates_long_polling_and_offset(fake: FakeBotApi, bot: telegram.Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda f: f.pending_polls > 0)
    update_id = fake.push_update(fake.make_private_message(USER, "/start hej"))
    updates = await asyncio.wait_for(poll, 2)
    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert message is not None and message.text == "/start hej"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert message.from_user is not None and message.from_user.language_code == "da"

    # Not confirmed yet: returned again. Confirming with offset drops it.
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update_id]
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_get_updates_timeout_returns_empty_promptly(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    # Telegram's timeout is whole seconds; the fake caps every long poll at max_poll_timeout.
    fake.max_poll_timeout = 0.2
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=5) == ()
    assert 0.15 <= loop.time() - started < 1.5
    started = loop.time()
    assert await bot.get_updates(timeout=0) == ()  # no waiting at all
    assert loop.time() - started < 0.15


async def test_stop_ends_a_pending_long_poll() -> None:
    fake = FakeBotApi(max_poll_timeout=30)
    await fake.start()
    bot = telegram.Bot(fake.token, base_url=fake.base_url)
    async with bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_for(lambda f: f.pending_polls == 1)
        await asyncio.wait_for(fake.stop(), 2)
        assert await asyncio.wait_for(poll, 2) == ()


async def test_get_updates_allowed_updates_filter(fake: FakeBotApi, bot: telegram.Bot) -> None:
    sent = await bot.send_message(
        USER,
        "vælg",
        reply_markup=InlineKeyboardMarkup.from_button(InlineKeyboardButton("A", callback_data="a")),
    )
    fake.push_update(fake.make_private_message(USER, "tekst"))
    cq = fake.make_callback_query(USER, "a", fake.sent_messages(USER)[0])
    fake.push_update(cq)
    updates = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert len(updates) == 1 and updates[0].callback_query is not None
    query = updates[0].callback_query
    assert query.data == "a" and query.message is not None
    assert query.message.message_id == sent.message_id

    assert await bot.answer_callback_query(query.id, text="OK")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    edited = await bot.edit_message_text("valgt: A", chat_id=USER, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.edit_date is not None
    assert edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("valgt: A", chat_id=USER, message_id=sent.message_id)
    assert fake.sent_messages(USER)[0]["text"] == "valgt: A"


async def test_webhook_conflict_and_delivery(fake: FakeBotApi, bot: telegram.Bot) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []

    async def handler(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        assert await bot.set_webhook(f"http://{host}:{port}/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook")
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        update = fake.make_private_message(USER, "via webhook")
        assert await fake.deliver_to_webhook(update) == 200
        assert await deliver_webhook(f"http://{host}:{port}/hook", update, None) == 200
        assert received[0][0] == "s3cret" and received[1][0] is None
        assert received[0][1]["message"]["text"] == "via webhook"  # type: ignore[index]
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    finally:
        await runner.cleanup()


# ------------------------------------------------------------------------------ failures


async def test_fail_next_429_raises_retry_after(
    fake: FakeBotApi, bot: telegram.Bot, timedelta_mode: None
) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "hej")
    assert info.value.retry_after == dtm.timedelta(seconds=3)
    failed = fake.calls_of("sendMessage")[0]
    assert failed.status == 429
    assert failed.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    await bot.send_message(USER, "hej igen")  # only the next one failed
    assert len(fake.sent_messages(USER)) == 1


async def test_fail_next_500_chat_filter_and_count(fake: FakeBotApi, bot: telegram.Bot) -> None:
    fake.fail_next("sendMessage", status=500, count=2, chat_id=FORUM)
    await bot.send_message(USER, "ikke ramt")
    for _ in range(2):
        with pytest.raises(NetworkError) as info:
            await bot.send_message(FORUM, "ramt")
        assert not isinstance(info.value, BadRequest)
    await bot.send_message(FORUM, "igennem")
    assert [m["text"] for m in fake.sent_messages()] == ["ikke ramt", "igennem"]


async def test_block_user_raises_forbidden(fake: FakeBotApi, bot: telegram.Bot) -> None:
    fake.block_user(USER)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER, "hej")
    with pytest.raises(Forbidden):
        await bot.send_photo(USER, b"img")
    fake.unblock_user(USER)
    await bot.send_message(USER, "hej")


async def test_rate_limit_overall_and_per_group(timedelta_mode: None) -> None:
    now = [100.0]
    async with FakeBotApi(clock=lambda: now[0]) as fake:
        fake.add_private_user(USER, "Anna")
        fake.add_group(FORUM, is_forum=True)
        bot = telegram.Bot(fake.token, base_url=fake.base_url)
        async with bot:
            await bot.send_message(USER, "ingen grænse")  # off by default
            fake.rate_limit = RateLimit(per_second=3, per_group_per_minute=None)
            now[0] += 5
            await asyncio.gather(*(bot.send_message(USER, str(i)) for i in range(3)))
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(USER, "for meget")
            assert info.value.retry_after == dtm.timedelta(seconds=1)
            now[0] += 1.01
            await bot.send_message(USER, "igen ok")

            fake.rate_limit = RateLimit(per_second=None, per_group_per_minute=2)
            await bot.send_message(FORUM, "1")
            now[0] += 10
            await bot.send_message(FORUM, "2")
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(FORUM, "3")
            assert info.value.retry_after == dtm.timedelta(seconds=50)
            await bot.send_message(USER, "private chats are not limited per group")
        assert fake.internal_errors == []


async def test_wait_for_timeout_dumps_calls(fake: FakeBotApi, bot: telegram.Bot) -> None:
    await bot.send_message(USER, "hej")
    with pytest.raises(TimeoutError, match=r"(?i)sendMessage -> 200"):
        await fake.wait_for(lambda f: len(f.sent_messages()) > 5, timeout=0.05)


# ------------------------------------------------------------------------------ files & misc


async def test_file_download(fake: FakeBotApi, bot: telegram.Bot) -> None:
    update = fake.make_private_message(USER, "lyd", voice=b"OggS-voice")
    voice = Update.de_json(update, bot).message.voice  # type: ignore[union-attr]
    assert voice is not None
    file = await bot.get_file(voice.file_id)
    assert file.file_path is not None and file.file_path.startswith(fake.base_file_url)
    assert await file.download_as_bytearray() == bytearray(b"OggS-voice")

    doc = await bot.send_document(USER, b"%PDF-1.7 data", filename="rapport.pdf", caption="Rapport")
    assert doc.document is not None and doc.caption == "Rapport"
    uploaded = fake.calls_of("sendDocument")[0]
    assert uploaded.content_type == "multipart/form-data"
    assert uploaded.params["document"]["size"] == len(b"%PDF-1.7 data")
    got = await (await bot.get_file(doc.document.file_id)).download_as_bytearray()
    assert got == bytearray(b"%PDF-1.7 data")
    again = await bot.send_document(FORUM, doc.document.file_id)  # re-send by file_id
    assert again.document is not None and again.document.file_id == doc.document.file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(USER, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("no-such-file-id")


async def test_misc_methods(fake: FakeBotApi, bot: telegram.Bot) -> None:
    incoming = fake.make_private_message(USER, "tak")["message"]
    assert await bot.set_message_reaction(USER, incoming["message_id"], [ReactionTypeEmoji("👍")])
    assert fake.reactions[(USER, incoming["message_id"])] == [{"type": "emoji", "emoji": "👍"}]
    assert await bot.send_chat_action(USER, "typing")
    assert fake.chat_actions == [(USER, "typing")]
    assert await bot.set_my_commands([("start", "Kom i gang"), ("hjaelp", "Hjælp")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "hjaelp"]
    loc = await bot.send_location(USER, 55.68, 12.57)
    assert loc.location is not None and loc.location.latitude == pytest.approx(55.68)
    assert await bot.delete_message(USER, loc.message_id)
    assert fake.sent_messages(USER)[-1]["deleted"] is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER, loc.message_id)


async def test_application_polling_end_to_end(fake: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Hej {context.args}")

    app = (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake.push_update(fake.make_private_message(USER, "/start abc"))
        [reply] = await fake.wait_for_sent(chat_id=USER)
        assert reply["text"] == "Hej ['abc']"
        await app.updater.stop()
        await app.stop()


# ------------------------------------------------------------------------------ random faults


async def test_faults_are_off_by_default(fake: FakeBotApi, bot: telegram.Bot) -> None:
    for n in range(20):
        await bot.send_message(USER, f"{n}")
    assert fake.faults is None and not fake.injected
    assert all(c.fault == "" and c.status == 200 for c in fake.calls)


async def test_each_fault_as_the_client_sees_it(
    fake: FakeBotApi, bot: telegram.Bot, timedelta_mode: None
) -> None:
    fake.faults = FaultProfile(server_error=1.0)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "5xx")
    assert fake.calls[-1].status in (500, 502) and fake.calls[-1].fault == "server_error"

    fake.faults = FaultProfile(rate_limited=1.0, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "429")
    assert info.value.retry_after == dtm.timedelta(seconds=3)

    fake.faults = FaultProfile(reset=1.0)
    with pytest.raises(NetworkError, match=r"(?i)disconnected"):
        await bot.send_message(USER, "reset")
    assert fake.calls[-1].fault == "reset" and fake.calls[-1].status == 0

    fake.faults = FaultProfile(lost_answer=1.0)
    with pytest.raises(NetworkError, match=r"(?i)disconnected"):
        await bot.send_message(USER, "lost answer")
    # Nothing was done for the first three; the lost answer's message exists.
    assert [m["text"] for m in fake.sent_messages(USER)] == ["lost answer"]

    fake.faults = FaultProfile(slow=1.0, slow_seconds=0.3)
    before = asyncio.get_running_loop().time()
    await bot.send_message(USER, "slow but fine")
    assert asyncio.get_running_loop().time() - before >= 0.3
    call = fake.calls[-1]
    assert call.fault == "slow" and call.finished - call.time >= 0.3
    fake.faults = None
    assert fake.injected == {
        "server_error": 1,
        "rate_limited": 1,
        "reset": 1,
        "lost_answer": 1,
        "slow": 1,
    }
    # The connection pool recovers: plain calls work again.
    await bot.send_message(USER, "after")
    assert fake.calls[-1].fault == "" and fake.calls[-1].ok


async def test_slow_answer_beyond_the_client_timeout_still_creates_the_message(
    fake: FakeBotApi,
) -> None:
    impatient = telegram.Bot(
        fake.token, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.2)
    )
    async with impatient:
        fake.faults = FaultProfile(slow=1.0, slow_seconds=0.6)
        with pytest.raises(TimedOut):
            await impatient.send_message(USER, "too slow")
        assert fake.sent_messages(USER) == []
        [late] = await fake.wait_for_sent(chat_id=USER, timeout=3)
    assert late["text"] == "too slow"


async def test_fault_rates_are_seeded_and_counted(fake: FakeBotApi, bot: telegram.Bot) -> None:
    def profile() -> FaultProfile:
        return FaultProfile(
            server_error=0.10, rate_limited=0.05, reset=0.05, lost_answer=0.05, seed=11
        )

    async def run() -> list[str]:
        fake.faults = profile()
        start = len(fake.calls)
        for n in range(200):
            with contextlib.suppress(NetworkError, RetryAfter):
                await bot.send_message(USER, f"m{n}")
        return [c.fault for c in fake.calls[start:]]

    first = await run()
    counted = dict(fake.injected)
    second = await run()
    assert first == second  # same seed, same calls: same faults
    assert counted == {k: first.count(k) for k in set(first) if k}
    assert 8 <= first.count("server_error") <= 35
    assert all(first.count(k) >= 2 for k in ("rate_limited", "reset", "lost_answer"))
    assert sum(fake.injected.values()) == 2 * sum(1 for f in first if f)


async def test_faults_hit_message_methods_unless_asked_for_all(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    fake.faults = FaultProfile(server_error=1.0)
    assert (await bot.get_me()).id == bot.id  # not a message method: untouched
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")
    fake.faults = FaultProfile(server_error=1.0, methods=None)
    with pytest.raises(NetworkError):
        await bot.get_me()
    fake.faults = FaultProfile(server_error=1.0, methods=frozenset({"getChat"}))
    await bot.send_message(USER, "fine")
    with pytest.raises(NetworkError):
        await bot.get_chat(FORUM)


def test_fault_profile_validation() -> None:
    with pytest.raises(ValueError, match="add up"):
        FaultProfile(server_error=0.6, reset=0.5)
    with pytest.raises(ValueError, match="add up"):
        FaultProfile(slow=-0.1)
    assert FaultProfile().draw() == ""
