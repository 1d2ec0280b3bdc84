"""What the subcommands share: the --config option, loading it, and printing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.config import Config

EXIT_CONFIG = 2
EXIT_NOT_FOUND = 3
EXIT_STORAGE = 1
DEFAULT_CONFIG = "config.toml"


class ConfigProblem(Exception):
    """Stops a command with exit status 2; the message is for the operator."""


T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, imported only by the commands that need it: asyncio alone costs about
    80 ms of start-up, which `tryghedsbot classify` does not pay."""
    import asyncio

    return asyncio.run(coro)


def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--config FILE after the subcommand too (it may stand anywhere on the line)."""
    p.add_argument("--config", default=argparse.SUPPRESS, help="configuration file (TOML)")
    return p


def config_path(args: argparse.Namespace) -> Path:
    return Path(args.config or DEFAULT_CONFIG)


def load(args: argparse.Namespace) -> Config:
    from bot.config import ConfigError, load_config

    try:
        return load_config(config_path(args))
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc


def operator() -> str:
    """Who acts at the command line, for the audit log: the operator's login name."""
    import getpass

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment (a bare container)
        return "operator"
    return f"operator:{name}"


def out_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def err(message: str) -> None:
    print(f"tryghedsbot: {message}", file=sys.stderr)
