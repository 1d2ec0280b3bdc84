"""`tryghedsbot classify`: route messages read from stdin, one JSON object per line out.

Imports only the classifier and keeps its compiled keyword data in the user's cache folder,
so it starts at once; it streams, answering each line as it is read."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intents import Classification


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("classify", help="route messages: one per line on stdin, JSON lines out")
    p.set_defaults(handler=cmd_classify)


def cmd_classify(args: argparse.Namespace) -> int:
    from intents import Classifier

    classify = Classifier.from_package_data(cache_dir=_cache_dir()).classify
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    stdin, stdout = sys.stdin.fileno(), sys.stdout
    # Reads whatever is waiting (at least one line, or it blocks), answers every complete
    # line in it and flushes once: a person typing gets each answer at once, a file of 100k
    # lines is not written one system call per line.
    rest = b""
    while chunk := os.read(stdin, 1 << 16):
        *lines, rest = (rest + chunk).split(b"\n")
        if lines:
            stdout.write(_answers(lines, classify, dumps))
            stdout.flush()
    if rest:
        stdout.write(_answers([rest], classify, dumps))
        stdout.flush()
    return 0


def _answers(
    lines: list[bytes], classify: Callable[[str], Classification], dumps: Callable[[Any], str]
) -> str:
    return "".join(
        dumps(classify(line.decode("utf-8", "replace").rstrip("\r")).to_json_dict()) + "\n"
        for line in lines
    )


def _cache_dir() -> Path:
    """Where the compiled keyword data is kept between runs: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tryghedsbot"
