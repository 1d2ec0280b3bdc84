"""Small operator commands: `check-config` and `misroutes`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.common import config_path, load, run_async, with_config

if TYPE_CHECKING:
    from bot.config import Config
    from flows.ports import Clock


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = with_config(sub.add_parser("check-config", help="validate the configuration"))
    check.set_defaults(handler=cmd_check_config)
    misroutes = with_config(sub.add_parser("misroutes", help="export officers' route corrections"))
    misroutes.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    misroutes.set_defaults(handler=cmd_misroutes)


def cmd_check_config(args: argparse.Namespace) -> int:
    config = load(args)
    path = config_path(args)
    print(f"{path}: OK ({len(config.areas)} areas, {len(config.officers)} officers)")
    print(f"database: {config.storage.path}")
    return 0


def cmd_misroutes(args: argparse.Namespace) -> int:
    return run_async(_misroutes(load(args), args.format, args.clock))


async def _misroutes(config: Config, fmt: str, clock: Clock) -> int:
    from bot.root import command_context

    async with command_context(config, clock) as run, run.db.read() as tx:
        records: list[dict[str, Any]] = await tx.corrections.export()
    fields = ["at", "text", "route_given", "route_corrected", "officer_id", "intent", "matched"]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow({**record, "matched": " | ".join(record["matched"])})
    else:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
    return 0
