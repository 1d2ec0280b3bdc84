"""Figures for a labelled batch of messages, as the issue defines them.

Run ``python -m tests.intents.figures [batch01 ...]`` from the repository root to print the
figures of the probe batches (all of them when none is named) and the development set, with
every miss; the tests in this folder assert the product's floor on the same figures.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from intents import Classification, Classifier, Route

DEVSET = Path(__file__).parents[2].parent / "shared" / "data" / "messages-dev.jsonl"
#: Every probe batch in this folder (batchNN.py holding PROBES), in number order: a batch is
#: measured and tested by being here, with no list to keep in step.
BATCHES = tuple(
    sorted(
        (path.stem for path in Path(__file__).parent.glob("batch[0-9]*.py")),
        key=lambda name: int(name.removeprefix("batch")),
    )
)

#: One labelled message: (style family, wanted route, text).
Probe = tuple[str, Route, str]
Result = tuple[Probe, Classification]


@dataclass(frozen=True)
class Figures:
    """The issue's figures for one set of messages."""

    n: int
    acute_recall: float
    acute_caught: float  # routed acute, or a non-acute answer with the safety net on
    net_rate_non_acute: float
    acute_precision: float
    report_f1: float
    accuracy: float

    def row(self) -> str:
        """One table row: n, acute recall, caught, net rate, precision, report F1, accuracy."""
        return (
            f"n={self.n} acute_recall={self.acute_recall:.3f} acute_caught={self.acute_caught:.3f}"
            f" net_rate_non_acute={self.net_rate_non_acute:.3f}"
            f" acute_precision={self.acute_precision:.3f} report_f1={self.report_f1:.3f}"
            f" accuracy={self.accuracy:.3f}"
        )

    def floor_failures(self) -> list[str]:
        """The targets of the issue this set misses (empty when it meets them all)."""
        checks = [
            ("acute_recall >= 0.90", self.acute_recall >= 0.90),
            ("acute_caught >= 0.97", self.acute_caught >= 0.97),
            ("net_rate_non_acute <= 0.20", self.net_rate_non_acute <= 0.20),
            ("acute_precision >= 0.85", self.acute_precision >= 0.85),
            ("report_f1 >= 0.85", self.report_f1 >= 0.85),
            ("accuracy >= 0.87", self.accuracy >= 0.87),
        ]
        return [name for name, ok in checks if not ok]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def figures(results: Iterable[tuple[Route, Classification]]) -> Figures:
    """Compute the figures from (wanted route, classification) pairs."""
    pairs = list(results)
    acute = [got for want, got in pairs if want == Route.ACUTE]
    said_acute = [want for want, got in pairs if got.route == Route.ACUTE]
    non_acute = [got for want, got in pairs if want != Route.ACUTE]
    rep_tp = sum(1 for want, got in pairs if want == got.route == Route.REPORT)
    rep_pred = sum(1 for _, got in pairs if got.route == Route.REPORT)
    rep_true = sum(1 for want, _ in pairs if want == Route.REPORT)
    precision, recall = _ratio(rep_tp, rep_pred), _ratio(rep_tp, rep_true)
    return Figures(
        n=len(pairs),
        acute_recall=_ratio(sum(1 for g in acute if g.route == Route.ACUTE), len(acute)),
        acute_caught=_ratio(
            sum(1 for g in acute if g.route == Route.ACUTE or g.safety_net), len(acute)
        ),
        net_rate_non_acute=_ratio(sum(1 for g in non_acute if g.safety_net), len(non_acute)),
        acute_precision=_ratio(sum(1 for w in said_acute if w == Route.ACUTE), len(said_acute)),
        report_f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        accuracy=_ratio(sum(1 for want, got in pairs if want == got.route), len(pairs)),
    )


def load_batch(name: str) -> list[Probe]:
    """The probes of one batch module in this folder (its PROBES list)."""
    module = importlib.import_module(f"tests.intents.{name}")
    probes: list[Probe] = module.PROBES
    return probes


def load_devset(path: Path = DEVSET) -> list[Probe]:
    """The development set as probes (family "dev")."""
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [("dev", Route(row["route"]), row["text"]) for row in rows]


def run(clf: Classifier, probes: Sequence[Probe]) -> list[Result]:
    """Classify every probe."""
    return [(probe, clf.classify(probe[2])) for probe in probes]


def report(name: str, results: Sequence[Result], *, misses: bool = True) -> str:
    """Figures for a batch, per style family, and (optionally) every miss."""
    lines = [f"{name}: {figures((p[1], c) for p, c in results).row()}"]
    families = sorted({p[0] for p, _ in results})
    if len(families) > 1:
        for family in families:
            part = [(p[1], c) for p, c in results if p[0] == family]
            lines.append(f"  {family:<8} {figures(part).row()}")
    if misses:
        for (family, want, text), got in results:
            if got.route != want or (want != Route.ACUTE and got.safety_net):
                tag = "MISS" if got.route != want else "NET "
                lines.append(
                    f"  {tag} [{family}] want={want} got={got.route}/{got.intent}"
                    f" net={list(got.danger)} matched={list(got.matched)}: {text}"
                )
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Print the figures of the named batches (default: every batch and the dev set)."""
    clf = Classifier.from_package_data()
    names = [a for a in argv if not a.startswith("-")] or [*BATCHES, "dev"]
    for name in names:
        probes = load_devset() if name == "dev" else load_batch(name)
        print(report(name, run(clf, probes), misses="-q" not in argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
