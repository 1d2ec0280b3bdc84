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
    """The route chosen for one message and the evidence behind it, so an officer sees why."""

    route: Route
    intent: str
    score: float
    matched: tuple[str, ...]
    cues: tuple[str, ...]
    safety_net: bool
    danger: tuple[str, ...]
    language: str

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
