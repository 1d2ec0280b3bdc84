"""Secrets for one outgoing message stay in memory: the outbox row holds a placeholder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.outbox import unseal
from flows.context import FlowContext
from flows.model import Channel, Directory, Lane, Outbound, OutKind, Priority
from flows.sealed import Sealed
from flows.texts import Texts

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return NOW


def context() -> FlowContext:
    return FlowContext(
        directory=Directory(areas=(), officers=()),
        texts=Texts.from_package(),
        classifier=None,  # type: ignore[arg-type]
        office_hours=None,
        clock=Clock(),
    )


def test_a_placeholder_is_filled_in_by_the_process_that_made_it() -> None:
    ctx = context()
    text = f"Kode: {ctx.sealed.seal('s3cret-code', NOW)}"
    assert "s3cret-code" not in text and Sealed.holds_placeholders(text)
    item = Outbound(Lane.OFFICERS, OutKind.ANSWER, Priority.REPLY, Channel.TELEGRAM, text=text)
    assert unseal(ctx, item).text == "Kode: s3cret-code"


def test_after_a_restart_the_message_says_the_secret_is_gone() -> None:
    before, after = context(), context()
    text = f"Kode: {before.sealed.seal('s3cret-code', NOW)}"
    item = Outbound(Lane.OFFICERS, OutKind.ANSWER, Priority.REPLY, Channel.TELEGRAM, text=text)
    assert unseal(after, item).text == "Kode: (ikke gemt efter en genstart – lav invitationen igen)"


def test_secrets_are_forgotten_when_they_expire() -> None:
    sealed = Sealed(keep_for=timedelta(hours=1))
    old = sealed.seal("old", NOW)
    sealed.seal("new", NOW + timedelta(hours=2))
    assert sealed.unseal(old, "gone") == "gone"
