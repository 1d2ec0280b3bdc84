"""The classifier gives the same answer in every process.

Fuzzy typo matching picks one keyword when several are equally close ("drukenr" is as close to
"drukner" as to "drunken"). The candidates used to come from sets, whose order follows Python's
per-process string hashing, so the winner could change between runs. Two subprocesses with
different PYTHONHASHSEED values must now agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Typos that are equally close to two keywords, and messages that contain them.
TIED_TYPOS = [
    "drukenr",
    "drunkne",
    "skriegr",
    "befamlre",
    "sparkre",
    "shotign",
    "spraket",
    "han drukenr i søen",
    "de sparkre ham",
]

_SCRIPT = """
import json, sys
from intents import classify
print(json.dumps([classify(t).to_json_dict() for t in json.loads(sys.argv[1])]))
"""


def _run(seed: str) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(TIED_TYPOS)],
        capture_output=True,
        check=True,
        cwd=Path(__file__).parents[2],
        env=env,
        text=True,
        timeout=60,
    )
    result: list[dict[str, object]] = json.loads(out.stdout)
    return result


def test_fuzzy_ties_do_not_depend_on_hash_seed() -> None:
    first = _run("1")
    for seed in ("2", "12345"):
        assert _run(seed) == first, f"PYTHONHASHSEED={seed} changed a result"


def test_tied_typo_prefers_the_alarming_keyword() -> None:
    # "drukenr" ties "drukner" (drowning) and "drunken": the acute/danger word wins, then A-Z.
    result = _run("3")
    assert result[0]["matched"] == ["drukner"]
