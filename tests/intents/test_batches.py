"""Probe batches written for issue 10's style families, kept as regression tests.

Each batch was written and labelled before the classifier saw it, then measured (the figures
before any fix are in each batch's header), and only then were general rules and vocabulary
added. The floor asserted here is the product's target, not the fitted figure: run
``python -m tests.intents.figures`` to see the figures and every miss.
"""

from __future__ import annotations

import pytest

from intents import Classifier, Route

from .figures import BATCHES, Probe, figures, load_batch, report, run


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.from_package_data()


@pytest.mark.parametrize("name", BATCHES)
def test_batch_meets_the_floor(clf: Classifier, name: str) -> None:
    results = run(clf, load_batch(name))
    fig = figures((probe[1], got) for probe, got in results)
    failures = fig.floor_failures()
    assert not failures, f"{failures}\n{report(name, results)}"


@pytest.mark.parametrize("name", BATCHES)
def test_batch_is_well_formed(name: str) -> None:
    probes: list[Probe] = load_batch(name)
    texts = [text for _, _, text in probes]
    assert 80 <= len(probes) <= 220
    assert len(set(texts)) == len(texts), "duplicate probe"
    routes = {route for _, route, _ in probes}
    assert routes == {Route.ACUTE, Route.REPORT, Route.OFFICER}


def test_batches_do_not_repeat_each_other() -> None:
    seen: dict[str, str] = {}
    for name in BATCHES:
        for _, _, text in load_batch(name):
            assert text not in seen, f"{text!r} is in {seen[text]} and {name}"
            seen[text] = name
