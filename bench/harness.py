"""Shared pieces of the subprocess benchmarks (`faults.py`, `ingest.py`, `fanout.py`).

The bot under test runs as a separate process (`python -m bot.cli run --config FILE`, started
from the repository root with this interpreter, so the working tree's code runs) against the
fake Bot API in this process. Everything here uses only the bot's public surface:

- the command line (`run`, `broadcast create`, `classify`),
- the configuration file keys of DESIGN.md and config.example.toml,
- the environment variable `TELEGRAM_BOT_TOKEN`,
- `/healthz` on `[web] port` (only its HTTP status is relied on),
- what the fake Bot API records (every call, with its arrival and finishing times).

Where nothing else can tell (how many arrivals are handled, whether the outbox is empty), the
SQLite file is read read-only, and only the `inbox` and `outbox` tables' `status` columns (and
their `created_at` / `handled_at` times); each place says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
import signal
import socket
import sqlite3
import statistics
import sys
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import MESSAGE_METHODS, FakeBotApi  # noqa: E402

GROUP = -1001234567890
COORDINATOR = 111111111
OFFICER_USER = 222222222
OFFICER_ID = "mj"
OFFICER_NAME = "Mette Jensen"
AREA = "herning"

#: Part of the 112 answer an ambassador gets for an acute message (case matters: other texts
#: say "ring 1-1-2" in lower case).
ACUTE_ANSWER_MARK = "Ring 1-1-2 nu"
#: Part of an alert's header in the officers' group.
ALERT_MARK = "AKUT"

# Messages an ambassador might write. The routes are what they are meant to be; the harness
# asks the bot's own classifier (`tryghedsbot classify`) and counts by its answer.
ACUTE_TEXTS = (
    "Der er en mand der slår en kvinde lige nu foran Netto, kom hurtigt",
    "Det brænder i opgangen, der kommer røg ud under døren",
    "En ældre mand er faldet om på fortovet og trækker ikke vejret",
    "someone is breaking into the house next door right now",
    "Der er en bil kørt i grøften, føreren bløder fra hovedet",
    "Der er nogen der prøver at bryde ind hos naboen lige nu",
)
REPORT_TEXTS = (
    "Min cykel blev stjålet i nat fra carporten",
    "Der var indbrud i vores kolonihavehus i weekenden",
    "Nogen har ridset min bil på parkeringspladsen i går",
)
OFFICER_TEXTS = (
    "Hvornår er næste borgermøde om tryghed i området?",
    "Der holder en hvid varevogn ved skolen hver aften, bare så I ved det",
    "Tak for besøget i klubben i går, det var godt",
    "Kan I komme og fortælle om nabohjælp til vores grundejerforening?",
    "Hvordan bliver man frivillig natteravn i byen?",
    "Der er kommet ny belysning på stien ved søen, det hjælper meget",
    "Må jeg dele jeres kampagne om cykellygter i vores nyhedsbrev?",
)
REPLY_TEXTS = (
    "Tak for beskeden, jeg kigger på det i morgen",
    "Godt set. Vi kører forbi i løbet af ugen",
    "Det tager jeg med til næste møde",
    "Tak, det er rart at høre",
)

TAG = re.compile(r"\[([mrp])(\d+)\]")


def tagged(text: str, kind: str, n: int) -> str:
    """A text with a unique tag that survives relaying (`[m12]`, `[r3]`, `[p1]`)."""
    return f"{text} [{kind}{n}]"


def tags_in(text: str) -> list[str]:
    return [f"{m.group(1)}{m.group(2)}" for m in TAG.finditer(text)]


# --------------------------------------------------------------------------------------------
# configuration and processes
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def config_text(fake: FakeBotApi, db: Path, port: int, *, telegram_extra: str = "") -> str:
    """A configuration for the bot under test: long polling against the fake, one forum
    group in topics mode, office hours around the clock (no off-hours notes), no quiet
    hours for pushes."""
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    days = "\n".join(f'{day} = "00:00-24:00"' for day in week)
    return f"""
[bot]
language = "da"
[telegram]
base_url = "{fake.base_url}"
base_file_url = "{fake.base_file_url}"
officers_chat_id = {GROUP}
officer_threads = "topics"
coordinators = [{COORDINATOR}]
poll_timeout = 1
{telegram_extra}
[web]
host = "127.0.0.1"
port = {port}
[storage]
path = "{db}"
[office_hours]
{days}
public_holidays = false
[broadcasts]
quiet_hours = ""
[[areas]]
id = "{AREA}"
name = "Herning"
[[officers]]
id = "{OFFICER_ID}"
name = "{OFFICER_NAME}"
telegram_user_id = {OFFICER_USER}
areas = ["{AREA}"]
"""


def setup_world(fake: FakeBotApi) -> None:
    """The officers' forum group and the coordinator's private chat with the bot."""
    fake.add_group(GROUP, "Betjente", is_forum=True)
    fake.add_private_user(COORDINATOR, "Karen", "Koordinator")


def bot_env(token: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TWILIO_")) and k != "PYTHONPATH"
    }
    env["TELEGRAM_BOT_TOKEN"] = token
    env["PYTHONUNBUFFERED"] = "1"
    return env


def cli(*args: str) -> list[str]:
    """The bot's command line, run from the working tree with this interpreter."""
    return [sys.executable, "-m", "bot.cli", *args]


async def run_cli(args: Sequence[str], token: str, timeout: float = 120.0) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *cli(*args),
        cwd=ROOT,
        env=bot_env(token),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with asyncio.timeout(timeout):
            out, _ = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return -1, f"timed out after {timeout:.0f} s"
    return int(proc.returncode or 0), out.decode(errors="replace")


def classify(texts: Sequence[str]) -> list[dict[str, Any]]:
    """The bot's own routes for `texts` (`tryghedsbot classify`: one JSON object a line)."""
    import subprocess

    result = subprocess.run(
        cli("classify"),
        cwd=ROOT,
        input="\n".join(t.replace("\n", " ") for t in texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(lines) != len(texts):
        raise RuntimeError(f"classify answered {len(lines)} lines for {len(texts)} texts")
    return lines


class BotProcess:
    """One `tryghedsbot run` subprocess; restartable with the same configuration."""

    def __init__(self, config: Path, token: str, port: int, log: Path) -> None:
        self.config = config
        self.token = token
        self.port = port
        self.log_path = log
        self.proc: asyncio.subprocess.Process | None = None
        self.started_at = 0.0  # event loop time of the last spawn
        self.starts = 0
        self._log: TextIO | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def spawn(self) -> None:
        if self.running:
            raise RuntimeError("the bot is already running")
        if self._log is None:
            self._log = self.log_path.open("a", encoding="utf-8")
        self.starts += 1
        self._log.write(f"\n===== start {self.starts} at {time.strftime('%H:%M:%S')} =====\n")
        self._log.flush()
        self.started_at = asyncio.get_running_loop().time()
        self.proc = await asyncio.create_subprocess_exec(
            *cli("run", "--config", str(self.config)),
            cwd=ROOT,
            env=bot_env(self.token),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
        )

    async def start(self, timeout: float = 60.0) -> None:
        """Spawn and wait until `/healthz` answers 200."""
        await self.spawn()
        await self.wait_healthy(timeout)

    async def wait_healthy(self, timeout: float = 60.0) -> None:
        # A subprocess offers no event to wait for: ask /healthz until it answers.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if not self.running:
                raise RuntimeError(f"the bot exited during start-up:\n{self.log_tail()}")
            status, _ = await self.health(timeout=1.0)
            if status == 200:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"/healthz did not answer 200 within {timeout:.0f} s")

    async def health(self, timeout: float = 2.0) -> tuple[int | None, str]:
        """(HTTP status, body) of /healthz, or (None, why) when there is no answer."""
        url = f"http://127.0.0.1:{self.port}/healthz"
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
                session.get(url) as resp,
            ):
                return resp.status, (await resp.text())[:300]
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return None, type(exc).__name__

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)

    async def wait_exit(self, timeout: float | None = None) -> int | None:
        if self.proc is None:
            return None
        try:
            async with asyncio.timeout(timeout):
                return await self.proc.wait()
        except TimeoutError:
            return None

    async def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM (the bot's clean stop), then SIGKILL if it does not go in time."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        code = await self.wait_exit(timeout)
        if code is None:
            self.kill()
            code = await self.wait_exit(10)
        return code

    async def close(self) -> None:
        await self.stop()
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_since_start(self) -> str:
        """What the bot wrote since it was last started."""
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text.rsplit("===== start ", 1)[-1].split("\n", 1)[-1]

    def log_tail(self, lines: int = 15) -> str:
        if self._log is not None:
            self._log.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def rss_mib(self) -> float:
        return rss_mib(self.pid)


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a live process (/proc/<pid>/stat)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mib(pid: int | None) -> float:
    """Resident memory of a live process (/proc/<pid>/status VmRSS)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --------------------------------------------------------------------------------------------
# what the bot sent, from the fake's records
# --------------------------------------------------------------------------------------------


@dataclass
class Out:
    """A message the bot created (a successful message-creating call, including a call
    whose answer was lost or late: the message exists either way)."""

    t: float  # when the fake finished the call (event loop time): when the chat shows it
    chat: int
    thread: int | None
    text: str
    message: dict[str, Any]


@dataclass
class Recorder:
    """Reads the fake's call log incrementally and indexes the messages the bot created."""

    fake: FakeBotApi
    messages: list[Out] = field(default_factory=list)
    by_chat: dict[int, list[Out]] = field(default_factory=lambda: defaultdict(list))
    by_tag: dict[str, list[Out]] = field(default_factory=lambda: defaultdict(list))
    _cursor: int = 0

    def update(self) -> None:
        calls = self.fake.calls
        while self._cursor < len(calls):
            call = calls[self._cursor]
            self._cursor += 1
            if call.method not in MESSAGE_METHODS or not call.ok:
                continue
            results = call.result if isinstance(call.result, list) else [call.result]
            for result in results:
                if not isinstance(result, dict):
                    continue
                chat = result.get("chat", {}).get("id", call.params.get("chat_id"))
                text = str(result.get("text") or result.get("caption") or "")
                out = Out(
                    call.finished or call.time,
                    int(chat),
                    result.get("message_thread_id"),
                    text,
                    result,
                )
                self.messages.append(out)
                self.by_chat[out.chat].append(out)
                for tag in tags_in(text):
                    self.by_tag[tag].append(out)

    def in_chat(self, chat: int, predicate: Callable[[Out], bool] | None = None) -> list[Out]:
        self.update()
        return [o for o in self.by_chat.get(chat, []) if predicate is None or predicate(o)]

    async def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until `predicate()` holds (checked after every call the fake records)."""

        def check(_: FakeBotApi) -> bool:
            self.update()
            return predicate()

        try:
            await self.fake.wait_for(check, timeout=timeout)
        except TimeoutError:
            return False
        return True


# --------------------------------------------------------------------------------------------
# onboarding, black box
# --------------------------------------------------------------------------------------------

INVITE_LINK = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class Person:
    user_id: int
    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def people(first_id: int, n: int, prefix: str = "Amb") -> list[Person]:
    return [Person(first_id + i, f"{prefix}{i:05d}", "Test") for i in range(n)]


def _accept_button(message: dict[str, Any]) -> str | None:
    markup = message.get("reply_markup") or {}
    buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
    data = [str(b.get("callback_data")) for b in buttons if b.get("callback_data")]
    if not data:
        return None
    return "accept" if "accept" in data else data[0]


async def onboard(
    fake: FakeBotApi,
    rec: Recorder,
    persons: Sequence[Person],
    *,
    batch: int = 250,
    timeout: float = 300.0,
) -> None:
    """Invite, start and accept, as people do, `batch` at a time in parallel.

    The coordinator asks for invitations with `/inviter herning mj` in their private chat
    with the bot (the bot answers there with the deep link). Asking in the officers' group
    works the same way, but the group takes about 20 messages a minute, which would make
    onboarding hundreds take many minutes. Each person then sends `/start CODE`, presses
    the button on the agreement offer, and gets "Tak, …".
    """
    for start in range(0, len(persons), batch):
        group = persons[start : start + batch]
        codes = await _invitations(fake, rec, len(group), timeout)
        for person, code in zip(group, codes, strict=True):
            fake.add_private_user(person.user_id, person.first, person.last)
            fake.push_update(fake.make_private_message(person.user_id, f"/start {code}"))

        def offer(p: Person) -> Out | None:
            found = [o for o in rec.by_chat.get(p.user_id, []) if _accept_button(o.message)]
            return found[-1] if found else None

        def all_offered(group: Sequence[Person] = group) -> bool:
            return all(offer(p) for p in group)

        if not await rec.wait(all_offered, timeout):
            missing = [p.user_id for p in group if not offer(p)]
            raise TimeoutError(f"no agreement offer for {len(missing)} users: {missing[:5]}")
        for person in group:
            found = offer(person)
            assert found is not None
            data = _accept_button(found.message) or "accept"
            fake.push_update(fake.make_callback_query(person.user_id, data, found.message))

        def thanked(p: Person) -> bool:
            return any(o.text.startswith("Tak, ") for o in rec.by_chat.get(p.user_id, []))

        def all_thanked(group: Sequence[Person] = group) -> bool:
            return all(thanked(p) for p in group)

        if not await rec.wait(all_thanked, timeout):
            missing = [p.user_id for p in group if not thanked(p)]
            raise TimeoutError(f"no 'Tak, …' for {len(missing)} users: {missing[:5]}")


async def _invitations(fake: FakeBotApi, rec: Recorder, n: int, timeout: float) -> list[str]:
    def links() -> list[str]:
        return [
            m.group(1)
            for o in rec.by_chat.get(COORDINATOR, [])
            for m in [INVITE_LINK.search(o.text)]
            if m
        ]

    rec.update()
    seen = len(links())
    for _ in range(n):
        fake.push_update(fake.make_private_message(COORDINATOR, f"/inviter {AREA} {OFFICER_ID}"))
    if not await rec.wait(lambda: len(links()) >= seen + n, timeout):
        raise TimeoutError(f"asked for {n} invitations, got {len(links()) - seen}")
    return links()[seen : seen + n]


# --------------------------------------------------------------------------------------------
# the database, read-only, where nothing else can tell
# --------------------------------------------------------------------------------------------


def _read_only(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5.0)
    conn.execute("PRAGMA query_only = 1")
    return conn


def status_counts(db: Path, table: str) -> dict[str, int]:
    """`SELECT status, COUNT(*)` of the `inbox` or `outbox` table, read-only."""
    if table not in ("inbox", "outbox"):
        raise ValueError(table)
    with contextlib.closing(_read_only(db)) as conn:
        rows = conn.execute(f"SELECT status, COUNT(*) FROM {table} GROUP BY status").fetchall()
    return {str(s): int(n) for s, n in rows}


async def db_counts(db: Path, table: str) -> dict[str, int] | None:
    """As `status_counts`, in a thread; None when the file cannot be read right now."""
    try:
        return await asyncio.to_thread(status_counts, db, table)
    except sqlite3.Error:
        return None


async def wait_quiet(
    fake: FakeBotApi,
    db: Path,
    deadline: float,
    *,
    done: Callable[[], bool] = lambda: True,
    idle: float = 3.0,
) -> bool:
    """Wait until `done()` holds, no update waits at the fake, the outbox has nothing pending
    or in flight and the inbox nothing waiting (the SQLite file read-only: only it can tell),
    and the fake saw no call other than long polls for `idle` seconds. False when `deadline`
    (loop time) passed first."""
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        busy = [
            c
            for c in fake.calls[-50:]
            if c.method != "getUpdates" and (c.finished or c.time) > loop.time() - idle
        ]
        if done() and not busy and not fake.pending_updates:
            outbox = await db_counts(db, "outbox")
            inbox = await db_counts(db, "inbox")
            if (
                outbox is not None
                and inbox is not None
                and not outbox.get("pending")
                and not outbox.get("sending")
                and not inbox.get("received")
            ):
                return True
        await asyncio.sleep(0.5)  # polling a file and a clock: there is no event to await
    return False


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------


def load_average() -> str:
    """The machine's load: other work on it makes the figures noisier."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def median(values: Iterable[float]) -> float | None:
    vals = list(values)
    return statistics.median(vals) if vals else None


def out_of_order(sequence: Sequence[int]) -> int:
    """How many items would have to move to restore the order: n - longest increasing run
    (not necessarily contiguous)."""
    tails: list[int] = []
    for value in sequence:
        i = bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(sequence) - len(tails)


def fmt_s(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f} s"


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        line = "  ".join(
            c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)
        )
        lines.append(line.rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
