"""`tryghedsbot figures`: the programme's figures per area and week, for reporting.

Counted by flows/figures.py from the bot's database; `--chart FILE.png` draws them with
matplotlib (imported only then).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_CONFIG, err, load, out_json, run_async, with_config

if TYPE_CHECKING:
    from bot.config import Config
    from flows.ports import Clock


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = with_config(sub.add_parser("figures", help="activity, diversions, answer times, pulse"))
    p.add_argument("--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--area", action="append", default=[], help="only this area (repeat)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--chart", type=Path, metavar="PNG", help="also draw the chart to this file")
    p.set_defaults(handler=cmd_figures)


def cmd_figures(args: argparse.Namespace) -> int:
    return run_async(_figures(load(args), args, args.clock))


COLUMNS = (
    ("ambassadors_active", "active"),
    ("messages_in", "in"),
    ("acute", "112"),
    ("report", "114"),
    ("officer", "officer"),
    ("replies", "replies"),
    ("median_reply_office_minutes", "median min"),
    ("pushes_delivered", "pushes"),
    ("pulse_responses", "pulse n"),
    ("pulse_mean", "pulse"),
)


async def _figures(config: Config, args: argparse.Namespace, clock: Clock) -> int:
    from bot.root import command_context
    from flows.figures import default_period
    from flows.reporting import collect

    unknown = [a for a in args.area if a not in {x.id for x in config.areas}]
    if unknown:
        err(f"unknown area {', '.join(unknown)} (known: {', '.join(a.id for a in config.areas)})")
        return EXIT_CONFIG
    try:
        period = default_period(clock.now(), args.first, args.last)
    except ValueError as exc:
        err(str(exc))
        return EXIT_CONFIG
    async with command_context(config, clock) as run:
        async with run.db.read() as tx:
            figures = await collect(run.ctx, tx, period, args.area)
        if args.chart is not None:
            import asyncio

            from bot.charts import draw

            title = f"{config.programme_name} · {period.first} – {period.last}"
            png = await asyncio.to_thread(draw, figures, run.ctx, title)
            try:
                args.chart.write_bytes(png)
            except OSError as exc:
                err(f"{args.chart}: cannot write: {exc.strerror}")
                return 1
    data = figures.to_json()
    if args.json:
        out_json(data)
        return 0
    print(f"figures {data['from']} to {data['to']} (median: office minutes to the first reply)")
    header = f"{'':<16}" + "".join(f"{label:>11}" for _, label in COLUMNS)
    for block in [*data["areas"], {"id": "total", **data["totals"]}]:
        print()
        print(header.replace(" " * 16, f"{block['id']:<16}", 1))
        for row in [*block["weeks"], {"week": "all", **block}]:
            print(f"{row['week']:<16}" + "".join(_cell(row[key]) for key, _ in COLUMNS))
    if args.chart is not None:
        print(f"\nchart: {args.chart}")
    return 0


def _cell(value: Any) -> str:
    return f"{'-' if value is None else value:>11}"
