"""The data-protection verbs of `tryghedsbot ambassadors`: export (everything held about one
ambassador, as JSON) and delete (erase them). Both are recorded in the audit log with the
operator's login name; the command line acts as the operator (flows/roles.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.ambassadors import add_verb
from bot.cli.common import EXIT_NOT_FOUND, err, operator, out_json

if TYPE_CHECKING:
    from bot.root import CommandContext


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="the ambassador's id (see `ambassadors list`)")
    p.add_argument("--output", type=Path, help="write the JSON to FILE (readable by you only)")


async def _export(run: CommandContext, args: argparse.Namespace) -> int:
    from bot.privacy import export_json
    from flows import privacy

    async with run.db.transaction() as tx:
        amb = await tx.ambassadors.get(args.id)
        if amb is None:
            err(f"no ambassador {args.id}")
            return EXIT_NOT_FOUND
        data = await privacy.export(run.ctx, tx, amb)
        where = "file" if args.output else "stdout"
        await tx.audit.add(
            operator(),
            "data.exported",
            run.ctx.clock.now(),
            subject=f"ambassador:{amb.id}",
            to=where,
        )
    body = export_json(data)
    if args.output is None:
        sys.stdout.write(body.decode("utf-8") + "\n")
        return 0
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(body)
    print(f"ambassador {amb.id}: everything held written to {args.output}", file=sys.stderr)
    return 0


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="the ambassador's id (see `ambassadors list`)")
    p.add_argument("--yes", action="store_true", help="really delete (it cannot be undone)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


async def _delete(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import privacy

    async with run.db.read() as tx:
        amb = await tx.ambassadors.get(args.id)
    if amb is None:
        err(f"no ambassador {args.id}")
        return EXIT_NOT_FOUND
    if not args.yes:
        area = run.ctx.directory.area_name(amb.area_id)
        err(
            f"this deletes ambassador {amb.id} ({amb.name}, {area}, {amb.channel}) and everything"
            " held about them, and cannot be undone: add --yes to go ahead. Nothing was deleted."
        )
        return 1
    async with run.db.transaction() as tx:
        found = await tx.ambassadors.get(args.id)
        if found is None:  # deleted meanwhile, by the bot or another command
            err(f"no ambassador {args.id}")
            return EXIT_NOT_FOUND
        done = await privacy.erase(run.ctx, tx, found, by=operator())
    emptied = await run.db.checkpoint()
    result = {
        "id": args.id,
        "deleted": True,
        "rows": done.counts,
        "topics_closed": len(done.topics),
        "log_emptied": emptied,
    }
    if args.json:
        out_json(result)
        return 0
    rows = sum(done.counts.values())
    print(f"ambassador {args.id} deleted: {rows} rows removed or anonymised")
    if done.topics:
        print("their forum topic is closed and renamed by the running bot (within seconds)")
    if not emptied:
        print("note: the bot is busy; the database's log is emptied at its next checkpoint")
    return 0


add_verb(
    "export",
    "print everything held about one ambassador as JSON (their right of access)",
    _export_arguments,
    _export,
)
add_verb(
    "delete",
    "delete one ambassador and everything held about them (their right to erasure)",
    _delete_arguments,
    _delete,
)
