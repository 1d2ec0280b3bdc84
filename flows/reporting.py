"""Gathering the programme's figures from storage, and the coordinators' `/tal` answer: a
short summary per area with the chart as a picture.

The chart itself is drawn where pictures are made (bot/charts.py): the answer carries a
`chart:` attachment naming the period, and the sender draws it when it sends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import parse_qs, urlencode

from flows.access import refuse_staff
from flows.context import FlowContext
from flows.figures import Figures, Period, compute, default_period
from flows.model import Attachment, MediaKind, OfficerMessage
from flows.outgoing import answer_officer
from flows.ports import Tx
from flows.roles import Action, may
from flows.texts import Html

COMMANDS = frozenset({"tal", "figures", "statistik"})
CHART_SCHEME = "chart:figures?"
TELEGRAM_WEEKS = 4


async def collect(ctx: FlowContext, tx: Tx, period: Period, areas: Sequence[str] = ()) -> Figures:
    since, until = period.since, period.until
    return compute(
        period,
        ctx.directory,
        ctx.office_hours,
        history=await tx.figures.history(),
        inbound=await tx.figures.inbound(since, until),
        replies=await tx.figures.replies(since, until),
        deliveries=await tx.figures.deliveries(since, until),
        pulse=await tx.pulses.answers_between(since, until),
        areas=areas,
    )


def chart_attachment(period: Period) -> Attachment:
    query = urlencode({"from": period.first.isoformat(), "to": period.last.isoformat()})
    return Attachment(MediaKind.PHOTO, CHART_SCHEME + query, "image/png")


def chart_period(ref: str) -> Period | None:
    """The period a `chart:` attachment names; None if it is not one."""
    if not ref.startswith(CHART_SCHEME):
        return None
    query = parse_qs(ref[len(CHART_SCHEME) :])
    try:
        return Period(date.fromisoformat(query["from"][0]), date.fromisoformat(query["to"][0]))
    except (KeyError, ValueError):
        return None


def summary(ctx: FlowContext, figures: Figures) -> str:
    olang = ctx.settings.officers_language
    t = ctx.texts
    lines = [
        t.get(
            olang,
            "figures.summary_header",
            first=figures.period.first.isoformat(),
            last=figures.period.last.isoformat(),
        )
    ]
    for area_id, name in [*figures.areas, ("*", "I alt" if olang == "da" else "Total")]:
        row = figures.cell(area_id, "*").to_json()
        median = row["median_reply_office_minutes"]
        if row["pulse_mean"] is not None:
            pulse = f"{row['pulse_mean']:.1f}"
        else:
            pulse = t.get(olang, "figures.pulse_hidden", responses=row["pulse_responses"])
        lines.append(
            t.get(
                olang,
                "figures.summary_line",
                area=name,
                active=row["ambassadors_active"],
                messages=row["messages_in"],
                acute=row["acute"],
                report=row["report"],
                replies=row["replies"],
                median=t.get(olang, "figures.minutes", minutes=round(median))
                if median is not None
                else t.get(olang, "figures.none"),
                pushes=row["pushes_delivered"],
                pulse=pulse,
            )
        )
    return Html("\n".join(lines))


async def command(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    """`/tal`: the last four weeks, per area, with the chart."""
    if not may(ctx.directory, msg.user_id, Action.READ_FIGURES):
        await refuse_staff(ctx, tx, msg, Action.READ_FIGURES)
        return
    now = ctx.clock.now()
    period = default_period(now, weeks=TELEGRAM_WEEKS)
    figures = await collect(ctx, tx, period)
    await answer_officer(ctx, tx, msg, summary(ctx, figures), media=(chart_attachment(period),))
