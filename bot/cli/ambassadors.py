"""`tryghedsbot ambassadors VERB`: one command group for everything done to ambassadors.

Each verb is one entry in `VERBS`: its help line, a function that adds its arguments, and an
async handler that gets the command's context (the bot's database and flow context, built
like the running bot's) and the parsed arguments. A verb is added with `add_verb(...)` from
the module that implements it, so verbs written apart do not touch each other's code.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.cli.common import load, run_async, with_config

if TYPE_CHECKING:
    from bot.root import CommandContext

Arguments = Callable[[argparse.ArgumentParser], None]
Handler = Callable[["CommandContext", argparse.Namespace], Awaitable[int]]


@dataclass(frozen=True)
class Verb:
    help: str
    arguments: Arguments
    handler: Handler


VERBS: dict[str, Verb] = {}


def add_verb(name: str, help: str, arguments: Arguments, handler: Handler) -> None:
    """Make `tryghedsbot ambassadors NAME` run `handler` (every verb takes --config)."""
    if name in VERBS:
        raise ValueError(f"ambassadors {name}: defined twice")
    VERBS[name] = Verb(help, arguments, handler)


def _load_verbs() -> None:
    """The modules that define verbs; imported here so that each registers its own."""
    from bot.cli import (
        ambassadors_privacy,  # noqa: F401 (export, delete)
        ambassadors_register,  # noqa: F401 (list, show, move, pause, ...)
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _load_verbs()
    group = sub.add_parser("ambassadors", help="list, change, export or delete ambassadors")
    verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)
    for name, verb in VERBS.items():
        p = with_config(verbs.add_parser(name, help=verb.help, description=verb.help))
        verb.arguments(p)
        p.set_defaults(handler=_runner(verb.handler))


def _runner(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return run_async(_with_context(args, handler))

    return run


async def _with_context(args: argparse.Namespace, handler: Handler) -> int:
    from bot.root import command_context

    async with command_context(load(args), args.clock) as run:
        return await handler(run, args)
