"""User-facing texts, per language, from data files shipped with the package.

Texts are written in the programme's small markup: HTML-escaped text with <b>, <i>, <code>,
links, and mentions of an officer as <a href="user:ID">. Each channel renders it: Telegram
nearly as it is (its HTML parse mode), SMS as plain text. Values filled into a text are
escaped unless wrapped in `Html`, so nothing a user writes can change the markup.
"""

from __future__ import annotations

import functools
import html
import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

DEFAULT_LANGUAGE = "da"
LANGUAGES = ("da", "en")


class Html(str):
    """A value that is already safe HTML (a mention link, a formatted block)."""

    __slots__ = ()


def escape(value: object) -> str:
    return value if isinstance(value, Html) else html.escape(str(value), quote=False)


class Texts:
    def __init__(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        self._tables = tables
        self._check_placeholders()

    @classmethod
    def from_package(cls) -> Texts:
        return cls(package_tables())

    def language(self, wanted: str | None) -> str:
        """Map a platform language code ("en-GB", "da") to one we have."""
        code = (wanted or "").split("-")[0].lower()
        return code if code in self._tables else DEFAULT_LANGUAGE

    def raw(self, lang: str, key: str) -> str:
        section, _, name = key.partition(".")
        for table_lang in (lang, DEFAULT_LANGUAGE):
            value = self._tables.get(table_lang, {}).get(section, {}).get(name)
            if isinstance(value, str):
                return value.strip("\n")
        raise KeyError(f"no text {key!r}")

    def get(self, lang: str, key: str, **values: object) -> str:
        template = self.raw(lang, key)
        return template.format_map({k: escape(v) for k, v in values.items()})

    def _check_placeholders(self) -> None:
        """Every language must use the same placeholders, or a fill would fail at run time."""
        base = self._tables.get(DEFAULT_LANGUAGE, {})
        for lang, table in self._tables.items():
            for section, entries in table.items():
                for name, value in entries.items():
                    ref = base.get(section, {}).get(name)
                    if (
                        isinstance(value, str)
                        and isinstance(ref, str)
                        and _fields(value) != _fields(ref)
                    ):
                        raise ValueError(f"{lang}.toml [{section}] {name}: placeholders differ")


def package_tables() -> dict[str, dict[str, Any]]:
    """The shipped texts per language, as read from flows/locales/."""
    tables: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        data = resources.files("flows").joinpath("locales", f"{lang}.toml").read_text("utf-8")
        tables[lang] = tomllib.loads(data)
    return tables


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@functools.cache
def default_texts() -> Texts:
    """The shipped texts, read once (for messages built where no context is at hand)."""
    return Texts.from_package()


class TextError(ValueError):
    """An error whose explanation is a text in the locales, so each reader gets it in their
    own language; str() is the English one, for operators and logs."""

    section = "errors"

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.explain("en"))

    def explain(self, lang: str, texts: Texts | None = None) -> str:
        return (texts or default_texts()).get(lang, f"{self.section}.{self.key}", **self.values)
