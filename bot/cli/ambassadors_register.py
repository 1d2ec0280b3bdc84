"""The register's verbs of `tryghedsbot ambassadors`: list, show, move, pause, resume, end,
rename and revoke (an open invitation).

They change the register through flows/register.py, as the Telegram commands and the
sandbox do, so an ambassador moved here is told who their officer now is, and a running bot
sends that within seconds. The command line acts as the operator.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.cli.ambassadors import add_verb
from bot.cli.common import EXIT_CONFIG, EXIT_NOT_FOUND, err, operator, out_json

if TYPE_CHECKING:
    from bot.root import CommandContext

Handler = Callable[["CommandContext", argparse.Namespace], Awaitable[int]]


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="the ambassador's id (see `ambassadors list`)")


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


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


async def _move(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    async def change(tx: Any, amb: Any) -> str:
        moved = await register.move(
            run.ctx, tx, amb, area=args.area, officer=args.officer, by=operator()
        )
        where = f"area {moved.area_id}, officer {moved.officer_id}"
        return f"ambassador {moved.id} ({moved.name}): {where}"

    return await _change(run, args, change)


def _state_verb(name: str) -> Handler:
    async def handler(run: CommandContext, args: argparse.Namespace) -> int:
        from flows import register

        action = getattr(register, name)

        async def change(tx: Any, amb: Any) -> str:
            await action(run.ctx, tx, amb, by=operator())
            found = await register.ambassador(tx, amb.id)
            return f"ambassador {amb.id} ({amb.name}): {found.state.value}"

        return await _change(run, args, change)

    return handler


async def _rename(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    async def change(tx: Any, amb: Any) -> str:
        renamed = await register.rename(run.ctx, tx, amb, " ".join(args.name), by=operator())
        return f"ambassador {renamed.id}: {renamed.name}"

    return await _change(run, args, change)


async def _revoke(run: CommandContext, args: argparse.Namespace) -> int:
    from flows import register

    try:
        async with run.db.transaction() as tx:
            await register.revoke(run.ctx, tx, args.invitation, by=operator())
    except register.RegisterError as exc:
        err(str(exc))
        return EXIT_NOT_FOUND if exc.key == "no_invitation" else 1
    print(f"invitation {args.invitation} revoked")
    return 0


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--area", help="only this area")
    _json(p)


def _show_args(p: argparse.ArgumentParser) -> None:
    _id(p)
    _json(p)


def _move_args(p: argparse.ArgumentParser) -> None:
    _id(p)
    p.add_argument("--area", help="the new area")
    p.add_argument("--officer", help="the new contact officer")


def _rename_args(p: argparse.ArgumentParser) -> None:
    _id(p)
    p.add_argument("name", nargs="+", help="the name the register and the group show")


def _revoke_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("invitation", type=int, help="the invitation's id (see `ambassadors list`)")


add_verb("list", "ambassadors (name, channel, area, officer, state) and open invitations",
         _list_args, _list)  # fmt: skip
add_verb("show", "one ambassador", _show_args, _show)
add_verb("move", "another area and/or officer; the ambassador is told", _move_args, _move)
add_verb("pause", "pause: nothing relayed or pushed until resumed", _id, _state_verb("pause"))
add_verb("resume", "resume after a pause", _id, _state_verb("resume"))
add_verb("end", "end the partnership (a new invitation starts over)", _id, _state_verb("end"))
add_verb("rename", "the name the register and the group show", _rename_args, _rename)
add_verb("revoke", "withdraw an open invitation", _revoke_args, _revoke)
