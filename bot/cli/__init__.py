"""The `tryghedsbot` command. Each subcommand lives in its own module and imports what it needs
when it runs, so `tryghedsbot classify` starts without loading the whole bot."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.cli import (
    ambassadors,
    audit,
    backup,
    broadcast,
    classify,
    figures,
    invite,
    pulse,
    run,
    tools,
)
from bot.cli.common import EXIT_CONFIG, EXIT_STORAGE, ConfigProblem

if TYPE_CHECKING:
    from flows.ports import Clock


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="tryghedsbot",
        description="Dialogue channel between safety ambassadors and their contact officers.",
    )
    top.add_argument("--config", help="configuration file (TOML); default ./config.toml")
    sub = top.add_subparsers(dest="command", required=True)
    for module in (
        run,
        invite,
        classify,
        tools,
        broadcast,
        backup,
        ambassadors,
        audit,
        figures,
        pulse,
    ):
        module.register(sub)
    return top


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """`clock` is for tests: commands then share the clock of the bot under test."""
    args = parser().parse_args(argv)
    if clock is None:
        from bot.clock import SystemClock

        clock = SystemClock()
    args.clock = clock
    try:
        result: int = args.handler(args)
        return result
    except ConfigProblem as exc:
        print(f"tryghedsbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Storage is imported only by the commands that use it (not by `classify`).
        storage = sys.modules.get("storage.db")
        if storage is not None and isinstance(exc, storage.StorageError):
            # the database is missing, another one, corrupt, too new
            print(f"tryghedsbot: {exc}", file=sys.stderr)
            return EXIT_STORAGE
        raise


if __name__ == "__main__":
    raise SystemExit(main())
