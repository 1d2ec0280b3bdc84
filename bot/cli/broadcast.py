"""`tryghedsbot broadcast create|list|cancel|status`: campaigns from the command line.

The command writes the plan to the bot's database and exits; a running bot picks it up at
its next sweep (within seconds), so no restart and no second scheduler are needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import (
    EXIT_CONFIG,
    EXIT_NOT_FOUND,
    ConfigProblem,
    err,
    load,
    operator,
    out_json,
    run_async,
)
from bot.cli.common import with_config as _with_config

if TYPE_CHECKING:
    from bot.root import CommandContext
    from flows.broadcasts.model import Broadcast
    from flows.ports import Tx


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `broadcast` subcommands."""
    with_config = _with_config
    parser = sub.add_parser("broadcast", help="plan and follow campaigns and prevention tips")
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="action", required=True)

    create = with_config(actions.add_parser("create", help="plan a push to ambassadors"))
    create.add_argument("--area", action="append", default=[], help="area id (repeat); none = all")
    create.add_argument("--channel", choices=("all", "telegram", "sms"), default="all")
    content = create.add_mutually_exclusive_group(required=True)
    content.add_argument("--text", help="the message as ambassadors will read it")
    content.add_argument("--text-file", type=Path, help="read the message from a UTF-8 file")
    content.add_argument("--tip", metavar="TOPIC", help="next tip of this topic from the library")
    when = create.add_mutually_exclusive_group()
    when.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="once, Danish local time")
    when.add_argument(
        "--every",
        metavar="RHYTHM",
        help="recurring: 'mon 18:00', 'mon,thu 18:00', 'daily 07:30' or cron '0 18 * * mon'",
    )
    create.add_argument("--from", dest="starts", metavar="YYYY-MM-DD", help="first day (--every)")
    create.add_argument("--until", metavar="YYYY-MM-DD", help="last day, inclusive (--every)")
    create.add_argument("--title", default="", help="a name for the list (default: the text)")
    create.add_argument("--author", help="signs the push under the programme's name")
    create.add_argument("--dry-run", action="store_true", help="show the preview, plan nothing")
    create.add_argument("--json", action="store_true", help="machine-readable output")

    listing = with_config(actions.add_parser("list", help="list planned and past pushes"))
    listing.add_argument("--json", action="store_true")

    cancel = with_config(actions.add_parser("cancel", help="cancel a planned push"))
    cancel.add_argument("id", type=int)

    status = with_config(actions.add_parser("status", help="delivery figures of a push"))
    status.add_argument("id", type=int)
    status.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    handlers = {"create": _create, "list": _list, "cancel": _cancel, "status": _status}
    return run_async(_with_context(args, handlers[args.action]))


async def _with_context(args: argparse.Namespace, handler: Any) -> int:
    from bot.root import command_context

    async with command_context(load(args), args.clock) as run:
        result: int = await handler(run, args)
        return result


async def _create(run: CommandContext, args: argparse.Namespace) -> int:
    from flows.broadcasts import planning
    from flows.broadcasts.model import BroadcastError
    from flows.hours import format_local

    ctx, db = run.ctx, run.db
    text = args.text
    if args.text_file is not None:
        try:
            text = args.text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigProblem(f"{args.text_file}: cannot read: {exc}") from exc
    if (args.starts or args.until) and not args.every:
        err("--from and --until go with --every")
        return EXIT_CONFIG
    try:
        plan = planning.make_plan(
            ctx,
            areas=args.area,
            channel=args.channel,
            text=text,
            tip_topic=args.tip,
            at=args.at,
            every=args.every,
            starts=args.starts,
            until=args.until,
            title=args.title,
            author=args.author,
        )
    except BroadcastError as exc:
        err(str(exc))
        return EXIT_CONFIG
    async with db.transaction() as tx:
        view = await planning.preview(ctx, tx, plan, ctx.settings.quiet_hours)
        new_id = None if args.dry_run else await planning.create(ctx, tx, plan, operator())
    if args.json:
        out_json({"id": new_id, "preview": view.to_json(), "database": db.path})
        return 0
    print("preview (as ambassadors see it):")
    for line in view.plain.splitlines() or [""]:
        print(f"  | {line}")
    print(f"recipients: telegram {view.telegram}, sms {view.sms}")
    print(f"sms: {view.sms_segments} part(s) per message, {view.sms_total} in total")
    if view.skipped:
        print("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(view.skipped.items())))
    print(f"schedule: {plan.schedule.describe('en')}")
    if view.goes_out is not None:
        note = (
            " (after the quiet hours)" if view.first_due and view.goes_out > view.first_due else ""
        )
        print(f"first goes out: {format_local(view.goes_out, 'en')}{note}")
    if new_id is None:
        print("dry run: nothing planned")
    else:
        print(f"planned: broadcast {new_id} (a running bot picks it up within seconds)")
        print(f"database: {db.path}")
    return 0


async def _record(run: CommandContext, tx: Tx, b: Broadcast) -> dict[str, Any]:
    from flows.broadcasts.planning import next_run

    nxt = await next_run(tx, b)
    plan = b.plan
    return {
        "id": b.id,
        "title": plan.title,
        "text": plan.text,
        "tip_topic": plan.tip_topic,
        "tip_topic_name": run.ctx.tips.topic_name(plan.tip_topic) if plan.tip_topic else None,
        "areas": list(plan.audience.areas),
        "channel": plan.audience.channel,
        "schedule": plan.schedule.describe("en"),
        "status": b.status,
        "next_run": nxt.isoformat() if nxt else None,
        "created_by": b.created_by,
        "created_at": b.created_at.isoformat(),
        "counts": await tx.broadcasts.counts(b.id),
    }


async def _list(run: CommandContext, args: argparse.Namespace) -> int:
    from flows.broadcasts.planning import summary_text

    async with run.db.read() as tx:
        plans = await tx.broadcasts.listing(limit=1000)
        records = [await _record(run, tx, b) for b in plans]
    if args.json:
        out_json(records)
        return 0
    if not records:
        print("no broadcasts")
    for b, r in zip(plans, records, strict=True):
        counts = r["counts"]
        figures = " ".join(f"{k}={v}" for k, v in counts.items() if v)
        nxt = f" next {r['next_run']}" if r["next_run"] else ""
        what = r["title"] or summary_text(run.ctx, b, "en")
        print(f"{r['id']:>4}  {r['status']:<9} {r['schedule']:<28}{nxt}  {what!r}  {figures}")
    return 0


async def _cancel(run: CommandContext, args: argparse.Namespace) -> int:
    from flows.broadcasts import planning

    async with run.db.transaction() as tx:
        found = await tx.broadcasts.get(args.id)
        if found is None:
            err(f"no broadcast {args.id}")
            return EXIT_NOT_FOUND
        done = await planning.cancel(run.ctx, tx, args.id, operator())
    if not done:
        err(f"broadcast {args.id} is {found.status}; only scheduled ones can be cancelled")
        return 1
    print(f"broadcast {args.id} cancelled")
    return 0


async def _status(run: CommandContext, args: argparse.Namespace) -> int:
    async with run.db.read() as tx:
        found = await tx.broadcasts.get(args.id)
        if found is None:
            err(f"no broadcast {args.id}")
            return EXIT_NOT_FOUND
        record = await _record(run, tx, found)
        per = await tx.broadcasts.counts_by_occurrence(args.id)
        record["reasons"] = await tx.broadcasts.reasons(args.id)
        record["occurrences"] = [
            {
                "scheduled_for": o.scheduled_for,
                "due_at": o.due_at.isoformat(),
                "status": o.status,
                "counts": per.get(o.id, {}),
            }
            for o in await tx.broadcasts.occurrences(args.id)
        ]
    if args.json:
        out_json(record)
        return 0
    print(f"broadcast {record['id']}: {record['status']}, {record['schedule']}")
    if record["next_run"]:
        print(f"next run: {record['next_run']}")
    print("deliveries: " + ", ".join(f"{k} {v}" for k, v in record["counts"].items()))
    for key, n in sorted(record["reasons"].items()):
        status, _, reason = key.partition(":")
        print(f"  {status} ({reason or 'no reason'}): {n}")
    for occ in record["occurrences"]:
        figures = ", ".join(f"{k} {v}" for k, v in occ["counts"].items() if v)
        print(f"  {occ['scheduled_for']}  {occ['status']:<8} {figures}")
    return 0
