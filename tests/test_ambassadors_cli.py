"""`tryghedsbot ambassadors`: one command group whose verbs are added from their own modules."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import ambassadors, main


def test_the_group_needs_a_verb(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["ambassadors"])
    assert stop.value.code == 2
    assert "VERB" in capsys.readouterr().err


def test_a_verb_is_defined_once() -> None:
    async def handler(run: object, args: argparse.Namespace) -> int:
        return 0

    ambassadors.add_verb("probe-verb", "a verb for this test", lambda p: None, handler)
    try:
        with pytest.raises(ValueError, match="defined twice"):
            ambassadors.add_verb("probe-verb", "again", lambda p: None, handler)
    finally:
        del ambassadors.VERBS["probe-verb"]
