"""Quality of the classifier on the labelled development set.

The figures are printed (run with -s) and summarised in every assertion message. The thresholds
are the product's floor; the classifier is tuned with general rules to sit clearly above them,
because a separate held-out set written the same way is used to judge it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from intents import Classification, Classifier, Route

DEVSET_ENV = "TRYGHEDSBOT_DEVSET"
DEFAULT_DEVSET = Path(__file__).parents[2].parent / "shared" / "data" / "messages-dev.jsonl"


@dataclass(frozen=True)
class Figures:
    total: int
    accuracy: float
    acute_recall: float
    acute_precision: float
    report_f1: float
    acute_covered: float  # acute routed acute, or flagged by the safety net
    net_covers_misses: str  # how many acute misses the safety net catches
    net_rate_non_acute: float

    def summary(self) -> str:
        return (
            f"n={self.total} accuracy={self.accuracy:.3f} acute_recall={self.acute_recall:.3f} "
            f"acute_precision={self.acute_precision:.3f} report_f1={self.report_f1:.3f} "
            f"acute_covered={self.acute_covered:.3f} net_covers_acute_misses="
            f"{self.net_covers_misses} net_rate_non_acute={self.net_rate_non_acute:.3f}"
        )


def _devset_path() -> Path:
    env = os.environ.get(DEVSET_ENV)
    return Path(env) if env else DEFAULT_DEVSET


def _rows(path: Path) -> Iterator[tuple[str, Route]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                yield row["text"], Route(row["route"])


@pytest.fixture(scope="module")
def results() -> list[tuple[str, Route, Classification]]:
    path = _devset_path()
    if not path.is_file():
        pytest.skip(f"development set not found at {path} (set {DEVSET_ENV} to point at it)")
    clf = Classifier.from_package_data()
    return [(text, want, clf.classify(text)) for text, want in _rows(path)]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _figures(results: list[tuple[str, Route, Classification]]) -> Figures:
    total = len(results)
    correct = sum(1 for _, want, got in results if got.route == want)
    acute = [(w, g) for _, w, g in results if w == Route.ACUTE]
    said_acute = [(w, g) for _, w, g in results if g.route == Route.ACUTE]
    acute_hit = sum(1 for _, g in acute if g.route == Route.ACUTE)
    acute_misses = [g for _, g in acute if g.route != Route.ACUTE]
    caught = sum(1 for g in acute_misses if g.safety_net)
    covered = sum(1 for _, g in acute if g.route == Route.ACUTE or g.safety_net)
    report_tp = sum(1 for _, w, g in results if w == g.route == Route.REPORT)
    report_pred = sum(1 for _, _, g in results if g.route == Route.REPORT)
    report_true = sum(1 for _, w, _ in results if w == Route.REPORT)
    precision = _ratio(report_tp, report_pred)
    recall = _ratio(report_tp, report_true)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    non_acute = [g for _, w, g in results if w != Route.ACUTE]
    return Figures(
        total=total,
        accuracy=_ratio(correct, total),
        acute_recall=_ratio(acute_hit, len(acute)),
        acute_precision=_ratio(sum(1 for w, _ in said_acute if w == Route.ACUTE), len(said_acute)),
        report_f1=f1,
        acute_covered=_ratio(covered, len(acute)),
        net_covers_misses=f"{caught}/{len(acute_misses)}",
        net_rate_non_acute=_ratio(sum(1 for g in non_acute if g.safety_net), len(non_acute)),
    )


def test_devset_quality(results: list[tuple[str, Route, Classification]]) -> None:
    fig = _figures(results)
    summary = fig.summary()
    print("\nclassifier quality on dev set:", summary)
    for text, want, got in results:
        if got.route != want:
            print(f"  MISS want={want} got={got.route}/{got.intent} net={got.safety_net}: {text}")
    assert fig.acute_recall >= 0.99, summary
    assert fig.acute_precision >= 0.85, summary
    assert fig.report_f1 >= 0.85, summary
    assert fig.accuracy >= 0.90, summary
    assert fig.acute_covered == 1.0, summary
    assert fig.net_rate_non_acute <= 0.20, summary


def test_every_acute_message_is_routed_or_flagged(
    results: list[tuple[str, Route, Classification]],
) -> None:
    missed = [
        text
        for text, want, got in results
        if want == Route.ACUTE and got.route != Route.ACUTE and not got.safety_net
    ]
    assert not missed, f"{_figures(results).summary()}; unflagged acute: {missed}"


def test_acute_results_name_their_evidence(
    results: list[tuple[str, Route, Classification]],
) -> None:
    silent = [text for text, _, got in results if got.route == Route.ACUTE and not got.matched]
    assert not silent, f"{_figures(results).summary()}; acute without matched words: {silent}"
