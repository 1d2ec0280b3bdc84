"""Only this machine, and only the sandbox's own page, may drive the sandbox.

The sandbox listens on loopback, but any web page the user visits can still reach it through
the browser: by sending a request to ``http://127.0.0.1:8080/sandbox/api/...`` (cross-site
request forgery), or by pointing its own host name at 127.0.0.1 (DNS rebinding), after which
the browser treats the sandbox as part of that site. The middleware here refuses both, for
every path under its prefix:

- a ``Host`` that is not a loopback name or address (``127.0.0.1``, ``localhost``,
  ``[::1]``, any port) gets 403: a rebound name arrives as its own name;
- a state-changing request (POST, PUT, PATCH, DELETE) needs an ``Origin``, or failing that a
  ``Referer``, whose scheme, host and port are the request's own ``http://<Host>``; else 403;
- a state-changing request must be ``application/json``, which a plain HTML form on another
  site cannot send (and a script there cannot send without the browser asking first); else
  415.

Refusals answer with a short Danish ``{"error": ...}``, the shape the page shows.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}

_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str  # for the log
    message: str  # for the page, in Danish


FOREIGN_HOST = Refusal(
    403,
    "Host is not a loopback name",
    "Sandkassen svarer kun på denne maskines egne adresser (127.0.0.1, localhost eller [::1]).",
)
FOREIGN_ORIGIN = Refusal(
    403,
    "Origin/Referer is not the sandbox's own",
    "Forespørgslen kom ikke fra sandkassens egen side og er afvist.",
)
NOT_JSON = Refusal(
    415,
    "Content-Type is not application/json",
    "Forespørgslen skal sendes som JSON (Content-Type: application/json).",
)


def is_loopback_host(host: str) -> bool:
    """Whether a Host header names this machine's loopback interface (any port)."""
    match = _HOST.fullmatch(host.strip().lower())
    if match is None or match["name"] not in LOOPBACK_NAMES:
        return False
    return match["port"] is None or int(match["port"]) <= 65535


def _origin(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port of a URL (or an Origin), with the scheme's default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname, port if port is not None else DEFAULT_PORTS[scheme]


def refusal(method: str, headers: Mapping[str, str]) -> Refusal | None:
    """Why a request to the sandbox must be refused, or None when it may go through."""
    host = headers.get("Host", "")
    if not is_loopback_host(host):
        return FOREIGN_HOST
    if method.upper() not in STATE_CHANGING:
        return None
    own = _origin(f"http://{host}")
    origin = headers.get("Origin")
    claimed = origin if origin is not None else headers.get("Referer")
    if own is None or claimed is None or _origin(claimed) != own:
        return FOREIGN_ORIGIN
    media_type = headers.get("Content-Type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        return NOT_JSON
    return None


def sandbox_guard(prefix: str = "/sandbox") -> Middleware:
    """The middleware, for requests to `prefix` and below; other paths pass untouched."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path == prefix or path.startswith(prefix + "/"):
            refused = refusal(request.method, request.headers)
            if refused is not None:
                log.warning("sandbox: %s %s refused: %s", request.method, path, refused.reason)
                return web.json_response(
                    {"error": refused.message},
                    status=refused.status,
                    dumps=lambda value: json.dumps(value, ensure_ascii=False),
                )
        return await handler(request)

    return guard


__all__ = ["Refusal", "is_loopback_host", "refusal", "sandbox_guard"]
