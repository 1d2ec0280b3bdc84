"""What the sandbox page shows: the pretend phones' chats, the officers' group and the
invitations made. Kept in the sandbox's database, so a restart keeps the page as it was."""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Msg:
    id: str
    sender_kind: str  # bot | me | officer | system
    text: str
    at: str
    html: str | None = None
    kind: str = "normal"
    sender: str | None = None
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    media: dict[str, str] | None = None
    reactions: list[str] = field(default_factory=list)
    status: str | None = None
    reply_to: str | None = None
    flags: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("sender_kind")
        return data


@dataclass
class Phone:
    id: str
    channel: str  # telegram | sms
    label: str
    address: str  # the pretend Telegram chat id, or an E.164 number for SMS phones
    messages: list[Msg] = field(default_factory=list)


@dataclass
class Transcript:
    """What the page shows; saved in the sandbox database so a restart keeps it."""

    phones: dict[str, Phone] = field(default_factory=dict)
    threads: dict[int, list[Msg]] = field(default_factory=dict)
    general: list[Msg] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1
    version: int = 0

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def dump(self) -> str:
        return json.dumps(
            {
                "phones": {
                    k: {**asdict(p), "messages": [asdict(m) for m in p.messages]}
                    for k, p in self.phones.items()
                },
                "threads": {str(k): [asdict(m) for m in v] for k, v in self.threads.items()},
                "general": [asdict(m) for m in self.general],
                "invitations": self.invitations,
                "next_id": self.next_id,
                "version": self.version,
            },
            ensure_ascii=False,
        )

    @classmethod
    def load(cls, raw: str) -> Transcript:
        data = json.loads(raw)
        phones = {
            k: Phone(**{**p, "messages": [Msg(**m) for m in p["messages"]]})
            for k, p in data["phones"].items()
        }
        return cls(
            phones=phones,
            threads={int(k): [Msg(**m) for m in v] for k, v in data["threads"].items()},
            general=[Msg(**m) for m in data["general"]],
            invitations=data["invitations"],
            next_id=data["next_id"],
            version=data["version"],
        )

    def find_group_message(self, gid: int) -> Msg | None:
        key = f"g{gid}"
        for msg in itertools.chain(self.general, *self.threads.values()):
            if msg.id == key:
                return msg
        return None

    def phone_by_address(self, address: str) -> Phone | None:
        return next((p for p in self.phones.values() if p.address == address), None)

    def find_phone_message(self, mid: int) -> Msg | None:
        key = f"m{mid}"
        for phone in self.phones.values():
            for msg in phone.messages:
                if msg.id == key:
                    return msg
        return None
