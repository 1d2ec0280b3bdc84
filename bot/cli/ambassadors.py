"""`tryghedsbot ambassadors VERB`: the register from the command line.

Each verb is one small async function taking the command context and the parsed arguments,
registered in `VERBS`; adding a verb is adding a function and its arguments. The verbs go
through the same register flows as the Telegram commands and the sandbox, so an ambassador
moved here is told who their officer now is, and a running bot sends that within seconds.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_CONFIG, EXIT_NOT_FOUND, err, load, out_json, with_config

if TYPE_CHECKING:
    from bot.root import CommandContext

Verb = Callable[["CommandContext", argparse.Namespace], Awaitable[int]]
VERBS: dict[str, Verb] = {}


def verb(name: str) -> Callable[[Verb], Verb]:
    def add(fn: Verb) -> Verb:
        VERBS[name] = fn
        return fn

    return add


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("ambassadors", help="the ambassador register")
    parser.set_defaults(handler=run)
    verbs = parser.add_subparsers(dest="verb", required=True)

    listing = with_config(verbs.add_parser("list", help="ambassadors and open invitations"))
    listing.add_argument("--area", help="only this area")
    listing.add_argument("--json", action="store_true")

    show = with_config(verbs.add_parser("show", help="one ambassador"))
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")

    move = with_config(verbs.add_parser("move", help="another area and/or officer"))
    move.add_argument("id", type=int)
    move.add_argument("--area")
    move.add_argument("--officer")

    for name, text in (
        ("pause", "pause (nothing relayed or pushed)"),
        ("resume", "resume after a pause"),
        ("end", "end the partnership"),
    ):
        state = with_config(verbs.add_parser(name, help=text))
        state.add_argument("id", type=int)

    rename = with_config(verbs.add_parser("rename", help="the name the register and topic show"))
    rename.add_argument("id", type=int)
    rename.add_argument("name", nargs="+")

    revoke = with_config(verbs.add_parser("revoke", help="withdraw an open invitation"))
    revoke.add_argument("invitation", type=int)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_with_context(args))


async def _with_context(args: argparse.Namespace) -> int:
    from bot.root import command_context

    async with command_context(load(args), args.clock) as ctx:
        return await VERBS[args.verb](ctx, args)


@verb("list")
async def _list(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    if args.area and run.ctx.directory.area(args.area) is None:
        known = ", ".join(a.id for a in run.ctx.directory.areas)
        err(f"unknown area {args.area!r} (known: {known})")
        return EXIT_CONFIG
    async with run.db.read() as tx:
        found = await register.listing(tx, run.ctx.clock.now(), area=args.area)
    ambassadors = [register.entry_json(run.ctx, e) for e in found.entries]
    invitations = [register.invitation_json(run.ctx, i) for i in found.invitations]
    if args.json:
        out_json({"ambassadors": ambassadors, "invitations": invitations})
        return 0
    if not ambassadors:
        print("no ambassadors")
    for a in ambassadors:
        last = a["last_message"] or "never"
        print(
            f"{a['id']:>4}  {a['name']:<24} {a['channel']:<8} {a['area']:<10} {a['officer']:<6}"
            f" {a['state']:<8} joined {a['joined'] or '-'}  last message {last}"
        )
    if invitations:
        print("open invitations:")
    for i in invitations:
        who = i["name"] or i["phone"] or "(Telegram link)"
        print(
            f"{i['id']:>4}  {who:<24} {i['area']:<10} {i['officer']:<6} expires {i['expires_at']}"
        )
    return 0


@verb("show")
async def _show(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    async with run.db.read() as tx:
        entry = next(
            (e for e in await tx.ambassadors.register() if e.ambassador.id == args.id), None
        )
    if entry is None:
        err(f"no ambassador {args.id}")
        return EXIT_NOT_FOUND
    record = register.entry_json(run.ctx, entry)
    if args.json:
        out_json(record)
        return 0
    for key, value in record.items():
        print(f"{key + ':':<20}{'' if value is None else value}")
    return 0


async def _change(run: CommandContext, args: argparse.Namespace, change: Any) -> int:
    """Run one register change in a transaction; its refusal is printed, not raised."""
    from flows import register

    try:
        async with run.db.transaction() as tx:
            amb = await register.ambassador(tx, args.id)
            message = await change(tx, amb)
    except register.RegisterError as exc:
        err(str(exc))
        return EXIT_NOT_FOUND if exc.key == "not_found" else 1
    print(message)
    return 0


@verb("move")
async def _move(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    async def change(tx: Any, amb: Any) -> str:
        moved = await register.move(
            run.ctx, tx, amb, area=args.area, officer=args.officer, by="cli"
        )
        where = f"area {moved.area_id}, officer {moved.officer_id}"
        return f"ambassador {moved.id} ({moved.name}): {where}"

    return await _change(run, args, change)


def _state_verb(name: str) -> Verb:
    async def handler(run: CommandContext, args: argparse.Namespace) -> int:
        from flows import register

        action = getattr(register, name)

        async def change(tx: Any, amb: Any) -> str:
            await action(run.ctx, tx, amb, by="cli")
            found = await register.ambassador(tx, amb.id)
            return f"ambassador {amb.id} ({amb.name}): {found.state.value}"

        return await _change(run, args, change)

    return handler


for _name in ("pause", "resume", "end"):
    VERBS[_name] = _state_verb(_name)


@verb("rename")
async def _rename(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    async def change(tx: Any, amb: Any) -> str:
        renamed = await register.rename(run.ctx, tx, amb, " ".join(args.name), by="cli")
        return f"ambassador {renamed.id}: {renamed.name}"

    return await _change(run, args, change)


@verb("revoke")
async def _revoke(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    try:
        async with run.db.transaction() as tx:
            await register.revoke(run.ctx, tx, args.invitation, by="cli")
    except register.RegisterError as exc:
        err(str(exc))
        return EXIT_NOT_FOUND if exc.key == "no_invitation" else 1
    print(f"invitation {args.invitation} revoked")
    return 0
