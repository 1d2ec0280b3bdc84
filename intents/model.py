"""Result types shared by the classifier and its callers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Classification", "Route"]


class Route(StrEnum):
    """Where a message goes: 112 reply, 114/politi.dk reply, or the contact officer."""

    ACUTE = "acute"
    REPORT = "report"
    OFFICER = "officer"


@dataclass(frozen=True, slots=True)
class Classification:
    """The route chosen for one message and the evidence behind it, so an officer sees why.

    Compiled with the classifier (see setup.py), and so __init__, __eq__ and __hash__ are
    written out: the ones the decorator would write stay interpreted Python, and every message
    makes one answer (and `tryghedsbot classify` hashes it to reuse its JSON line).
    """

    route: Route
    intent: str
    score: float
    matched: tuple[str, ...]
    cues: tuple[str, ...]
    safety_net: bool
    danger: tuple[str, ...]
    language: str

    def __init__(
        self,
        route: Route,
        intent: str,
        score: float,
        matched: tuple[str, ...],
        cues: tuple[str, ...],
        safety_net: bool,
        danger: tuple[str, ...],
        language: str,
    ) -> None:
        # Frozen: set as the decorator's __init__ would, past the __setattr__ that refuses.
        object.__setattr__(self, "route", route)
        object.__setattr__(self, "intent", intent)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "matched", matched)
        object.__setattr__(self, "cues", cues)
        object.__setattr__(self, "safety_net", safety_net)
        object.__setattr__(self, "danger", danger)
        object.__setattr__(self, "language", language)

    def _fields(
        self,
    ) -> tuple[str, float, tuple[str, ...], tuple[str, ...], bool, tuple[str, ...], str]:
        """Every field but the route (an enum, which hashes in Python), in order."""
        return (
            self.intent,
            self.score,
            self.matched,
            self.cues,
            self.safety_net,
            self.danger,
            self.language,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Classification) or type(other) is not type(self):
            return NotImplemented
        return self.route == other.route and self._fields() == other._fields()

    def __hash__(self) -> int:
        # The route is left out (equal answers still hash equal).
        return hash(self._fields())

    def __reduce__(self) -> tuple[type[Classification], tuple[object, ...]]:
        # Compiled, the class cannot be made without its fields (pickle's default way).
        return (Classification, (self.route, *self._fields()))

    def to_json_dict(self) -> dict[str, object]:
        """Plain dict for `json.dumps` (the `tryghedsbot classify` line format)."""
        return {
            "route": self.route.value,
            "intent": self.intent,
            "score": self.score,
            "matched": list(self.matched),
            "cues": list(self.cues),
            "safety_net": self.safety_net,
            "danger": list(self.danger),
            "language": self.language,
        }
