"""Every restricted action, tried by every role that may not do it, through Telegram as those
people would (commands, buttons, the officers' group): each gets a clear answer, and nothing
in the database changes. The operator (the command line) is checked against the same table.

Adding an Action to flows/roles.py without adding its attempts here fails
`test_every_wrong_role_is_tried`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cli import parser
from bot.clock import ShiftedClock
from bot.config import Config, Secrets, parse_config
from bot.root import Runtime
from flows.model import Channel
from flows.roles import PERMISSIONS, Action, Role, may
from tests.conftest import COORDINATOR, METTE, OFFICERS_CHAT, STRANGER_OFFICER, config_text
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import JSON, onboard, said, text_of, thread_of

ANNA = 5001  # an ambassador in Herning
NOBODY = 6001  # a Telegram user the bot does not know
LIMITED = 555555555  # a coordinator for Ikast only: wrong for Herning
LIMITED_CONFIG = f"""
[[coordinators]]
telegram_user_id = {LIMITED}
areas = ["ikast"]
"""
# Tables whose rows a refusal may add to: the queues that carry the answer, and the audit
# log that records the refused attempt.
# What a refusal itself writes: the arrival, the answer queued and its order and fairness
# bookkeeping, the audit entry, rate-limit counters.
# What the bot records of its own work. "group_messages" maps each of its posts in a topic to
# the ambassador, the refusal too; a relay would also add to "messages", which is compared.
BOOKKEEPING = frozenset(
    {"inbox", "outbox", "outbox_senders", "outbox_clock", "audit", "kv", "stranger_answers",
     "rate_limits", "group_messages"}
)  # fmt: skip


@dataclass
class World:
    fake: FakeBotApi
    app: Runtime
    anna_id: int
    thread: int
    relayed: int  # the group message relaying Anna's message (to reply to)

    def own_message(self, user: int) -> JSON:
        """A message in the user's own chat, for their button presses to hang on."""
        return next(m for m in reversed(self.fake.sent_messages(user)))


Send = Callable[[World], JSON]


@dataclass(frozen=True)
class Attempt:
    action: Action
    role: str  # ambassador | officer | coordinator | limited coordinator | nobody
    user: int
    where: int  # the chat the answer appears in
    send: Send
    answer: str


def private(user: int, text: str) -> Send:
    return lambda w: w.fake.make_private_message(user, text)


def in_group(user: int, text: str, *, topic: bool = False, reply: bool = False) -> Send:
    def make(w: World) -> JSON:
        return w.fake.make_group_message(
            OFFICERS_CHAT,
            user,
            text,
            message_thread_id=w.thread if topic else None,
            reply_to_message_id=w.relayed if reply else None,
        )

    return make


def button(user: int, data: Callable[[World], str]) -> Send:
    return lambda w: w.fake.make_callback_query(user, data(w), w.own_message(user))


def erase_other(w: World) -> str:
    stamp = int(w.app.clock.now().timestamp())
    return f"erase:amb:{w.anna_id}:{stamp}"


def slet_anna(user: int) -> Send:
    return lambda w: w.fake.make_private_message(user, f"/slet {w.anna_id}")


def mine_data_of_anna(user: int) -> Send:
    return lambda w: w.fake.make_private_message(user, f"/mine_data {w.anna_id}")


REFUSED = {
    Action.INVITE: "Kun betjente og koordinatorer kan oprette invitationer",
    Action.PLAN_PUSH: "Kun koordinatorer kan planlægge og annullere udsendelser",
    Action.REPLY: "Kun betjente, der er sat op i Tryghedsbot, kan svare ambassadører",
    Action.CORRECT_ROUTE: "Kun betjente, der er sat op i Tryghedsbot, kan rette en rute",
    Action.READ_AUDIT: "Kun koordinatorer for alle områder kan læse logbogen",
    Action.EXPORT_DATA: "laves kun af driften",
    Action.ERASE_DATA: "Kun koordinatorer (i deres egne områder) og driften kan slette",
    Action.EXPORT_OWN_DATA: "ingen profil eller samtale gemt om dig her at udlevere",
    Action.ERASE_OWN_DATA: "ingen profil eller samtale gemt om dig her at slette",
    Action.VIEW_REGISTER: "Kun betjente og koordinatorer kan se ambassadørregistret",
    Action.EDIT_REGISTER: "kan ændre i registret. Der er ikke ændret noget",
    Action.HANDLE_CASES: "Kun betjente og koordinatorer kan markere beskeder som klaret",
    Action.READ_FIGURES: "Kun koordinatorer kan se programmets tal",
}
A, R = Action, REFUSED
ATTEMPTS = [
    Attempt(A.INVITE, "ambassador", ANNA, ANNA, private(ANNA, "/inviter herning mj"),
            R[A.INVITE]),
    Attempt(A.INVITE, "nobody", NOBODY, NOBODY, private(NOBODY, "/inviter herning mj"),
            R[A.INVITE]),
    Attempt(A.INVITE, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/inviter herning mj"), R[A.INVITE]),
    Attempt(A.INVITE, "limited coordinator", LIMITED, LIMITED,
            private(LIMITED, "/inviter herning mj"), R[A.INVITE]),
    Attempt(A.PLAN_PUSH, "ambassador", ANNA, ANNA, private(ANNA, "/kampagne"), R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "ambassador", ANNA, ANNA, button(ANNA, lambda w: "bc:ok"),
            R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "officer", METTE, METTE, private(METTE, "/kampagne"), R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "officer", METTE, METTE, private(METTE, "/annuller"), R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "nobody", NOBODY, NOBODY, private(NOBODY, "/kampagne"), R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/kampagne"), R[A.PLAN_PUSH]),
    Attempt(A.PLAN_PUSH, "limited coordinator", LIMITED, LIMITED,
            button(LIMITED, lambda w: "bc:a:*"), R[A.PLAN_PUSH]),
    # Someone who is in the group without being an officer: Anna herself, in her own topic.
    Attempt(A.REPLY, "ambassador", ANNA, OFFICERS_CHAT,
            in_group(ANNA, "Jeg svarer lige mig selv", topic=True), R[A.REPLY]),
    Attempt(A.CORRECT_ROUTE, "ambassador", ANNA, OFFICERS_CHAT,
            in_group(ANNA, "/rute akut", reply=True), R[A.CORRECT_ROUTE]),
    Attempt(A.REPLY, "coordinator", COORDINATOR, OFFICERS_CHAT,
            in_group(COORDINATOR, "Hej Anna, det ser vi på", topic=True), R[A.REPLY]),
    Attempt(A.REPLY, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "Hej Anna!", reply=True), R[A.REPLY]),
    Attempt(A.CORRECT_ROUTE, "coordinator", COORDINATOR, OFFICERS_CHAT,
            in_group(COORDINATOR, "/rute akut", reply=True), R[A.CORRECT_ROUTE]),
    Attempt(A.CORRECT_ROUTE, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/rute anmeldelse", reply=True), R[A.CORRECT_ROUTE]),
    Attempt(A.READ_AUDIT, "ambassador", ANNA, ANNA, private(ANNA, "/logbog"), R[A.READ_AUDIT]),
    Attempt(A.READ_AUDIT, "officer", METTE, METTE, private(METTE, "/logbog"), R[A.READ_AUDIT]),
    Attempt(A.READ_AUDIT, "limited coordinator", LIMITED, LIMITED, private(LIMITED, "/logbog"),
            R[A.READ_AUDIT]),
    Attempt(A.READ_AUDIT, "nobody", NOBODY, NOBODY, private(NOBODY, "/audit"), R[A.READ_AUDIT]),
    Attempt(A.READ_AUDIT, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/logbog"), R[A.READ_AUDIT]),
    Attempt(A.EXPORT_DATA, "ambassador", ANNA, ANNA, mine_data_of_anna(ANNA), R[A.EXPORT_DATA]),
    Attempt(A.EXPORT_DATA, "officer", METTE, METTE, mine_data_of_anna(METTE), R[A.EXPORT_DATA]),
    Attempt(A.EXPORT_DATA, "coordinator", COORDINATOR, COORDINATOR,
            mine_data_of_anna(COORDINATOR), R[A.EXPORT_DATA]),
    Attempt(A.EXPORT_DATA, "nobody", NOBODY, NOBODY, mine_data_of_anna(NOBODY), R[A.EXPORT_DATA]),
    Attempt(A.ERASE_DATA, "ambassador", ANNA, ANNA, slet_anna(ANNA), R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "officer", METTE, METTE, slet_anna(METTE), R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "officer", METTE, METTE, button(METTE, erase_other), R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "limited coordinator", LIMITED, LIMITED, slet_anna(LIMITED),
            R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "limited coordinator", LIMITED, LIMITED, button(LIMITED, erase_other),
            R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "nobody", NOBODY, NOBODY, slet_anna(NOBODY), R[A.ERASE_DATA]),
    Attempt(A.ERASE_DATA, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/slet 1"), R[A.ERASE_DATA]),
    Attempt(A.EXPORT_OWN_DATA, "officer", METTE, METTE, private(METTE, "/mine_data"),
            R[A.EXPORT_OWN_DATA]),
    Attempt(A.EXPORT_OWN_DATA, "coordinator", COORDINATOR, COORDINATOR,
            private(COORDINATOR, "/mine_data"), R[A.EXPORT_OWN_DATA]),
    Attempt(A.EXPORT_OWN_DATA, "nobody", NOBODY, NOBODY, private(NOBODY, "/mine_data"),
            R[A.EXPORT_OWN_DATA]),
    Attempt(A.ERASE_OWN_DATA, "officer", METTE, METTE, private(METTE, "/slet"),
            R[A.ERASE_OWN_DATA]),
    # A coordinator may erase others, so /slet alone tells them how.
    Attempt(A.ERASE_OWN_DATA, "coordinator", COORDINATOR, COORDINATOR,
            private(COORDINATOR, "/slet"), "Brug /slet NUMMER"),
    Attempt(A.ERASE_OWN_DATA, "nobody", NOBODY, NOBODY, private(NOBODY, "/slet"),
            R[A.ERASE_OWN_DATA]),
    Attempt(A.ERASE_OWN_DATA, "nobody", NOBODY, NOBODY, button(NOBODY, lambda w: "erase:me:1"),
            R[A.ERASE_OWN_DATA]),
    Attempt(A.VIEW_REGISTER, "ambassador", ANNA, ANNA, private(ANNA, "/ambassadoerer"),
            R[A.VIEW_REGISTER]),
    Attempt(A.VIEW_REGISTER, "nobody", NOBODY, NOBODY, private(NOBODY, "/invitationer"),
            R[A.VIEW_REGISTER]),
    Attempt(A.VIEW_REGISTER, "limited coordinator", LIMITED, LIMITED,
            private(LIMITED, "/ambassadoerer herning"), R[A.VIEW_REGISTER]),
    Attempt(A.EDIT_REGISTER, "ambassador", ANNA, ANNA, private(ANNA, "/pause 1"),
            R[A.EDIT_REGISTER]),
    Attempt(A.EDIT_REGISTER, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/afslut 1"), R[A.VIEW_REGISTER]),
    Attempt(A.EDIT_REGISTER, "nobody", NOBODY, NOBODY, private(NOBODY, "/flyt 1 lp"),
            R[A.EDIT_REGISTER]),
    Attempt(A.EDIT_REGISTER, "limited coordinator", LIMITED, LIMITED,
            lambda w: w.fake.make_private_message(LIMITED, f"/afslut {w.anna_id}"),
            R[A.EDIT_REGISTER]),
    Attempt(A.HANDLE_CASES, "ambassador", ANNA, OFFICERS_CHAT,
            in_group(ANNA, "/klaret", reply=True), R[A.HANDLE_CASES]),
    Attempt(A.HANDLE_CASES, "nobody", STRANGER_OFFICER, OFFICERS_CHAT,
            in_group(STRANGER_OFFICER, "/ubesvarede"), R[A.HANDLE_CASES]),
    Attempt(A.READ_FIGURES, "ambassador", ANNA, ANNA, private(ANNA, "/tal"), R[A.READ_FIGURES]),
    Attempt(A.READ_FIGURES, "officer", METTE, METTE, private(METTE, "/tal"), R[A.READ_FIGURES]),
    Attempt(A.READ_FIGURES, "nobody", NOBODY, NOBODY, private(NOBODY, "/tal"),
            R[A.READ_FIGURES]),
    Attempt(A.READ_FIGURES, "limited coordinator", LIMITED, LIMITED, private(LIMITED, "/tal"),
            R[A.READ_FIGURES]),
]  # fmt: skip

ROLE_OF = {
    "ambassador": Role.AMBASSADOR,
    "officer": Role.OFFICER,
    "coordinator": Role.COORDINATOR,
    "limited coordinator": Role.COORDINATOR,
}


def test_every_wrong_role_is_tried() -> None:
    """For each action: everyone outside its roles, nobody at all, and a coordinator outside
    their areas where areas limit it."""
    tried = {(a.action, a.role) for a in ATTEMPTS}
    for action, rule in PERMISSIONS.items():
        wrong = {
            r for r in ("ambassador", "officer", "coordinator") if ROLE_OF[r] not in rule.roles
        }
        wrong.add("nobody")
        if rule.by_area and Role.COORDINATOR in rule.roles:
            wrong.add("limited coordinator")
        missing = {(action, r) for r in wrong} - tried
        assert not missing, f"no attempt for {sorted(missing)}"
        assert all(ROLE_OF.get(a.role) not in rule.roles or a.role == "limited coordinator"
                   for a in ATTEMPTS if a.action == action)  # fmt: skip


def test_the_operator_may_exactly_what_the_command_line_offers() -> None:
    """The command line acts as the operator: what it offers the table allows them, and what
    the table refuses them it does not offer."""
    text = config_text("http://x/bot", "http://x/file/bot", Path("x.sqlite3"))
    directory = parse_config(text, "t.toml").directory()
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    ambassador_verbs = commands["ambassadors"]._subparsers._group_actions[0].choices
    offered = {
        Action.INVITE: "invite" in commands,
        Action.PLAN_PUSH: "broadcast" in commands,
        Action.READ_AUDIT: "audit" in commands,
        Action.EXPORT_DATA: "export" in ambassador_verbs,
        Action.ERASE_DATA: "delete" in ambassador_verbs,
        Action.VIEW_REGISTER: "list" in ambassador_verbs,
        Action.EDIT_REGISTER: "move" in ambassador_verbs,
        Action.READ_FIGURES: "figures" in commands,
    }
    for action in Action:
        assert may(directory, None, action) is (Role.OPERATOR in PERMISSIONS[action].roles)
        assert offered.get(action, False) is may(directory, None, action), action


@pytest.fixture
async def world(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> AsyncIterator[World]:
    app = Runtime(make_config(extra=LIMITED_CONFIG), secrets, clock=clock)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")
        for user, first in ((METTE, "Mette"), (COORDINATOR, "Kim"), (LIMITED, "Karen"),
                            (NOBODY, "Nils")):  # fmt: skip
            fake.add_private_user(user, first, "Hansen")
            fake.push_update(fake.make_private_message(user, "/hjaelp"))
            await fake.wait_for_sent(chat_id=user)
        fake.push_update(fake.make_private_message(LIMITED, "/kampagne"))  # her draft
        await said(fake, LIMITED, "Hvem skal have den?")
        fake.push_update(fake.make_private_message(ANNA, "Hvornår er der borgermøde?"))
        [relay] = await said(fake, OFFICERS_CHAT, "borgermøde")
        assert app.db is not None
        async with app.db.read() as tx:
            amb = await tx.ambassadors.by_address(Channel.TELEGRAM, str(ANNA))
        assert amb is not None
        yield World(fake, app, amb.id, thread_of(fake, "Anna Holm"), relay["message_id"])
    finally:
        await app.stop()


async def snapshot(app: Runtime) -> dict[str, list[Any]]:
    assert app.db is not None
    async with app.db.read() as tx:
        tables = await tx.privacy._all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        out = {}
        for row in tables:
            if row["name"] not in BOOKKEEPING:
                rows = await tx.privacy._all(f'SELECT * FROM "{row["name"]}"')
                out[row["name"]] = [tuple(r) for r in rows]
        return out


async def test_every_restricted_action_refused_clearly_with_no_change(world: World) -> None:
    fake = world.fake
    for attempt in ATTEMPTS:
        before = await snapshot(world.app)
        seen = len([m for m in fake.sent_messages(attempt.where) if attempt.answer in text_of(m)])
        fake.push_update(attempt.send(world))
        try:
            # The officers' group takes about 20 messages a minute: answers there may queue.
            await fake.wait_for_sent(
                chat_id=attempt.where,
                count=seen + 1,
                predicate=lambda m, a=attempt: a.answer.lower() in text_of(m).lower(),
                timeout=65 if attempt.where < 0 else 5,
            )
        except TimeoutError as exc:
            raise AssertionError(f"no clear answer to {attempt.role}: {attempt}") from exc
        assert await snapshot(world.app) == before, f"{attempt.role} changed something: {attempt}"
    # Nothing was relayed to Anna by the refused replies, and she is still there.
    assert not [m for m in fake.sent_messages(ANNA) if "det ser vi på" in text_of(m)]
    assert all(m.get("text") for m in fake.sent_messages(ANNA))
    # Every refusal was recorded, with who tried.
    assert world.app.db is not None
    async with world.app.db.read() as tx:
        refused = [e for e in await tx.audit.entries(limit=1000) if e.action == "access.refused"]
    actors = {e.actor for e in refused}
    assert {f"telegram:{NOBODY}", "officer:mj", f"coordinator:{LIMITED}"} <= actors
