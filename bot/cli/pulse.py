"""`tryghedsbot pulse create|results`: the tryghed pulse from the command line.

A pulse is planned like a push (same audience, schedule and quiet hours; a running bot
picks it up within seconds); `results` counts the answers without ever showing a mean or a
distribution where fewer than three ambassadors answered.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.common import (
    EXIT_CONFIG,
    EXIT_NOT_FOUND,
    err,
    load,
    operator,
    out_json,
    run_async,
    with_config,
)

if TYPE_CHECKING:
    from bot.root import CommandContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("pulse", help="ask ambassadors how safe they feel (1-5)")
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="action", required=True)

    create = with_config(actions.add_parser("create", help="plan a pulse question"))
    create.add_argument("--area", action="append", default=[], help="area id (repeat); none = all")
    create.add_argument("--channel", choices=("all", "telegram", "sms"), default="all")
    create.add_argument("--question", required=True, help="answered on a scale from 1 to 5")
    when = create.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="once, Danish local time")
    when.add_argument("--every", metavar="RHYTHM", help="recurring, as for broadcast create")
    create.add_argument("--from", dest="starts", metavar="YYYY-MM-DD")
    create.add_argument("--until", metavar="YYYY-MM-DD")
    create.add_argument("--author", help="signs the question under the programme's name")
    create.add_argument("--json", action="store_true")

    results = with_config(actions.add_parser("results", help="answers to a pulse"))
    results.add_argument("id", type=int)
    results.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    return run_async(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from bot.root import command_context

    async with command_context(load(args), args.clock) as ctx:
        if args.action == "create":
            return await _create(ctx, args)
        return await _results(ctx, args)


async def _create(run: CommandContext, args: argparse.Namespace) -> int:
    from flows.broadcasts import planning
    from flows.broadcasts.model import BroadcastError

    if (args.starts or args.until) and not args.every:
        err("--from and --until go with --every")
        return EXIT_CONFIG
    try:
        plan = planning.make_plan(
            run.ctx,
            areas=args.area,
            channel=args.channel,
            text=args.question,
            at=args.at,
            every=args.every,
            starts=args.starts,
            until=args.until,
            kind="pulse",
            author=args.author,
        )
    except BroadcastError as exc:
        err(str(exc))
        return EXIT_CONFIG
    async with run.db.transaction() as tx:
        view = await planning.preview(run.ctx, tx, plan, run.ctx.settings.quiet_hours)
        new_id = await planning.create(run.ctx, tx, plan, operator())
    if args.json:
        out_json({"id": new_id, "preview": view.to_json()})
    else:
        print(new_id)
    return 0


async def _results(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import pulse

    async with run.db.read() as tx:
        found = await tx.broadcasts.get(args.id)
        if found is None or not found.plan.is_pulse:
            err(f"no pulse {args.id}")
            return EXIT_NOT_FOUND
        answers = await tx.pulses.answers(args.id)
        occurrences = await tx.broadcasts.occurrences(args.id)
    record = pulse.results(run.ctx, found, answers, occurrences)
    if args.json:
        out_json(record)
        return 0
    print(f"pulse {record['id']}: {record['question']}")
    print(f"responses: {record['responses']}, mean: {_mean(record['mean'])}")
    if record["counts"]:
        print("counts: " + ", ".join(f"{k}: {v}" for k, v in record["counts"].items()))
    for area in record["areas"]:
        print(f"  {area['id']:<12} responses {area['responses']:>4}  mean {_mean(area['mean'])}")
    print(f"(means and counts are shown where at least {record['min_group']} answered)")
    return 0


def _mean(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
