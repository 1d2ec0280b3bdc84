"""Throughput and latency of the message classifier.

Run: .venv/bin/python bench/classify.py [--n 100000] [--devset PATH] [--tree]

Measures the classifier as installed (compiled where the install could compile it, see
setup.py) when the installed package is this tree's; otherwise, or with --tree, the source
tree's plain Python. The first line says which.

Builds the classifier from the package data, repeats the development set (or a small built-in
sample when it is absent) to at least --n messages, and prints messages per second and the
per-message latency p50/p99/max measured with time.perf_counter_ns. Throughput is also given in
CPU time (time.process_time), which other work on a shared machine does not inflate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_DIGEST = "import intents.classifier as c; print(c.package_digest())"


def installed_is_current() -> bool:
    """Whether the installed `intents` package (not the tree) holds this tree's code and data:
    each answers with its own digest (`-P` from outside the tree imports the installed one)."""

    def digest(*flags: str, cwd: Path) -> str | None:
        done = subprocess.run(
            [sys.executable, *flags, "-c", _DIGEST], capture_output=True, text=True, cwd=cwd
        )
        return done.stdout.strip() if done.returncode == 0 else None

    installed = digest("-P", cwd=ROOT.parent)
    return installed is not None and installed == digest(cwd=ROOT)


DEFAULT_DEVSET = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / ("messages-dev.jsonl")
)

SAMPLE = [
    "der er indbrud hos naboen lige nu, jeg kan høre dem",
    "min cykel blev stjålet fra stationen i nat",
    "hej, hvornår er næste møde for ambassadørerne?",
    "hjælp",
    "en mand ligger på fortovet og svarer ikke",
    "ikke akut, men der holder en mærkelig bil ved skolen hver aften",
    "hvad gør man hvis man ser et slagsmål i byen?",
    "Someone stole my wallet on the bus yesterday, how do I report it?",
    "tak for et godt oplæg i går 👍",
    "det brænder i carporten hos genboen!!",
]


def _load(path: Path | None) -> tuple[list[str], str]:
    if path is not None and path.is_file():
        with path.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for line in fh if line.strip()]
        return texts, str(path)
    return SAMPLE, "built-in sample (development set not found)"


def _percentile(sorted_values: list[int], pct: float) -> int:
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="messages to classify")
    parser.add_argument("--devset", type=Path, default=None, help="JSONL file with 'text'")
    parser.add_argument("--tree", action="store_true", help="measure the source tree's code")
    args = parser.parse_args(argv)
    if args.tree or not installed_is_current():
        sys.path.insert(0, str(ROOT))
    import intents.classifier
    from intents import Classifier

    devset = args.devset or Path(os.environ.get("TRYGHEDSBOT_DEVSET", DEFAULT_DEVSET))

    started = time.perf_counter()
    classifier = Classifier.from_package_data()
    build_ms = (time.perf_counter() - started) * 1000

    texts, source = _load(devset)
    repeats = max(1, -(-args.n // len(texts)))
    messages = (texts * repeats)[: max(args.n, len(texts))]

    classify = classifier.classify
    latencies: list[int] = []
    clock = time.perf_counter_ns
    cpu_start = time.process_time()
    wall_start = clock()
    for text in messages:
        t0 = clock()
        classify(text)
        latencies.append(clock() - t0)
    wall_ns = clock() - wall_start
    cpu_s = time.process_time() - cpu_start

    latencies.sort()
    throughput = len(messages) / (wall_ns / 1e9)
    module = Path(intents.classifier.__file__ or "")
    kind = "compiled" if module.suffix != ".py" else "plain Python"
    where = "source tree" if module.is_relative_to(ROOT / "intents") else "installed"
    print(f"classifier:  {where}, {kind} ({module.name})")
    print(f"source:      {source} ({len(texts)} distinct messages)")
    print(f"build:       {build_ms:.1f} ms")
    print(f"messages:    {len(messages)}")
    print(f"throughput:  {throughput:,.0f} msgs/s")
    print(f"cpu:         {len(messages) / cpu_s:,.0f} msgs/s of CPU time")
    print(f"latency p50: {_percentile(latencies, 50) / 1000:.1f} µs")
    print(f"latency p99: {_percentile(latencies, 99) / 1000:.1f} µs")
    print(f"latency max: {latencies[-1] / 1000:.1f} µs")

    long_text = "der er indbrud lige nu " * 5000
    t0 = clock()
    classify(long_text)
    print(f"100k chars:  {(clock() - t0) / 1000:.1f} µs (truncated to the first 2000 chars)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
