"""The `tryghedsbot` command. Each subcommand lives in its own module, imported only when that
command runs, and imports what it needs when it runs: `tryghedsbot classify` starts without
loading the rest of the bot."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from bot.cli.common import EXIT_CONFIG, EXIT_STORAGE, ConfigProblem

if TYPE_CHECKING:
    from flows.ports import Clock

#: Each subcommand and the module (in bot.cli) that registers and runs it, in the order
#: `--help` lists them.
COMMANDS: dict[str, str] = {
    "run": "run",
    "invite": "invite",
    "classify": "classify",
    "check-config": "tools",
    "misroutes": "tools",
    "broadcast": "broadcast",
    "backup": "backup",
    "ambassadors": "ambassadors",
    "audit": "audit",
    "figures": "figures",
    "pulse": "pulse",
}


#: Commands that end their process without Python's teardown. `classify` holds the compiled
#: keyword data, some hundreds of thousands of objects, and nothing to close: freeing them one
#: by one at exit took longer than loading them (0.14 s of a 0.4 s run on empty input).
QUICK_EXIT = frozenset({"classify"})


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (for a known `command`) only that subcommand's part, so
    that running one command imports no other command's module (`classify` starts at once)."""
    top = argparse.ArgumentParser(
        prog="tryghedsbot",
        description="Dialogue channel between safety ambassadors and their contact officers.",
    )
    top.add_argument("--config", help="configuration file (TOML); default ./config.toml")
    sub = top.add_subparsers(dest="command", required=True)
    names = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in names:
        _module(name).register(sub)
    return top


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"bot.cli.{name}")


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`: the first word that is neither an option nor the
    value of --config."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """`clock` is for tests: commands then share the clock of the bot under test."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser(_command_in(argv)).parse_args(argv)
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


def entry() -> NoReturn:
    """The process: `tryghedsbot ...` and `python -m bot ...`."""
    argv = sys.argv[1:]
    code = main(argv)
    if _command_in(argv) in QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a reader that went away (`| head`): nothing more to tell it
            code = code or 1
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    entry()
