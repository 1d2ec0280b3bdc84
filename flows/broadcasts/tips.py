"""The tip library: prevention advice per topic, read from a data file shipped with the
package, so that coordinators and editors change tips without touching code."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from flows.texts import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Tip:
    id: str
    topic: str
    title: Mapping[str, str]
    text: Mapping[str, str]

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title[DEFAULT_LANGUAGE]

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text[DEFAULT_LANGUAGE]


class TipLibrary:
    def __init__(self, topics: Mapping[str, Mapping[str, str]], tips: Iterable[Tip]) -> None:
        self.topics = dict(topics)
        self.tips = list(tips)
        self._by_id = {t.id: t for t in self.tips}
        if len(self._by_id) != len(self.tips):
            raise ValueError("tips.toml: tip ids must be unique")
        for tip in self.tips:
            if tip.topic not in self.topics:
                raise ValueError(f"tips.toml: tip {tip.id} has unknown topic {tip.topic!r}")
            if DEFAULT_LANGUAGE not in tip.title or DEFAULT_LANGUAGE not in tip.text:
                raise ValueError(f"tips.toml: tip {tip.id} needs a Danish title and text")

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TipLibrary:
        tips = [
            Tip(id=t["id"], topic=t["topic"], title=dict(t["title"]), text=dict(t["text"]))
            for t in data.get("tips", [])
        ]
        return cls(data.get("topics", {}), tips)

    @classmethod
    def from_package(cls) -> TipLibrary:
        raw = resources.files("flows").joinpath("locales", "tips.toml").read_text("utf-8")
        return cls.from_data(tomllib.loads(raw))

    def get(self, tip_id: str) -> Tip | None:
        return self._by_id.get(tip_id)

    def of_topic(self, topic: str) -> list[Tip]:
        return [t for t in self.tips if t.topic == topic]

    def topic_name(self, topic: str, language: str = DEFAULT_LANGUAGE) -> str:
        names = self.topics.get(topic, {})
        return names.get(language) or names.get(DEFAULT_LANGUAGE) or topic

    def next_for(self, topic: str, had: Mapping[str, str]) -> Tip | None:
        """The first tip of the topic not had yet; when all were had, the one had longest ago.

        `had` maps tip id to when it was received (ISO text, which sorts by time).
        """
        tips = self.of_topic(topic)
        if not tips:
            return None
        fresh = [t for t in tips if t.id not in had]
        if fresh:
            return fresh[0]
        return min(tips, key=lambda t: had[t.id])
