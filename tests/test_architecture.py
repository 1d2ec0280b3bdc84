"""Dependencies point inward: the classifier and the programme's rules know no framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = {"telegram", "twilio", "aiosqlite", "aiohttp", "starlette", "apscheduler", "sqlite3"}
FORBIDDEN = {
    "intents": FRAMEWORKS | {"bot", "flows", "storage"},
    "flows": FRAMEWORKS | {"bot", "storage"},
    "storage": {"telegram", "twilio", "aiohttp", "apscheduler", "bot"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_inward(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"{package}/ must not import these: {offenders}"


def test_the_check_sees_imports() -> None:
    """Guard against a check that could never fail."""
    assert {"telegram", "flows"} <= imported_roots(
        ROOT / "bot" / "channels" / "telegram" / "senders.py"
    )
