"""`tryghedsbot invite`: an invitation code and link (or a welcome SMS) for a new ambassador."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_CONFIG, err, load, operator, run_async, with_config

if TYPE_CHECKING:
    from bot.config import Config
    from flows.ports import Clock


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = with_config(sub.add_parser("invite", help="create an invitation for an ambassador"))
    p.add_argument("--area", required=True)
    p.add_argument("--officer", required=True)
    p.add_argument("--phone", help="invite by SMS to this number")
    p.add_argument("--name", help="the invitee's name, as the register and the group show it")
    p.set_defaults(handler=cmd_invite)


def cmd_invite(args: argparse.Namespace) -> int:
    config = load(args)
    return run_async(invite(config, args.area, args.officer, args.phone, args.clock, args.name))


async def invite(
    config: Config,
    area: str,
    officer: str,
    phone: str | None,
    clock: Clock,
    name: str | None = None,
) -> int:
    from bot.root import command_context
    from flows.hours import PROGRAMME_TZ, format_local
    from flows.onboarding import InviteError, create_invitation
    from flows.phone import PhoneError, normalise_phone

    if phone is not None:
        try:
            phone = normalise_phone(phone)
        except PhoneError as exc:
            err(str(exc))
            return EXIT_CONFIG
    async with command_context(config, clock) as run:
        if phone is None and run.ctx.links.invitation("x") is None:
            err(
                "the bot's username is not known yet: run the bot once, or set "
                "[telegram] bot_username"
            )
            return EXIT_CONFIG
        try:
            async with run.db.transaction() as tx:
                new = await create_invitation(
                    run.ctx,
                    tx,
                    area_id=area,
                    officer_id=officer,
                    created_by=operator(),
                    phone=phone,
                    name=name,
                )
        except InviteError as exc:
            err(str(exc))
            return EXIT_CONFIG
        print(f"code: {new.code}")
        if new.link:
            print(f"link: {new.link}")
        else:
            print(f"sms: welcome message queued for {phone}")
        print(f"expires: {format_local(new.invitation.expires_at, 'en')} ({PROGRAMME_TZ})")
        print(f"database: {run.db.path}")
    return 0
