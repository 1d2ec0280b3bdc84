"""The routing rules as one table: (sender state × input × channel) → what is queued for the
sender and for their thread in the officers' group. In-process over a real SQLite file, with
the outbox as the recording sender: fast, beside the end-to-end tests that prove the wiring."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ShiftedClock
from bot.config import parse_config
from bot.root import build_context
from flows import arrivals, onboarding
from flows.context import FlowContext
from flows.model import AmbassadorState, Channel, Inbound
from storage.db import Database
from tests.conftest import MONDAY_MORNING, config_text

INPUTS: dict[str, dict[str, Any]] = {
    "acute": {"text": "Der er en mand med en kniv i opgangen lige nu"},
    "report": {"text": "Min cykel blev stjålet i nat fra carporten"},
    "routine": {"text": "Hvornår er næste borgermøde?"},
    "/hjaelp": {"command": "hjaelp"},
    "/hjælp + emergency": {"command": "hjælp", "args": "der er en mand med en kniv i opgangen"},
    "/stop": {"command": "stop"},
    "/start": {"command": "start"},
    "STOP": {"text": "STOP"},
    "JA": {"text": "ja tak"},
    "accept button": {"callback": "accept"},
    "sticker": {"unsupported": "sticker"},
    "edit adding an emergency": {"text": "Det brænder i køkkenet lige nu", "unsupported": "edit"},
    "/inviter": {"command": "inviter", "args": "herning mj"},
    "/kampagne": {"command": "kampagne"},
}
EMERGENCIES = ("acute", "/hjælp + emergency", "edit adding an emergency")
A, R = "answer", "relay"  # the bot's own answer; a relay to the officer


def expected(state: str | None, name: str, channel: Channel) -> list[str]:
    """What the programme's rules say should be queued."""
    emergency = name in EMERGENCIES
    if state is None:  # a stranger: told to call 112 if it is an emergency; told what this is
        return ["acute_answer", A] if emergency else [A]
    if state in ("invited", "pending"):  # nothing is relayed before the agreement (rule 4)
        return ["acute_answer"] if emergency else [A]
    if state == "paused":  # rule 1 outranks the pause: 112 and an alert
        return ["acute_answer", "alert"] if emergency else [A]
    return {
        "acute": ["acute_answer", "alert"],
        "report": ["referral", R],
        "routine": [R],
        "/hjælp + emergency": ["acute_answer", "alert", A],
        "edit adding an emergency": ["acute_answer", "alert"],
        "STOP": [A] if channel == Channel.SMS else [R],  # SMS's opt-out word; text elsewhere
        "JA": [R],
        "accept button": [],  # a stale button: nothing to do
    }.get(name, [A])


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[Database, FlowContext]]:
    cfg = parse_config(config_text("http://x/bot", "http://x/f", tmp_path / "r.sqlite3"), "t")
    ctx = build_context(cfg, ShiftedClock(MONDAY_MORNING))
    ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, sms_enabled=True))
    db = await Database.open(cfg.storage.path)
    yield db, ctx
    await db.close()


CASES = list(
    itertools.product(
        (Channel.TELEGRAM, Channel.SMS), (None, "invited", "pending", "active", "paused"), INPUTS
    )
)


async def test_the_rules_table(world: tuple[Database, FlowContext]) -> None:
    db, ctx = world
    wrong = []
    for n, (channel, state, name) in enumerate(CASES):
        address = f"+452600{n:04d}" if channel == Channel.SMS else str(100_000 + n)
        async with db.transaction() as tx:
            thread = ""
            if state is not None:
                amb = await tx.ambassadors.create(
                    channel=channel, address=address, name="A", area_id="herning",
                    officer_id="mj", state=AmbassadorState.PENDING, language="da",
                    now=ctx.clock.now(),
                )  # fmt: skip
                thread = f"amb:{amb.id}"
                if state in ("active", "paused"):
                    await tx.ambassadors.accept(
                        amb.id, onboarding.agreement_version(ctx), ctx.clock.now()
                    )
                if state != "active":
                    await tx.ambassadors.set_state(amb.id, AmbassadorState(state), ctx.clock.now())
            inbound = Inbound(
                channel=channel, address=address, dedupe_key=f"k{n}",
                received_at=ctx.clock.now(), language="da", **INPUTS[name],
            )  # fmt: skip
            await arrivals.handle_inbound(ctx, tx, inbound)
            rows = await tx.outbox._all(
                "SELECT kind FROM outbox WHERE status = 'pending' AND chat_key IN (?, ?)"
                " ORDER BY priority, id",
                (address, thread),
            )
            await tx.outbox._exec("UPDATE outbox SET status = 'sent'")
        got = sorted(r["kind"] for r in rows)
        want = sorted(expected(state, name, channel))
        if got != want:
            wrong.append(f"{channel.value} {state} {name!r}: queued {got}, rules say {want}")
    assert not wrong, "\n".join(wrong)
