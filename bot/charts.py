"""The figures as a picture: messages per week by route, and the tryghed pulse per area.

Drawn with matplotlib's Agg canvas (offline, headless, no display), through its object API
rather than pyplot so drawing in a worker thread is safe. matplotlib is imported only here,
and this module only by the figures command and the senders that draw a `/tal` answer, so
the bot's start-up and `classify` stay light.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable

from bot.outbox import PermanentError
from flows.context import FlowContext
from flows.delivery import FailReason
from flows.figures import Figures
from flows.model import Attachment
from flows.reporting import chart_period, collect
from storage.db import Database

MediaFetcher = Callable[[Attachment], Awaitable[tuple[bytes, str]]]
ROUTE_COLOURS = {"acute": "#c62828", "report": "#ef6c00", "officer": "#1565c0"}


def draw(figures: Figures, ctx: FlowContext, title: str) -> bytes:
    """A PNG of the figures: stacked bars of messages per week, and pulse means per area."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = ctx.settings.officers_language

    def label(key: str) -> str:
        return ctx.texts.get(lang, f"figures.{key}")

    weeks = [w.key.split("-")[1] for w in figures.weeks]
    x = list(range(len(weeks)))
    fig = Figure(figsize=(8, 6), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True)
    fig.suptitle(title, fontsize=12, fontweight="bold")

    base = [0] * len(weeks)
    for route, colour in ROUTE_COLOURS.items():
        values = [figures.cell("*", w.key).routes[route] for w in figures.weeks]
        top.bar(x, values, bottom=base, color=colour, label=label(f"chart_{route}"), width=0.6)
        base = [b + v for b, v in zip(base, values, strict=True)]
    top.set_title(label("chart_messages"), fontsize=10, loc="left")
    top.legend(fontsize=8, loc="upper left", frameon=False)
    top.yaxis.get_major_locator().set_params(integer=True)
    top.spines[["top", "right"]].set_visible(False)

    plotted = False
    for area_id, name in figures.areas:
        points = [
            (i, figures.cell(area_id, w.key).to_json()["pulse_mean"])
            for i, w in enumerate(figures.weeks)
        ]
        shown = [(i, m) for i, m in points if m is not None]
        if shown:
            plotted = True
            bottom.plot(
                [i for i, _ in shown], [m for _, m in shown], marker="o", label=name, linewidth=2
            )
    bottom.set_ylim(1, 5)
    bottom.set_title(label("chart_pulse"), fontsize=10, loc="left")
    if plotted:
        bottom.legend(fontsize=8, loc="lower left", frameon=False)
    else:
        bottom.text(0.5, 3, label("chart_no_pulse"), ha="center", va="center", color="#666")
        bottom.set_xlim(-0.5, max(len(weeks) - 0.5, 0.5))
    bottom.set_xticks(x, weeks)
    bottom.set_xlabel(label("chart_week"))
    bottom.spines[["top", "right"]].set_visible(False)

    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


class ChartSource:
    """Draws a `chart:` attachment from the database as it is when the message is sent."""

    def __init__(self, db: Database, ctx: FlowContext) -> None:
        self.db = db
        self.ctx = ctx

    def handles(self, attachment: Attachment) -> bool:
        return chart_period(attachment.ref) is not None

    async def __call__(self, attachment: Attachment) -> tuple[bytes, str]:
        period = chart_period(attachment.ref)
        if period is None:
            raise PermanentError(FailReason.BAD_REQUEST, "not a chart")
        async with self.db.read() as tx:
            figures = await collect(self.ctx, tx, period)
        title = f"{self.ctx.settings.programme_name} · {period.first} – {period.last}"
        data = await asyncio.to_thread(draw, figures, self.ctx, title)
        return data, "image/png"


def with_charts(db: Database, ctx: FlowContext, other: MediaFetcher | None = None) -> MediaFetcher:
    """A sender's media source: charts drawn here, anything else (MMS pictures) by `other`."""
    charts = ChartSource(db, ctx)

    async def fetch(attachment: Attachment) -> tuple[bytes, str]:
        if charts.handles(attachment):
            return await charts(attachment)
        if other is None:
            raise PermanentError(FailReason.BAD_REQUEST, "no source for this attachment")
        return await other(attachment)

    return fetch
