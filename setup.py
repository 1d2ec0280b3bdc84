"""Build: the classifier's hot modules are compiled to C with mypyc when it can be done.

The rest of the metadata is in pyproject.toml. Compiling makes routing about 2.9 times as fast
(bench/classify.py); the answers are the same either way (tests/test_installed.py compares
them). Where it cannot be done (no C compiler, an editable install whose sources must stay
live, or TRYGHEDSBOT_PURE_PYTHON=1), the package installs as plain Python and works the same.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from setuptools import setup

COMPILED = [
    "intents/normalise.py",
    "intents/lexicon.py",
    "intents/classifier.py",
    "intents/model.py",
]


#: The setup commands that build the package. setup.py also runs for its metadata (egg_info,
#: dist_info) and for an editable install (editable_wheel, develop): compiling there would only
#: run mypy again, or shadow the live sources.
_BUILDS = frozenset({"bdist_wheel", "build", "build_ext", "install"})


def _compiled_modules() -> list[Any]:
    if os.environ.get("TRYGHEDSBOT_PURE_PYTHON") == "1" or _BUILDS.isdisjoint(sys.argv[1:]):
        return []
    try:
        from mypyc.build import mypycify

        # Only type information is needed here, not the project's mypy configuration (its
        # plugins and the other packages' imports are not installed while building).
        modules = mypycify(
            ["--config-file=", "--ignore-missing-imports", *COMPILED], group_name="intents"
        )
    except Exception as exc:  # any failure: install as plain Python
        print(f"tryghedsbot: not compiling the classifier ({exc})", file=sys.stderr)
        return []
    for module in modules:
        module.optional = True  # no C compiler: build_ext skips it and the .py is used
    return modules


setup(ext_modules=_compiled_modules())
