"""`tryghedsbot backup`: a consistent copy of the database, also while the bot runs."""

from __future__ import annotations

import argparse
import json

from bot.cli.common import load, with_config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = with_config(sub.add_parser("backup", help="copy the database, also while the bot runs"))
    p.add_argument("--output", required=True, help="where the copy goes (a new file)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backup)


def cmd_backup(args: argparse.Namespace) -> int:
    from storage.backup import backup

    config = load(args)
    done = backup(config.storage.path, args.output, force=args.force)
    if args.json:
        print(json.dumps({"database": done.source, "output": done.output, "bytes": done.size}))
    else:
        print(
            f"backup of {done.source} written to {done.output} "
            f"({done.size / 1_048_576:.1f} MiB, {done.size} bytes, {done.seconds:.1f} s)"
        )
    return 0
