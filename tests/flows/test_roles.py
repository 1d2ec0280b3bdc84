"""The roles table: who may do what, coordinators limited to areas, and its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, parse_config
from flows.model import Directory
from flows.roles import (
    PERMISSIONS,
    Action,
    Role,
    actor,
    changes,
    may,
    may_in,
    refusal,
    roles_of,
    table,
)
from flows.texts import LANGUAGES, Texts
from tests.conftest import COORDINATOR, LARS, METTE, config_text

LIMITED = 555555555  # a coordinator for Ikast only
NOBODY = 777777777

LIMITED_COORDINATOR = f"""
[[coordinators]]
telegram_user_id = {LIMITED}
areas = ["ikast"]
"""


def directory(extra: str = LIMITED_COORDINATOR) -> Directory:
    text = config_text("http://x/bot", "http://x/file/bot", Path("db.sqlite3")) + extra
    return parse_config(text, "test.toml").directory()


def test_roles_come_from_the_configuration_and_the_database() -> None:
    d = directory()
    assert roles_of(d, METTE) == {Role.OFFICER}
    assert roles_of(d, COORDINATOR) == {Role.COORDINATOR}
    assert roles_of(d, LIMITED) == {Role.COORDINATOR}
    assert roles_of(d, NOBODY) == frozenset()
    assert roles_of(d, NOBODY, ambassador=True) == {Role.AMBASSADOR}
    assert roles_of(d, None) == {Role.OPERATOR}


def test_every_action_has_a_rule_and_a_refusal_in_every_language() -> None:
    texts = Texts.from_package()
    assert set(PERMISSIONS) == set(Action)
    for action in Action:
        for lang in LANGUAGES:
            assert texts.get(lang, refusal(action)).strip()


@pytest.mark.parametrize(
    ("user", "action", "area", "ambassador", "allowed"),
    [
        (METTE, Action.INVITE, "ikast", False, True),  # officers cover for colleagues
        (NOBODY, Action.INVITE, None, True, False),
        (COORDINATOR, Action.PLAN_PUSH, None, False, True),
        (LIMITED, Action.PLAN_PUSH, "ikast", False, True),
        (LIMITED, Action.PLAN_PUSH, "herning", False, False),
        (LIMITED, Action.PLAN_PUSH, None, False, False),  # "every area" is more than Ikast
        (METTE, Action.PLAN_PUSH, "herning", False, False),
        (None, Action.PLAN_PUSH, None, False, True),
        (COORDINATOR, Action.REPLY, None, False, False),
        (LARS, Action.CORRECT_ROUTE, None, False, True),
        (LIMITED, Action.READ_AUDIT, None, False, False),
        (COORDINATOR, Action.READ_AUDIT, None, False, True),
        (COORDINATOR, Action.EXPORT_DATA, None, False, False),
        (None, Action.EXPORT_DATA, None, False, True),
        (LIMITED, Action.ERASE_DATA, "ikast", False, True),
        (LIMITED, Action.ERASE_DATA, "herning", False, False),
        (METTE, Action.ERASE_DATA, "herning", False, False),
        (NOBODY, Action.ERASE_OWN_DATA, None, True, True),
        (METTE, Action.EXPORT_OWN_DATA, None, False, False),
        (None, Action.ERASE_OWN_DATA, None, False, False),
    ],
)
def test_may(
    user: int | None, action: Action, area: str | None, ambassador: bool, allowed: bool
) -> None:
    assert may(directory(), user, action, area=area, ambassador=ambassador) is allowed


def test_several_areas_must_all_be_allowed() -> None:
    d = directory()
    assert may_in(d, LIMITED, Action.PLAN_PUSH, ["ikast"])
    assert not may_in(d, LIMITED, Action.PLAN_PUSH, ["ikast", "herning"])
    assert not may_in(d, LIMITED, Action.PLAN_PUSH, [])  # no areas: every area
    assert may_in(d, COORDINATOR, Action.PLAN_PUSH, [])


def test_the_actor_is_who_really_acted() -> None:
    d = directory()
    assert actor(d, METTE) == "officer:mj"
    assert actor(d, COORDINATOR) == f"coordinator:{COORDINATOR}"
    assert actor(d, NOBODY) == f"telegram:{NOBODY}"
    assert actor(d, None) == "operator"


def test_role_changes_are_described() -> None:
    before = table(directory(""))
    after = table(directory(LIMITED_COORDINATOR))
    assert changes(before, before) == []
    assert changes(before, after) == [f"coordinators: added {LIMITED} ['ikast']"]
    assert changes(after, before) == [f"coordinators: removed {LIMITED}"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            f"[[coordinators]]\ntelegram_user_id = {COORDINATOR}\n",
            "coordinators[0].telegram_user_id: 111111111 is listed twice",
        ),
        (
            '[[coordinators]]\ntelegram_user_id = 5\nareas = ["aarhus"]\n',
            "coordinators[0].areas: unknown area 'aarhus'",
        ),
    ],
)
def test_bad_coordinators_are_named(extra: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        directory(extra)
