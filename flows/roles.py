"""Who may do what: one table of restricted actions and the roles allowed each, checked by one
function, `may`. Every place that offers a restricted action (a Telegram command or button,
the officers' group, the sandbox, the command line) asks `may` before it changes anything,
and answers a refusal with the action's own text (`refusal(action)`), so a wrong role always
gets a clear answer and causes no change.

Roles come from the configuration (officers, coordinators) and from the database (an
ambassador is someone onboarded). The operator is whoever runs the command line: they hold
the configuration file and the database, so the command line acts as the operator.
Coordinators may be limited to some areas; officers are not (they cover for colleagues).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from flows.model import Directory


class Role(StrEnum):
    AMBASSADOR = "ambassador"
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    OPERATOR = "operator"


class Action(StrEnum):
    """Restricted actions. Adding one: a row in PERMISSIONS, a `refusals.<value>` text in
    every locale, and an attempt in tests/test_roles_end_to_end.py (which checks all)."""

    INVITE = "invite"  # make an invitation (/inviter, `tryghedsbot invite`)
    PLAN_PUSH = "plan_push"  # plan or drop a campaign push (/kampagne, its buttons, the CLI)
    REPLY = "reply"  # answer an ambassador from the officers' group
    CORRECT_ROUTE = "correct_route"  # /rute on a relayed message
    READ_AUDIT = "read_audit"  # read the audit log (/logbog, `tryghedsbot audit`)
    EXPORT_DATA = "export_data"  # everything held about someone else
    ERASE_DATA = "erase_data"  # delete someone else
    EXPORT_OWN_DATA = "export_own_data"  # /mine_data
    ERASE_OWN_DATA = "erase_own_data"  # /slet
    VIEW_REGISTER = "view_register"  # /ambassadoerer, /invitationer, `ambassadors list|show`
    EDIT_REGISTER = "edit_register"  # /flyt, /pause, /genoptag, /afslut, /omdoeb, /tilbagekald
    HANDLE_CASES = "handle_cases"  # ✅ Klaret, /klaret, /ubesvarede
    READ_FIGURES = "read_figures"  # /tal, `tryghedsbot figures`


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    by_area: bool = False  # coordinators limited to areas may do it there only


def _rule(*roles: Role, by_area: bool = False) -> Rule:
    return Rule(frozenset(roles), by_area)


AMBASSADOR, OFFICER, COORDINATOR, OPERATOR = Role

PERMISSIONS: Final[Mapping[Action, Rule]] = MappingProxyType(
    {
        Action.INVITE: _rule(OFFICER, COORDINATOR, OPERATOR, by_area=True),
        Action.PLAN_PUSH: _rule(COORDINATOR, OPERATOR, by_area=True),
        Action.REPLY: _rule(OFFICER),
        Action.CORRECT_ROUTE: _rule(OFFICER),
        Action.READ_AUDIT: _rule(COORDINATOR, OPERATOR, by_area=True),
        Action.EXPORT_DATA: _rule(OPERATOR),
        Action.ERASE_DATA: _rule(COORDINATOR, OPERATOR, by_area=True),
        Action.EXPORT_OWN_DATA: _rule(AMBASSADOR),
        Action.ERASE_OWN_DATA: _rule(AMBASSADOR),
        # Officers see and change the register too, but only for their own ambassadors
        # (flows/register.py adds that condition); coordinators in their areas.
        Action.VIEW_REGISTER: _rule(OFFICER, COORDINATOR, OPERATOR, by_area=True),
        Action.EDIT_REGISTER: _rule(OFFICER, COORDINATOR, OPERATOR, by_area=True),
        Action.HANDLE_CASES: _rule(OFFICER, COORDINATOR),
        Action.READ_FIGURES: _rule(COORDINATOR, OPERATOR, by_area=True),
    }
)


def refusal(action: Action) -> str:
    """The text key (flows/locales) of the answer given to someone who may not."""
    return f"refusals.{action.value}"


def roles_of(
    directory: Directory, user_id: int | None, *, ambassador: bool = False
) -> frozenset[Role]:
    """The roles of a Telegram user (None: the operator at the command line). Whether someone
    is an ambassador is the database's to say: pass `ambassador=True` when they are."""
    if user_id is None:
        return frozenset({Role.OPERATOR})
    found = {Role.AMBASSADOR} if ambassador else set()
    if user_id in directory.officer_by_user:
        found.add(Role.OFFICER)
    if user_id in directory.coordinators:
        found.add(Role.COORDINATOR)
    return frozenset(found)


def areas_of(directory: Directory, user_id: int | None) -> frozenset[str] | None:
    """The areas a coordinator is limited to; None when they are not limited."""
    if user_id is None:
        return None
    return directory.coordinator_areas.get(user_id)


def may(
    directory: Directory,
    user_id: int | None,
    action: Action,
    *,
    area: str | None = None,
    ambassador: bool = False,
) -> bool:
    """May this user do this (in this area; None means every area)? The one check."""
    rule = PERMISSIONS[action]
    held = roles_of(directory, user_id, ambassador=ambassador) & rule.roles
    if not held:
        return False
    if not rule.by_area or held - {Role.COORDINATOR}:
        return True
    limited = areas_of(directory, user_id)
    return limited is None or (area is not None and area in limited)


def may_somewhere(
    directory: Directory, user_id: int | None, action: Action, *, ambassador: bool = False
) -> bool:
    """Does the user hold a role allowed this action (in at least one area)? For answers
    that depend on the role alone, such as "use this in a private chat"."""
    rule = PERMISSIONS[action]
    return bool(roles_of(directory, user_id, ambassador=ambassador) & rule.roles)


def may_in(directory: Directory, user_id: int | None, action: Action, areas: Iterable[str]) -> bool:
    """`may` for several areas at once; no areas means every area."""
    wanted = list(areas)
    if not wanted:
        return may(directory, user_id, action)
    return all(may(directory, user_id, action, area=a) for a in wanted)


def actor(directory: Directory, user_id: int | None) -> str:
    """Who acted, for the audit log: the officer's id, else the coordinator's or the Telegram
    user's id as they are; the operator at the command line is named by the command."""
    if user_id is None:
        return "operator"
    officer = directory.officer_by_user.get(user_id)
    if officer is not None:
        return f"officer:{officer.id}"
    if user_id in directory.coordinators:
        return f"coordinator:{user_id}"
    return f"telegram:{user_id}"


def table(directory: Directory) -> dict[str, object]:
    """The configured roles as plain data: compared at start-up to audit role changes."""
    return {
        "officers": {
            o.id: {"telegram_user_id": o.telegram_user_id, "areas": sorted(o.areas)}
            for o in directory.officers
        },
        "coordinators": {
            str(uid): sorted(areas) if (areas := areas_of(directory, uid)) is not None else "all"
            for uid in sorted(directory.coordinators)
        },
        "areas": sorted(a.id for a in directory.areas),
    }


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """What changed between two role tables, one line per change (empty: nothing)."""
    lines: list[str] = []
    for section in sorted(set(before) | set(after)):
        old, new = before.get(section), after.get(section)
        if old is None and isinstance(new, dict):
            old = {}  # a section new to the record: each of its entries is added
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                if key not in old:
                    lines.append(f"{section}: added {key} {new[key]}")
                elif key not in new:
                    lines.append(f"{section}: removed {key}")
                elif old[key] != new[key]:
                    lines.append(f"{section}: {key} {old[key]} -> {new[key]}")
        else:
            lines.append(f"{section}: {old} -> {new}")
    return lines
