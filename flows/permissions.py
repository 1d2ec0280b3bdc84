"""Who may run which part of the programme from Telegram, in one place.

Coordinators may do everything; officers may look after their own ambassadors (the register
verbs on an ambassador assigned to them) and the cases in the group; everyone else nothing.
"""

from __future__ import annotations

from enum import StrEnum

from flows.model import Directory


class Action(StrEnum):
    REGISTER_VIEW = "register.view"  # list and show ambassadors, open invitations
    REGISTER_EDIT = "register.edit"  # move, pause, resume, end, rename; revoke invitations
    CASES = "cases"  # mark handled, list unanswered
    FIGURES = "figures"
    PULSE = "pulse"  # plan a tryghed pulse


_OFFICER_ACTIONS = frozenset({Action.REGISTER_VIEW, Action.REGISTER_EDIT, Action.CASES})


def may(
    directory: Directory, user_id: int, action: Action, *, officer_id: str | None = None
) -> bool:
    """Whether this Telegram user may do `action`; `officer_id` is the assigned officer of
    the ambassador it is about (None: about no one in particular)."""
    if user_id in directory.coordinators:
        return True
    officer = directory.officer_by_user.get(user_id)
    if officer is None or action not in _OFFICER_ACTIONS:
        return False
    if action == Action.REGISTER_EDIT:
        return officer_id is not None and officer_id == officer.id
    return officer_id is None or officer_id == officer.id or action == Action.CASES
