"""The tryghed pulse: a push that asks ambassadors how safe they feel, on a 1-5 scale.

It is planned, scheduled and fanned out as a push (flows/broadcasts/, kind "pulse"); this
module takes the answers (a button in Telegram, a digit by SMS), one per ambassador and
question, accepted for `pulse_window` after the question arrived, and counts them. Answers
are never relayed to officers as messages, and results never show a mean or a distribution
where fewer than `MIN_GROUP` answered, so no single ambassador's answer can be read off.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from flows import outgoing
from flows.broadcasts.model import Broadcast, OccurrenceRecord, PulseAnswer
from flows.broadcasts.planning import PULSE_PREFIX, PULSE_VALUES
from flows.context import FlowContext
from flows.figures import MIN_GROUP
from flows.model import Ambassador, Inbound
from flows.ports import Tx

_DIGIT = re.compile(r"^\s*([1-5])\s*[.!]?\s*$")


def digit(text: str) -> int | None:
    """A message that is nothing but a digit from 1 to 5 (what an SMS answer looks like)."""
    found = _DIGIT.match(text)
    return int(found.group(1)) if found else None


async def answer_button(ctx: FlowContext, tx: Tx, amb: Ambassador, data: str) -> None:
    """`pulse:<delivery>:<value>` pressed under a question."""
    delivery, _, value = data[len(PULSE_PREFIX) :].partition(":")
    if not delivery.isdigit() or not value.isdigit() or int(value) not in PULSE_VALUES:
        return
    owner = await tx.pulses.delivery_owner(int(delivery))
    if owner is None or owner[0] != amb.id:
        return  # not this ambassador's question: a stale or forged button
    _, occurrence_id, sent_at = owner
    await _record(ctx, tx, amb, int(delivery), occurrence_id, sent_at, int(value))


async def answer_text(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> bool:
    """A bare digit while a question is open is an answer, not a message (True: taken)."""
    value = digit(inbound.text) if not inbound.command and not inbound.media else None
    if value is None:
        return False
    now = ctx.clock.now()
    question = await tx.pulses.latest_question(amb.id, now - ctx.settings.pulse_window)
    if question is None:
        return False
    await _record(
        ctx, tx, amb, question.delivery_id, question.occurrence_id, question.sent_at, value
    )
    return True


async def _record(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    delivery_id: int,
    occurrence_id: int,
    sent_at: Any,
    value: int,
) -> None:
    now = ctx.clock.now()
    lang = amb.language
    if sent_at is None or now - sent_at > ctx.settings.pulse_window:
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "pulse.closed"))
        return
    if not await tx.pulses.record(delivery_id, occurrence_id, amb.id, amb.area_id, value, now):
        given = await tx.pulses.answer_of(delivery_id)
        await outgoing.to_ambassador(
            ctx, tx, amb, ctx.texts.get(lang, "pulse.already", value=given or value)
        )
        return
    await tx.audit.add(
        f"ambassador:{amb.id}", "pulse.answered", now, subject=f"delivery:{delivery_id}"
    )
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "pulse.thanks", value=value))


# -- results -------------------------------------------------------------------------------


def tally(values: Sequence[int]) -> dict[str, Any]:
    """Responses, and the distribution and mean only where enough answered."""
    enough = len(values) >= MIN_GROUP
    counts = Counter(values)
    return {
        "responses": len(values),
        "counts": {str(v): counts.get(v, 0) for v in PULSE_VALUES} if enough else None,
        "mean": round(statistics.fmean(values), 2) if enough else None,
    }


def results(
    ctx: FlowContext,
    broadcast: Broadcast,
    answers: Iterable[PulseAnswer],
    occurrences: Sequence[OccurrenceRecord] = (),
) -> dict[str, Any]:
    found = list(answers)
    areas = list(broadcast.plan.audience.areas) or [a.id for a in ctx.directory.areas]
    areas += sorted({a.area_id for a in found} - set(areas))
    return {
        "id": broadcast.id,
        "question": broadcast.plan.text,
        "status": broadcast.status,
        "min_group": MIN_GROUP,
        **tally([a.value for a in found]),
        "areas": [
            {
                "id": area,
                "name": ctx.directory.area_name(area),
                **tally([a.value for a in found if a.area_id == area]),
            }
            for area in areas
        ],
        "occurrences": [
            {
                "scheduled_for": o.scheduled_for,
                "status": o.status,
                **tally([a.value for a in found if a.occurrence_id == o.id]),
            }
            for o in occurrences
        ],
    }
