"""The installed package answers exactly as the source tree does.

Installing compiles the classifier's hot modules to C where a C compiler is present (setup.py);
the tests import the source tree. This runs the installed `tryghedsbot classify` from outside
the tree over every probe message and compares its answers with the tree's, so a difference
between compiled and plain Python cannot go unseen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intents import Classifier
from intents.classifier import package_digest
from tests.intents.figures import BATCHES, load_batch

# Run with -P from elsewhere, so that the installed package is imported, not the tree.
_WHERE = (
    "import json, intents.classifier as c;"
    " print(json.dumps({'digest': c.package_digest(), 'module': c.__file__}))"
)


def test_the_installed_classifier_answers_as_the_source_tree_does(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    where = subprocess.run(
        [sys.executable, "-P", "-c", _WHERE], capture_output=True, text=True, cwd=tmp_path,
        env=env, timeout=120,
    )  # fmt: skip
    if where.returncode != 0:
        pytest.skip("the package is not installed in this environment")
    installed = json.loads(where.stdout)
    if installed["digest"] != package_digest():
        pytest.skip("the installed package is not this tree's (install it again to compare)")

    texts = [text.replace("\n", " ") for name in BATCHES for _, _, text in load_batch(name)]
    assert len(texts) > 20_000
    done = subprocess.run(
        [sys.executable, "-P", "-m", "bot", "classify"], input="\n".join(texts) + "\n",
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=900, check=True,
    )  # fmt: skip
    theirs = [json.loads(line) for line in done.stdout.splitlines()]
    clf = Classifier.from_package_data()
    ours = [clf.classify(text).to_json_dict() for text in texts]
    assert len(theirs) == len(ours)
    differ = [(t, a, b) for t, a, b in zip(texts, ours, theirs, strict=True) if a != b]
    assert not differ, f"{len(differ)} answers differ ({installed['module']}): {differ[:3]}"

    # The keyword data the first run compiled is loaded by the next, not compiled again (a
    # cache the installed code cannot read would cost every run a quarter of a second).
    cached = list((tmp_path / "cache" / "tryghedsbot").glob("lexicon-*.pickle"))
    assert len(cached) == 1
    written = cached[0].stat().st_mtime_ns
    again = subprocess.run(
        [sys.executable, "-P", "-m", "bot", "classify"], input="det brænder i opgangen\n",
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=True,
    )  # fmt: skip
    assert json.loads(again.stdout)["route"] == "acute"
    assert cached[0].stat().st_mtime_ns == written
