"""Content as data: the agreement, other texts and the tip library can be replaced from a
folder named in the configuration (`[content] path`), without a new release.

The folder may hold `da.toml` and `en.toml` (any section and key of flows/locales/*.toml;
what they name replaces the shipped text, the rest stays) and `tips.toml` (a whole tip
library in the shipped file's format). A new `[agreement] version` makes every active
ambassador accept the agreement again before their next message is relayed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.broadcasts.tips import TipLibrary
from flows.texts import LANGUAGES, Texts, package_tables


class ContentError(ValueError):
    """The content folder cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Content:
    texts: Texts
    tips: TipLibrary


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: not valid TOML: {exc}") from exc


def load_content(folder: str | None) -> Content:
    """The shipped texts and tips, with whatever the folder overrides."""
    tables = package_tables()
    tips = TipLibrary.from_package()
    if not folder:
        return Content(Texts(tables), tips)
    base = Path(folder)
    if not base.is_dir():
        raise ContentError(f"{base}: no such folder")
    for lang in LANGUAGES:
        path = base / f"{lang}.toml"
        if not path.exists():
            continue
        for section, entries in _read(path).items():
            if not isinstance(entries, dict):
                raise ContentError(f"{path}: [{section}] must be a table of texts")
            tables[lang].setdefault(section, {}).update(entries)
    try:
        texts = Texts(tables)
    except ValueError as exc:
        raise ContentError(f"{base}: {exc}") from exc
    path = base / "tips.toml"
    if path.exists():
        try:
            tips = TipLibrary.from_data(_read(path))
        except (ValueError, KeyError, TypeError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
    return Content(texts, tips)
