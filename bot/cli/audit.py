"""`tryghedsbot audit`: the audit log, read from the command line (who did what, when, to
whom). Reading it is recorded too."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_CONFIG, err, load, operator, out_json, run_async, with_config

if TYPE_CHECKING:
    from bot.config import Config
    from flows.ports import Clock

EVERYTHING = 1_000_000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = with_config(sub.add_parser("audit", help="read the audit log"))
    p.add_argument(
        "--since", metavar="DATE", help="from this day (YYYY-MM-DD, Danish time) or ISO time"
    )
    p.add_argument("--limit", type=int, help="at most this many of the newest (default 200)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_audit)


def since(text: str) -> datetime:
    """A day (from its start, Copenhagen time) or an ISO time (UTC when no offset)."""
    from datetime import UTC

    from flows.hours import LOCAL_TZ

    try:
        day = date.fromisoformat(text)
    except ValueError:
        at = datetime.fromisoformat(text)
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ)


def cmd_audit(args: argparse.Namespace) -> int:
    try:
        start = since(args.since) if args.since else None
    except ValueError:
        err(f"--since {args.since!r}: give a day like 2026-11-23 or a time like 2026-11-23T10:00")
        return EXIT_CONFIG
    limit = args.limit or (EVERYTHING if start else 200)
    return run_async(_audit(load(args), start, limit, args.json, args.clock))


async def _audit(
    config: Config, start: datetime | None, limit: int, as_json: bool, clock: Clock
) -> int:
    from bot.root import command_context
    from flows.privacy import audit_line

    async with command_context(config, clock) as run, run.db.transaction() as tx:
        entries = await tx.audit.entries(since=start, limit=limit)
        await tx.audit.add(operator(), "audit.viewed", run.ctx.clock.now(), entries=len(entries))
    if as_json:
        out_json(
            [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "details": e.details,
                }
                for e in entries
            ]
        )
        return 0
    if not entries:
        print("no audit entries")
    for e in entries:
        print(audit_line(e, "%Y-%m-%d %H:%M"))
    return 0
