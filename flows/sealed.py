"""Secrets that one outgoing message must carry (an invitation's code and link in the answer
to the officer who asked for it) never reach the database: the outbox row holds a
placeholder, the secret stays in this process's memory, and the outbox fills it in just
before the message is handed to the platform. After a restart the secret is gone and the
message says so instead; the invitation can be made again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

_PLACEHOLDER = re.compile(r"⟦sealed:([0-9a-f]{16})⟧")


@dataclass
class Sealed:
    keep_for: timedelta = timedelta(days=7)
    _held: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def seal(self, secret: str, now: datetime) -> str:
        """The placeholder to put in the message instead of `secret`."""
        self._held = {k: v for k, v in self._held.items() if v[1] > now}
        token = secrets.token_hex(8)
        self._held[token] = (secret, now + self.keep_for)
        return f"⟦sealed:{token}⟧"

    def unseal(self, text: str, lost: str) -> str:
        """`text` with its placeholders filled in; `lost` for secrets this process lacks."""
        return _PLACEHOLDER.sub(lambda m: self._held.get(m.group(1), (lost,))[0], text)

    @staticmethod
    def holds_placeholders(text: str) -> bool:
        return _PLACEHOLDER.search(text) is not None
