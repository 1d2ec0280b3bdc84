"""Inbox payloads: arrivals are stored as JSON before they are handled."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from flows.model import Attachment, Channel, Inbound, MediaKind, OfficerMessage


def _media(items: list[dict[str, Any]]) -> tuple[Attachment, ...]:
    return tuple(Attachment(**{**m, "kind": MediaKind(m["kind"])}) for m in items)


def dump_inbound(item: Inbound) -> str:
    data = asdict(item)
    data["received_at"] = item.received_at.isoformat()
    return json.dumps(data, ensure_ascii=False)


def load_inbound(payload: str) -> Inbound:
    data = json.loads(payload)
    data["channel"] = Channel(data["channel"])
    data["received_at"] = datetime.fromisoformat(data["received_at"])
    data["media"] = _media(data["media"])
    return Inbound(**data)


def dump_officer(item: OfficerMessage) -> str:
    data = asdict(item)
    data["received_at"] = item.received_at.isoformat()
    return json.dumps(data, ensure_ascii=False)


def load_officer(payload: str) -> OfficerMessage:
    data = json.loads(payload)
    data["received_at"] = datetime.fromisoformat(data["received_at"])
    data["media"] = _media(data["media"])
    return OfficerMessage(**data)
