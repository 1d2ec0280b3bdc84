"""Benchmark: `tryghedsbot classify` as a whole process against a naive keyword classifier.

    .venv/bin/python bench/classify_cli.py                 # 100,000 lines, 5 rounds
    .venv/bin/python bench/classify_cli.py --n 20000 --repeat 3

Each round runs, side by side in alternating order, three processes on the same machine:
`python -m bot classify` on empty input (start-up), the same on --n lines (throughput), and
the naive baseline on the same lines: a script written here that lower-cases each line,
looks for a few dozen keywords by substring and writes one JSON line per message, which is
what a first keyword bot does. Lines are the development set's messages repeated (or a small
built-in sample when it is absent). Prints per-round figures and the medians: start-up in
seconds, messages per second for both, and their ratio.
Targets: start-up on empty input at most 0.3 s; throughput at least 0.5 x the baseline.

The first run fills the user's cache with the compiled keyword data (see
`tryghedsbot classify`); an untimed warm-up run does that before the rounds. It also lets
Python write its bytecode cache for the source tree, as Python does by default and as
`pip install` does for the installed command: a PYTHONDONTWRITEBYTECODE in the environment
is not passed on, or every start-up would include compiling the source.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.classify import DEFAULT_DEVSET, SAMPLE, installed_is_current  # noqa: E402

NAIVE = r"""
import json, sys
ROUTES = {
    "acute": ["brand", "brænder", "røg", "kniv", "pistol", "våben", "slår", "overfald",
              "indbrud lige nu", "bevidstløs", "trække vejret", "blod", "ulykke", "druknet",
              "hjælp", "fire", "knife", "gun", "unconscious", "bleeding", "accident"],
    "report": ["stjålet", "stjal", "indbrud", "hærværk", "anmelde", "svindel", "snyd",
               "tyveri", "politianmeldelse", "stolen", "report", "vandalism", "fraud"],
}
out = sys.stdout
for line in sys.stdin:
    text = line.lower()
    route, matched = "officer", []
    for name, words in ROUTES.items():
        matched = [w for w in words if w in text]
        if matched:
            route = name
            break
    out.write(json.dumps({"route": route, "matched": matched}, ensure_ascii=False) + "\n")
"""


def _lines(n: int) -> tuple[bytes, str]:
    devset = Path(os.environ.get("TRYGHEDSBOT_DEVSET", DEFAULT_DEVSET))
    if devset.is_file():
        with devset.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"].replace("\n", " ") for line in fh if line.strip()]
        source = str(devset)
    else:
        texts, source = SAMPLE, "built-in sample (development set not found)"
    out = [texts[i % len(texts)] for i in range(n)]
    return ("\n".join(out) + "\n").encode("utf-8"), source


_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _timed(cmd: list[str], stdin: Path, cwd: str = str(ROOT)) -> tuple[float, int]:
    """Wall seconds and output lines of one process reading `stdin`."""
    with stdin.open("rb") as fh:
        start = time.perf_counter()
        done = subprocess.run(cmd, stdin=fh, capture_output=True, check=True, cwd=cwd, env=_ENV)
        elapsed = time.perf_counter() - start
    return elapsed, done.stdout.count(b"\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="lines to classify")
    parser.add_argument("--repeat", type=int, default=5, help="rounds")
    parser.add_argument("--tree", action="store_true", help="run the source tree's code")
    args = parser.parse_args(argv)

    data, source = _lines(args.n)
    naive = [sys.executable, "-c", NAIVE]
    with tempfile.TemporaryDirectory() as tmp:
        # The command as installed (compiled where the install could, see setup.py) when the
        # installed package is this tree's: run with -P from elsewhere so the tree is not
        # imported. Otherwise, or with --tree, the tree's plain Python.
        if installed_is_current() and not args.tree:
            ours, where, cwd = [sys.executable, "-P", "-m", "bot", "classify"], "installed", tmp
        else:
            ours, where, cwd = [sys.executable, "-m", "bot", "classify"], "source tree", str(ROOT)
        lines, empty = Path(tmp, "lines.txt"), Path(tmp, "empty.txt")
        lines.write_bytes(data)
        empty.write_bytes(b"")
        _timed(ours, empty, cwd)  # warm-up: fills the cache of compiled keyword data
        starts, ours_rates, naive_rates, ratios = [], [], [], []
        print(f"{args.n} lines from {source}; load average {os.getloadavg()[0]:.2f}")
        print(f"ours: `tryghedsbot classify` from the {where} ({' '.join(ours[1:])})")
        print(
            f"{'round':>5} {'start-up s':>11} {'ours msg/s':>11} {'naive msg/s':>12} {'ratio':>6}"
        )
        for r in range(args.repeat):
            order = [(ours, ours_rates), (naive, naive_rates)]
            if r % 2:
                order.reverse()
            start_up, _ = _timed(ours, empty, cwd)
            for cmd, rates in order:
                elapsed, count = _timed(cmd, lines, cwd if cmd is ours else str(ROOT))
                if count != args.n:
                    raise SystemExit(f"{cmd[-2:]} answered {count} of {args.n} lines")
                rates.append(args.n / elapsed)
            starts.append(start_up)
            ratios.append(ours_rates[-1] / naive_rates[-1])
            print(
                f"{r + 1:>5} {start_up:>11.3f} {ours_rates[-1]:>11,.0f} "
                f"{naive_rates[-1]:>12,.0f} {ratios[-1]:>6.2f}"
            )
    med = statistics.median
    print(
        f"median start-up {med(starts):.3f} s (target <= 0.3), ours {med(ours_rates):,.0f} msg/s,"
        f" naive {med(naive_rates):,.0f} msg/s, ratio {med(ratios):.2f} (target >= 0.5)"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
