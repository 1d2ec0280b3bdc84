"""`tryghedsbot classify`: route messages read from stdin, one JSON object per line out.

Imports only the classifier and keeps its compiled keyword data in the user's cache folder,
so it starts at once; it streams, answering each line as it is read. A large input (a file
or an export piped in) is shared out in blocks to one worker process per core, and the
answers come back in input order."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intents import Classification

#: What one read takes while answering a person typing (and how a bulk input is noticed:
#: a read that fills it means more is waiting).
_READ = 1 << 16
#: One worker's share of a large input: about 2,500 messages, a few hundred milliseconds.
_BLOCK = 1 << 18

# The worker processes inherit these from the parent (fork), so nothing is loaded twice.
_classify: Callable[[str], Classification] | None = None
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode
_ENCODED: dict[Classification, bytes] = {}
_ENCODED_LIMIT = 4096


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("classify", help="route messages: one per line on stdin, JSON lines out")
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for a large input (default: one per core; 1: none)",
    )
    p.set_defaults(handler=cmd_classify)


def cmd_classify(args: argparse.Namespace) -> int:
    global _classify
    from intents import Classifier

    _classify = Classifier.from_package_data(cache_dir=_cache_dir()).classify
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    try:
        _answer_all(jobs)
    except BrokenPipeError:
        # The reader went away (`... | head`): no traceback, and nothing more to write, not
        # even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _answer_all(jobs: int) -> None:
    """Answers stdin on stdout until stdin ends."""
    # Answers are written as UTF-8 bytes, encoded once per distinct answer (see _answers): a
    # worker's block then reaches the parent and stdout without being decoded and encoded again.
    sys.stdout.flush()
    stdin, stdout = sys.stdin.fileno(), sys.stdout.buffer
    # Reads whatever is waiting (at least one line, or it blocks), answers every complete
    # line in it and flushes once: a person typing gets each answer at once, a file of 100k
    # lines is not written one system call per line.
    rest = b""
    while chunk := os.read(stdin, _READ):
        if len(chunk) == _READ and jobs > 1 and _can_fork():
            # A full read: the input is a file or a bulk pipe, not a person. Share it out.
            for answers in _in_parallel(jobs, _blocks(stdin, rest + chunk)):
                stdout.write(answers)
                stdout.flush()
            return
        whole, newline, rest = (rest + chunk).rpartition(b"\n")
        if newline:
            stdout.write(_answers(whole))
            stdout.flush()
    if rest:
        stdout.write(_answers(rest))
        stdout.flush()


def _answers(block: bytes) -> bytes:
    """One JSON line per line of `block` (whole lines, no final newline), in UTF-8. Many
    messages share one answer ("officer, general"; "report, theft" with the same words), so
    each distinct answer is encoded once; the cache holds answers, never the messages."""
    classify = _classify
    assert classify is not None
    encoded = _ENCODED
    if len(encoded) >= _ENCODED_LIMIT:
        encoded.clear()
    out: list[bytes] = []
    for line in block.decode("utf-8", "replace").split("\n"):
        answer = classify(line.rstrip("\r"))
        text = encoded.get(answer)
        if text is None:
            text = encoded[answer] = (_dumps(answer.to_json_dict()) + "\n").encode()
        out.append(text)
    return b"".join(out)


def _blocks(fd: int, first: bytes) -> Iterator[bytes]:
    """Blocks of whole lines (no final newline) from `first` and then the rest of `fd`."""
    pending = first
    while chunk := os.read(fd, _BLOCK):
        pending += chunk
        if len(pending) >= _BLOCK and (cut := pending.rfind(b"\n")) >= 0:
            yield pending[:cut]
            pending = pending[cut + 1 :]
    lines = pending.split(b"\n")
    if lines[-1] == b"":  # the input's last newline ends a line; it starts none
        lines.pop()
    if lines:
        yield b"\n".join(lines)


def _in_parallel(jobs: int, blocks: Iterator[bytes]) -> Iterator[bytes]:
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        # imap keeps the input's order; a few blocks ahead keeps every worker busy.
        yield from pool.imap(_answers, blocks, chunksize=1)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _cache_dir() -> Path:
    """Where the compiled keyword data is kept between runs: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tryghedsbot"
