"""The `tryghedsbot` command: run, invite, classify, misroutes, check-config, broadcast,
backup."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import broadcast_cli
from bot.config import Config, ConfigError, Secrets, load_config
from bot.logs import setup_logging
from bot.sandbox import SandboxApp, demo_config
from flows.context import SystemClock
from flows.ports import Clock
from storage.db import StorageError

log = logging.getLogger("tryghedsbot")

EXIT_CONFIG = 2
EXIT_STORAGE = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tryghedsbot",
        description="Dialogue channel between safety ambassadors and their contact officers.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", default="config.toml", help="configuration file (TOML)")
        return p

    run = with_config(sub.add_parser("run", help="run the bot (the local sandbox without a token)"))
    run.add_argument("--log-level", default="INFO")
    run.add_argument("--sandbox", action="store_true", help="run the sandbox even with a token")
    run.add_argument("--port", type=int, help="web server port (overrides [web] port)")
    run.add_argument(
        "--new-database",
        action="store_true",
        help="take the database now at [storage] path as this bot's (an empty one if there is "
        "none), although another one was used before",
    )

    invite = with_config(sub.add_parser("invite", help="create an invitation for an ambassador"))
    invite.add_argument("--area", required=True)
    invite.add_argument("--officer", required=True)
    invite.add_argument("--phone", help="invite by SMS to this number")

    sub.add_parser("classify", help="route messages: one per line on stdin, JSON lines out")

    misroutes = with_config(sub.add_parser("misroutes", help="export officers' route corrections"))
    misroutes.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")

    with_config(sub.add_parser("check-config", help="validate the configuration and exit"))

    backup = with_config(
        sub.add_parser("backup", help="copy the database, also while the bot runs")
    )
    backup.add_argument("--output", required=True, help="where the copy goes (a new file)")
    backup.add_argument("--force", action="store_true", help="overwrite an existing file")
    backup.add_argument("--json", action="store_true")
    broadcast_cli.add_parser(sub, with_config)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """`clock` is for tests: the commands then share the clock of the bot under test."""
    args = _parser().parse_args(argv)
    args.clock = clock or SystemClock()
    handlers = {
        "run": cmd_run,
        "invite": cmd_invite,
        "classify": cmd_classify,
        "misroutes": cmd_misroutes,
        "check-config": cmd_check_config,
        "broadcast": broadcast_cli.run,
        "backup": cmd_backup,
    }
    try:
        return handlers[args.command](args)
    except ConfigError as exc:
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except StorageError as exc:  # the database is missing, another one, corrupt, too new
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return 130


def cmd_check_config(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    print(f"{args.config}: OK ({len(config.areas)} areas, {len(config.officers)} officers)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.backup import backup

    config = load_config(args.config)
    done = backup(config.storage.path, args.output, force=args.force)
    if args.json:
        print(json.dumps({"database": done.source, "output": done.output, "bytes": done.size}))
    else:
        print(
            f"backup of {done.source} written to {done.output} "
            f"({done.size / 1_048_576:.1f} MiB, {done.size} bytes, {done.seconds:.1f} s)"
        )
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from intents import Classifier

    classifier = Classifier.from_package_data()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\n")
        out.write(json.dumps(classifier.classify(text).to_json_dict(), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return asyncio.run(_invite(config, args.area, args.officer, args.phone, args.clock))


async def _invite(
    config: Config, area: str, officer: str, phone: str | None, clock: Clock | None = None
) -> int:
    from bot.app import build_context
    from flows.hours import format_local
    from flows.model import Channel
    from flows.onboarding import InviteError, create_invitation
    from flows.phone import PhoneError, normalise_phone
    from storage.db import Database

    if phone is not None:
        try:
            phone = normalise_phone(phone)
        except PhoneError as exc:
            print(f"tryghedsbot: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    db = await Database.open(config.storage.path)
    try:
        async with db.read() as tx:
            username = await tx.kv.get("telegram.username")
        username = username or config.telegram.bot_username
        if not username and phone is None:
            print(
                "tryghedsbot: the bot's username is not known yet: run the bot once, or set "
                "[telegram] bot_username",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        ctx = build_context(
            config,
            clock or SystemClock(),
            bot_username=username or "",
            officers_channel=Channel.TELEGRAM,
        )
        try:
            async with db.transaction() as tx:
                new = await create_invitation(
                    ctx, tx, area_id=area, officer_id=officer, created_by="cli", phone=phone
                )
        except InviteError as exc:
            print(f"tryghedsbot: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    finally:
        await db.close()
    print(f"code: {new.code}")
    if new.link:
        print(f"link: {new.link}")
    else:
        print(f"sms: welcome message queued for {phone}")
    print(f"expires: {format_local(new.invitation.expires_at, 'en')} (Europe/Copenhagen)")
    return 0


def cmd_misroutes(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    return asyncio.run(_misroutes(config, args.format))


async def _misroutes(config: Config, fmt: str) -> int:
    from storage.db import Database

    db = await Database.open(config.storage.path)
    try:
        async with db.read() as tx:
            rows = await tx.corrections.export()
    finally:
        await db.close()
    fields = ["at", "text", "route_given", "route_corrected", "officer_id", "intent", "matched"]
    records = [{f: row[f] for f in fields} for row in rows]
    for record in records:
        record["matched"] = json.loads(record["matched"] or "[]")
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({**record, "matched": " | ".join(record["matched"])})
    else:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    secrets = Secrets.from_env()
    path = Path(args.config)
    sandbox = args.sandbox or secrets.telegram_bot_token is None
    if path.exists():
        config = load_config(path)
    elif sandbox:
        config = demo_config()
    else:
        raise ConfigError(f"{path}: file not found (copy config.example.toml to start)")
    if args.port is not None:
        config = config.model_copy(
            update={"web": config.web.model_copy(update={"port": args.port})}
        )
    setup_logging(
        args.log_level,
        [
            s.get_secret_value()
            for s in (
                secrets.telegram_bot_token,
                secrets.twilio_auth_token,
                secrets.telegram_webhook_secret,
            )
            if s is not None
        ],
    )
    return asyncio.run(
        _run(
            config,
            secrets,
            sandbox=sandbox,
            config_found=path.exists(),
            new_database=args.new_database,
        )
    )


async def _run(
    config: Config,
    secrets: Secrets,
    *,
    sandbox: bool,
    config_found: bool,
    new_database: bool = False,
) -> int:
    from bot.app import App, StartupError
    from storage.db import Database

    if new_database:
        # Accepted here, once; the app then opens it as its own database like any other day.
        db = await Database.open(
            config.sandbox.path if sandbox else config.storage.path, create_new=True
        )
        await db.close()
    app: App | SandboxApp
    if sandbox:
        if secrets.telegram_bot_token is None:
            log.info("no TELEGRAM_BOT_TOKEN: starting the local sandbox")
        app = SandboxApp(config, secrets, demo=not config_found)
    else:
        app = App(config, secrets)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await app.start()
    except (StartupError, StorageError) as exc:
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        await app.stop()
        return 1
    except BaseException:
        await app.stop()  # leave nothing half-started behind a traceback
        raise
    try:
        await stop.wait()
        log.info("stopping: finishing what is in flight")
    finally:
        await app.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
