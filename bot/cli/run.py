"""`tryghedsbot run`: the bot (Telegram, SMS), or the local sandbox when asked for it."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import TYPE_CHECKING

from bot.cli.common import DEFAULT_CONFIG, ConfigProblem, config_path, load, run_async, with_config

if TYPE_CHECKING:
    from bot.config import Config, Secrets
    from flows.ports import Clock

log = logging.getLogger("tryghedsbot")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = with_config(
        sub.add_parser("run", help="run the bot (with no configuration file: the local sandbox)")
    )
    run.add_argument("--log-level", default="INFO")
    run.add_argument("--sandbox", action="store_true", help="run the local sandbox")
    run.add_argument("--port", type=int, help="web server port (overrides [web] port)")
    run.add_argument(
        "--new-database",
        action="store_true",
        help="take the database now at [storage] path as this bot's (an empty one if there is "
        "none), although another one was used before",
    )
    run.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.channels.sandbox import demo_config
    from bot.config import Secrets
    from bot.logs import setup_logging

    secrets = Secrets.from_env()
    path = config_path(args)
    given = args.config is not None
    # The sandbox runs only when asked: --sandbox, or `run` with no configuration at all.
    sandbox = args.sandbox or (not given and not path.exists())
    if given and not path.exists():
        raise ConfigProblem(f"{path}: file not found (copy config.example.toml to start)")
    config = load(args) if path.exists() else demo_config()
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
    if sandbox and not args.sandbox:
        log.info("no %s here: starting the local sandbox", DEFAULT_CONFIG)
    return run_async(
        _run(config, secrets, args.clock, sandbox=sandbox, new_database=args.new_database)
    )


async def _run(
    config: Config, secrets: Secrets, clock: Clock, *, sandbox: bool, new_database: bool
) -> int:
    import asyncio

    from bot.root import Runtime, StartupError
    from storage.db import StorageError

    runtime = Runtime(config, secrets, clock=clock, sandbox=sandbox, new_database=new_database)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await runtime.start()
    except StartupError as exc:
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        await runtime.stop()
        status: int = exc.status
        return status
    except StorageError as exc:  # missing, another one, corrupt, too new: the message says
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        await runtime.stop()
        return 1
    except BaseException:
        await runtime.stop()  # leave nothing half-started behind a traceback
        raise
    try:
        await stop.wait()
        log.info("stopping: finishing what is in flight")
    finally:
        await runtime.stop()
    return 0
