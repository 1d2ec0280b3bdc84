"""Running the product: configuration errors, the CLI, webhooks, health and migrations."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from bot.channels.telegram.webhook import webhook_secret
from bot.cli import main
from bot.clock import ShiftedClock
from bot.config import Config, ConfigError, Secrets, load_config, parse_config
from bot.root import Runtime
from storage.db import Database, DatabaseTooNew
from tests.conftest import COORDINATOR, METTE, OFFICERS_CHAT, config_text
from tests.fakes.telegram_api import FakeBotApi, deliver_webhook
from tests.helpers import said, text_of

ROOT = Path(__file__).resolve().parents[1]


def test_example_configuration_is_valid() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.telegram.officer_threads == "auto"
    assert [a.id for a in config.areas] == ["herning", "ikast"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('officer_threads = "auto"', 'officer_threads = "forum"'), "telegram.officer_threads"),
        (("port = 0", 'port = "eighty"'), "web.port"),
        (('areas = ["herning"]', 'areas = ["aarhus"]'), "unknown area 'aarhus'"),
        (("[web]", "[web]\nhots = 1"), "web.hots: unknown key"),
        (("[bot]", "[bot"), "not valid TOML"),
    ],
)
def test_bad_configuration_names_file_key_and_problem(
    change: tuple[str, str], expected: str
) -> None:
    text = config_text("http://x/bot", "http://x/file/bot", Path("db.sqlite3"))
    with pytest.raises(ConfigError) as err:
        parse_config(text.replace(*change, 1), "district.toml")
    assert str(err.value).startswith("district.toml")
    assert expected in str(err.value)


def test_cli_exits_with_status_2_on_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[telegram]\nofficers_chat_id = 'abc'\n", encoding="utf-8")
    assert main(["check-config", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "telegram.officers_chat_id" in err and "areas" in err


def test_run_with_a_configuration_but_no_token_stops_naming_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A production configuration never turns into the sandbox."""
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    path = tmp_path / "district.toml"
    path.write_text(config_text("http://x/bot", "http://x/f", Path("db.sqlite3")), "utf-8")
    assert main(["run", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "sandbox" in err
    assert not (tmp_path / "db.sqlite3").exists(), "nothing was started"


async def test_the_sandbox_listens_on_loopback_only(tmp_path: Path) -> None:
    from bot.channels.sandbox import demo_config
    from bot.config import SandboxSection, WebSection

    config = demo_config().model_copy(
        update={
            "web": WebSection(host="0.0.0.0", port=0),
            "sandbox": SandboxSection(path=str(tmp_path / "s.sqlite3")),
        }
    )
    runtime = Runtime(config, Secrets(), sandbox=True)
    await runtime.start()
    try:
        assert runtime.web is not None and runtime.web.host == "127.0.0.1"
    finally:
        await runtime.stop()


def test_commands_find_the_database_beside_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative [storage] path is relative to the configuration file, not to the folder the
    command is run from, and a command that writes says which database it wrote."""
    district = tmp_path / "district"
    district.mkdir()
    text = config_text("http://x/bot", "http://x/f", Path("data/bot.sqlite3"))
    text = text.replace("coordinators = [", 'bot_username = "tryghedsbot_test"\ncoordinators = [')
    (district / "config.toml").write_text(text, "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    args = ["invite", "--config", "../district/config.toml", "--area", "herning", "--officer", "mj"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert (district / "data" / "bot.sqlite3").exists()
    assert not (elsewhere / "data").exists()
    assert f"database: {district / 'data' / 'bot.sqlite3'}" in out


def test_run_without_token_and_missing_config_file_is_a_config_error_only_with_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert main(["run", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


async def test_database_newer_than_the_code_refuses_to_start(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(DatabaseTooNew, match="schema version 999"):
        await Database.open(path)


async def test_migrations_are_applied_once_and_foreign_keys_are_on(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite3")
    version = await db.schema_version()
    await db.close()
    db = await Database.open(tmp_path / "db.sqlite3")
    assert await db.schema_version() == version >= 1
    async with db.read() as tx:  # the connection transactions run on
        row = tx.ambassadors._c.execute("PRAGMA foreign_keys").fetchone()
        mode = tx.ambassadors._c.execute("PRAGMA journal_mode").fetchone()
    await db.close()
    assert row is not None and row[0] == 1
    assert mode is not None and mode[0] == "wal"


async def test_cli_invite_prints_code_and_deep_link(
    app: Runtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.toml"
    path.write_text(
        config_text("http://x/bot", "http://x/file/bot", Path(app.config.storage.path)),
        encoding="utf-8",
    )
    code = await asyncio.to_thread(
        main, ["invite", "--config", str(path), "--area", "herning", "--officer", "mj"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "link: https://t.me/tryghedsbot_test?start=" in out
    code_line = next(line for line in out.splitlines() if line.startswith("code: "))
    assert code_line.removeprefix("code: ") in out.split("start=")[1]
    bad = await asyncio.to_thread(
        main, ["invite", "--config", str(path), "--area", "aarhus", "--officer", "mj"]
    )
    assert bad == 2 and "unknown area 'aarhus'" in capsys.readouterr().err


async def test_invite_command_in_the_group_and_refusal_for_others(
    app: Runtime, fake: FakeBotApi
) -> None:
    fake.push_update(fake.make_group_message(OFFICERS_CHAT, METTE, "/inviter herning"))
    answer = (await said(fake, OFFICERS_CHAT, "Invitation til Herning"))[0]
    assert "https://t.me/tryghedsbot_test?start=" in text_of(answer)
    fake.add_private_user(COORDINATOR, "Karen", "Koordinator")
    fake.push_update(fake.make_private_message(COORDINATOR, "/inviter ikast lp"))
    await said(fake, COORDINATOR, "Invitation til Ikast")
    fake.push_update(fake.make_group_message(OFFICERS_CHAT, 987654, "/inviter herning mj"))
    await said(fake, OFFICERS_CHAT, "Kun betjente og koordinatorer kan oprette invitationer")


async def test_routine_notices_are_gathered_into_one_group_message(
    app: Runtime, fake: FakeBotApi
) -> None:
    assert app.dispatcher is not None
    await app.dispatcher.stop()  # hold the senders while five people join
    users = list(range(8001, 8006))
    from flows.onboarding import accept

    assert app.db is not None and app.ctx is not None
    from flows.model import AmbassadorState, Channel

    async with app.db.transaction() as tx:
        for user in users:
            amb = await tx.ambassadors.create(
                channel=Channel.TELEGRAM,
                address=str(user),
                name=f"Person {user}",
                area_id="herning",
                officer_id="mj",
                state=AmbassadorState.PENDING,
                language="da",
                now=app.ctx.clock.now(),
            )
            await accept(app.ctx, tx, amb)
    app.dispatcher._stopping = False
    await app.dispatcher.start()
    digest = (await said(fake, OFFICERS_CHAT, "Nyt fra Tryghedsbot"))[0]
    assert all(f"Person {u}" in text_of(digest) for u in users)
    joined = [
        m for m in fake.sent_messages(OFFICERS_CHAT) if "er nu tryghedsambassadør" in text_of(m)
    ]
    assert len(joined) == 1


async def test_webhook_mode_checks_the_secret_token(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    config = make_config()
    app = Runtime(config, secrets, clock=clock)
    port = _free_port()
    tg = config.telegram.model_copy(update={"webhook_url": f"http://127.0.0.1:{port}"})
    app.config = config.model_copy(
        update={"telegram": tg, "web": config.web.model_copy(update={"port": port})}
    )
    await app.start()
    try:
        assert fake.webhook["url"] == f"http://127.0.0.1:{port}/telegram/webhook"
        assert not fake.calls_of("getUpdates")
        url = fake.webhook["url"]
        update = fake.make_private_message(7007, "/start")
        assert await deliver_webhook(url, update, "wrong-secret") == 403
        assert await deliver_webhook(url, update, None) == 403
        async with aiohttp.ClientSession() as session:
            async with session.post(
                url,
                data=b"not json",
                headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(None, fake.token)},
            ) as resp:
                assert resp.status == 400
            async with session.get(f"http://127.0.0.1:{port}/healthz") as resp:
                health = await resp.json()
        assert health["ok"] is True and health["mode"] == "telegram"
        assert set(health["since_start"]) == {"sent", "failed", "retried"}
        assert await deliver_webhook(url, update, webhook_secret(None, fake.token)) == 200
        await said(fake, 7007, "Dette er Tryghedsbot")
        assert len(fake.sent_messages(7007)) == 1
        # Telegram retrying the same update is not handled twice.
        assert await deliver_webhook(url, update, webhook_secret(None, fake.token)) == 200
        assert app.db is not None
        async with app.db.read() as tx:
            pending = await tx.inbox.pending()
        assert pending == [] and app.inbox is not None and app.inbox.handled == 1
    finally:
        await app.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_classify_command_streams_json_lines(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "classify"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("Der brænder i opgangen lige nu, hjælp!\n")
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())  # answered before stdin is closed: it streams
    assert first["route"] == "acute"
    proc.stdin.write("Hvornår er der borgermøde?\n")
    proc.stdin.close()
    second = json.loads(proc.stdout.readline())
    assert second["route"] == "officer"
    assert set(second) >= {"route", "intent", "score", "matched", "safety_net"}
    assert proc.wait(timeout=30) == 0


def test_classify_command_shares_a_large_input_out_and_keeps_its_order(tmp_path: Path) -> None:
    """A file of many lines goes to worker processes in blocks; the answers come back in the
    input's order, one per line, exactly as one process would give them (empty lines,
    CRLF endings and a last line without a newline included)."""
    lines = [
        "Der brænder i opgangen lige nu {}",
        "",
        "min cykel blev stjålet i nat {}\r",
        "Hvornår er der borgermøde {}?",
        "en mand ligger på fortovet og svarer ikke {}",
    ]
    n = 18000
    body = "\n".join(lines[i % len(lines)].format(i) for i in range(n))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def run(*extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "classify", *extra], input=body.encode(),
            capture_output=True, cwd=ROOT, env=env, timeout=120, check=True,
        )  # fmt: skip
        return done.stdout.decode()

    alone, shared = run("--jobs", "1"), run("--jobs", "2")
    assert len(body.encode()) > 2 * 2**18  # more than two workers' blocks
    assert shared == alone
    routes = [json.loads(x)["route"] for x in shared.splitlines()]
    assert len(routes) == n
    assert routes[:5] == ["acute", "officer", "report", "officer", "acute"]
    assert routes[-5:] == routes[:5]


def test_classify_command_stops_quietly_when_its_reader_goes_away(tmp_path: Path) -> None:
    """`tryghedsbot classify < export | head -1`: the first answer, then a quiet stop with no
    traceback, in one process and shared out to workers alike."""
    export = tmp_path / "export.txt"
    export.write_text("Der brænder i opgangen lige nu\n" * 40000, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for jobs in ("1", "2"):
        errors = tmp_path / f"errors-{jobs}.txt"
        command = (
            f"{shlex.quote(sys.executable)} -m bot classify --jobs {jobs} "
            f"< {shlex.quote(str(export))} 2> {shlex.quote(str(errors))} | head -n 1"
        )
        done = subprocess.run(
            ["sh", "-c", command], capture_output=True, text=True, cwd=ROOT, env=env,
            timeout=120, check=True,
        )  # fmt: skip
        assert json.loads(done.stdout)["route"] == "acute"
        assert errors.read_text() == "", jobs


def test_classify_command_loads_only_the_classifier_and_caches_it(tmp_path: Path) -> None:
    """Start-up is what a classify run costs on short input: no bot, storage, event loop or
    other command is imported, and the compiled keyword data comes from the user's cache
    after the first run; a cache file others could have written is not trusted."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    probe = (
        "import sys; from bot.cli import main; main(['classify'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " | {m for m in sys.modules if m.startswith('bot.')}), file=sys.stderr)"
    )

    def run(text: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", probe], input=text, capture_output=True, text=True,
            cwd=ROOT, env=env, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout, done.stderr

    first, loaded = run("Der brænder i opgangen\nhej\n")
    for heavy in ("storage", "flows", "telegram", "aiosqlite", "asyncio", "httpx"):
        assert f"'{heavy}'" not in loaded, heavy
    # nor the other commands' modules (registering them all took a third of the start-up)
    for other in ("run", "ambassadors", "broadcast", "pulse", "figures", "tools"):
        assert f"'bot.cli.{other}'" not in loaded, other
    assert "'bot.cli.classify'" in loaded
    cached = list((tmp_path / "tryghedsbot").glob("lexicon-*.pickle"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    second, _ = run("Der brænder i opgangen\nhej\n")
    assert second == first and [json.loads(x)["route"] for x in first.splitlines()] == [
        "acute",
        "officer",
    ]
    assert cached[0].stat().st_mtime_ns == mtime  # read, not rebuilt
    cached[0].chmod(0o666)  # writable by anyone: rebuilt rather than loaded
    third, _ = run("Der brænder i opgangen\nhej\n")
    assert third == first
    assert [p.stat().st_mode & 0o777 for p in (tmp_path / "tryghedsbot").glob("*.pickle")] == [
        0o600
    ]


async def test_logs_hold_no_token_and_no_message_bodies(
    make_config: Callable[..., Config],
    secrets: Secrets,
    clock: ShiftedClock,
    fake: FakeBotApi,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import logging

    from bot.logs import setup_logging
    from tests.helpers import onboard

    token = fake.token
    setup_logging("INFO", [token])
    try:
        app = Runtime(make_config(), secrets, clock=clock)
        await app.start()
        try:
            await onboard(app, fake, 5001, "Anna")
            fake.push_update(fake.make_private_message(5001, "hemmelig besked om naboen 4242"))
            await said(fake, OFFICERS_CHAT, "hemmelig besked")
            fake.fail_next("sendMessage", status=500, chat_id=5001)
            fake.push_update(fake.make_private_message(5001, "/hjaelp"))
            await said(fake, 5001, "forbinder dig")
            logging.getLogger("test").warning("a library printed %s", f"url/bot{token}/x")
        finally:
            await app.stop()
    finally:
        logging.getLogger().handlers.clear()
    err = capsys.readouterr().err
    assert "Tryghedsbot @tryghedsbot_test is running" in err  # the log did work
    assert token not in err and "[redacted]" in err
    assert "hemmelig" not in err and "4242" not in err


async def test_run_command_in_telegram_mode_answers_and_stops_cleanly_on_sigterm(
    tmp_path: Path, fake: FakeBotApi
) -> None:
    """The real command, as an operator runs it, against a Bot API given by base_url."""
    import os
    import signal

    config = tmp_path / "config.toml"
    config.write_text(
        config_text(fake.base_url, fake.base_file_url, tmp_path / "bot.sqlite3"), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "TWILIO_AUTH_TOKEN"}
    env["TELEGRAM_BOT_TOKEN"] = fake.token
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config),
        cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_for_call("getUpdates", timeout=30)
        fake.push_update(fake.make_private_message(7007, "/start"))
        await said(fake, 7007, "Dette er Tryghedsbot")
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            code = await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.stderr is not None
    log = (await proc.stderr.read()).decode()
    assert code == 0, log
    assert "receiving updates by long polling" in log and "stopping" in log
    assert fake.token not in log


async def test_start_up_errors_are_clear(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    from pydantic import SecretStr

    from bot.root import StartupError

    bad_secret = secrets.model_copy(update={"telegram_webhook_secret": SecretStr("has spaces!")})
    with pytest.raises(StartupError, match="TELEGRAM_WEBHOOK_SECRET"):
        await Runtime(make_config(), bad_secret, clock=clock).start()
    blocker = Runtime(make_config(), secrets, clock=clock)
    await blocker.start()
    try:
        assert blocker.web is not None
        config = make_config()
        taken = config.model_copy(
            update={"web": config.web.model_copy(update={"port": blocker.web.port})}
        )
        second = Runtime(taken, secrets, clock=clock)
        with pytest.raises(StartupError, match="cannot listen"):
            await second.start()
        await second.stop()
    finally:
        await blocker.stop()


def test_check_config_and_an_empty_misroutes_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-config", "--config", str(ROOT / "config.example.toml")]) == 0
    assert "OK (2 areas, 1 officers)" in capsys.readouterr().out
    config = tmp_path / "config.toml"
    config.write_text(
        config_text("http://x/bot", "http://x/file/bot", tmp_path / "db.sqlite3"), encoding="utf-8"
    )
    assert main(["misroutes", "--config", str(config), "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == (
        "at,text,route_given,route_corrected,officer_id,intent,matched"
    )
