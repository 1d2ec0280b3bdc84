"""Configuration: one TOML file into validated models; secrets only from the environment.

A bad file stops start-up with a message naming the file, the key and the problem.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from flows.context import Retention
from flows.hours import PROGRAMME_TZ, OfficeHours, QuietHours
from flows.model import Area, Directory, Officer
from flows.phone import PhoneError, normalise_phone

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]


class ConfigError(Exception):
    """Start-up must stop; the message is for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BotSection(_Section):
    language: Literal["da", "en"] = "da"
    internal_marker: str = Field("#intern", min_length=1)
    invitation_ttl_hours: float = Field(168, gt=0, le=24 * 90)
    district_name: str = "Politikreds"


class TelegramSection(_Section):
    bot_username: str = ""  # learnt from the Bot API at start; set it to invite before that
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    officers_chat_id: int = 0
    officer_threads: Literal["auto", "topics", "replies"] = "auto"
    coordinators: list[int] = []
    webhook_url: str = ""  # public URL: set → webhooks on the web server; empty → long polling
    poll_timeout: int = Field(30, ge=0, le=60)
    messages_per_second: float = Field(28, gt=0, le=30)
    group_messages_per_minute: int = Field(19, ge=4, le=20)

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: str) -> str:
        local = value.startswith(("http://127.0.0.1", "http://localhost"))
        if value and not value.startswith("https://") and not local:
            raise ValueError("must start with https:// (Telegram only calls HTTPS webhooks)")
        return value.rstrip("/")


class SmsSection(_Section):
    account_sid: str = Field(pattern=r"^AC[0-9a-fA-F]{32}$")
    from_number: str = ""
    messaging_service_sid: str = ""
    public_url: str
    api_base_url: str = "https://api.twilio.com"
    messages_per_second: float = Field(1.0, gt=0, le=100)
    max_segments: int = Field(4, ge=1, le=10)

    @field_validator("from_number")
    @classmethod
    def _e164(cls, value: str) -> str:
        if not value:
            return value
        try:
            return normalise_phone(value, strict=False)
        except PhoneError as exc:
            raise ValueError(str(exc)) from exc

    @model_validator(mode="after")
    def _sender(self) -> Self:
        if not self.from_number and not self.messaging_service_sid:
            raise ValueError("set from_number or messaging_service_sid")
        return self


class WebSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)


_KEEP = Retention()
Days = Annotated[int, Field(ge=1, le=36500)]


class RetentionDays(_Section):
    """Days each kind of record is kept before the daily purge (defaults: flows.context)."""

    message_texts: Days = _KEEP.message_texts
    inbox: Days = _KEEP.inbox
    outbox: Days = _KEEP.outbox
    strangers: Days = _KEEP.strangers
    audit: Days = _KEEP.audit

    def build(self) -> Retention:
        return Retention(**self.model_dump())


class StorageSection(_Section):
    path: str = "data/tryghedsbot.sqlite3"
    retention_days: RetentionDays = RetentionDays()

    @field_validator("retention_days", mode="before")
    @classmethod
    def _one_number(cls, value: object) -> object:
        """`retention_days = 90` keeps every kind for 90 days."""
        if isinstance(value, int) and not isinstance(value, bool):
            return dict.fromkeys(RetentionDays.model_fields, value)
        return value


class OfficeHoursSection(_Section):
    timezone: str = PROGRAMME_TZ
    mon: str = "08:00-15:30"
    tue: str = "08:00-15:30"
    wed: str = "08:00-15:30"
    thu: str = "08:00-15:30"
    fri: str = "08:00-15:00"
    sat: str = ""
    sun: str = ""
    public_holidays: bool = True
    closed_dates: list[date] = []

    def build(self) -> OfficeHours:
        weekly = {d: getattr(self, d) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        return OfficeHours.parse(
            weekly,
            tz=self.timezone,
            closed_dates=self.closed_dates,
            include_public_holidays=self.public_holidays,
        )


class BroadcastSection(_Section):
    quiet_hours: str = "21:00-08:00"
    grace_hours: float = Field(6, ge=0, le=72)

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        QuietHours.parse(value)
        return value


class SandboxSection(_Section):
    path: str = "data/sandbox.sqlite3"


class ProgrammeSection(_Section):
    name: str = ""  # the sender shown on every push; empty: [bot] district_name


class CasesSection(_Section):
    remind_after_office_hours: float = Field(4, ge=0, le=200)  # 0: no reminders


class PulseSection(_Section):
    answer_hours: float = Field(72, gt=0, le=24 * 60)  # late answers accepted this long


class ContentSection(_Section):
    path: str = ""  # a folder with da.toml / en.toml (texts, the agreement) and tips.toml


class AreaConfig(_Section):
    id: Ident
    name: str = Field(min_length=1)


class OfficerConfig(_Section):
    id: Ident
    name: str = Field(min_length=1)
    telegram_user_id: int
    areas: list[str] = []


class CoordinatorConfig(_Section):
    telegram_user_id: int
    areas: list[str] = []  # empty: every area


class Config(_Section):
    bot: BotSection = BotSection()
    telegram: TelegramSection = TelegramSection()
    sms: SmsSection | None = None
    web: WebSection = WebSection()
    storage: StorageSection = StorageSection()
    office_hours: OfficeHoursSection = OfficeHoursSection()
    broadcasts: BroadcastSection = BroadcastSection()
    sandbox: SandboxSection = SandboxSection()
    programme: ProgrammeSection = ProgrammeSection()
    cases: CasesSection = CasesSection()
    pulse: PulseSection = PulseSection()
    content: ContentSection = ContentSection()
    areas: list[AreaConfig] = Field(min_length=1)
    officers: list[OfficerConfig] = Field(min_length=1)
    coordinators: list[CoordinatorConfig] = []

    @model_validator(mode="after")
    def _references(self) -> Self:
        area_ids = [a.id for a in self.areas]
        if len(set(area_ids)) != len(area_ids):
            raise ValueError("areas: ids must be unique")
        officer_ids = [o.id for o in self.officers]
        if len(set(officer_ids)) != len(officer_ids):
            raise ValueError("officers: ids must be unique")
        for i, officer in enumerate(self.officers):
            for area in officer.areas:
                if area not in area_ids:
                    raise ValueError(f"officers[{i}].areas: unknown area {area!r}")
        seen = set(self.telegram.coordinators)
        for i, coordinator in enumerate(self.coordinators):
            if coordinator.telegram_user_id in seen:
                raise ValueError(
                    f"coordinators[{i}].telegram_user_id: {coordinator.telegram_user_id} is"
                    " listed twice (in [telegram] coordinators or another [[coordinators]])"
                )
            seen.add(coordinator.telegram_user_id)
            for area in coordinator.areas:
                if area not in area_ids:
                    raise ValueError(f"coordinators[{i}].areas: unknown area {area!r}")
        try:
            self.office_hours.build()
        except ValueError as exc:
            raise ValueError(f"office_hours: {exc}") from exc
        return self

    def directory(self) -> Directory:
        return Directory(
            areas=tuple(Area(a.id, a.name) for a in self.areas),
            officers=tuple(
                Officer(o.id, o.name, o.telegram_user_id, tuple(o.areas)) for o in self.officers
            ),
            coordinators=frozenset(self.telegram.coordinators)
            | frozenset(c.telegram_user_id for c in self.coordinators),
            coordinator_areas={
                c.telegram_user_id: frozenset(c.areas) for c in self.coordinators if c.areas
            },
        )

    @property
    def invitation_ttl(self) -> timedelta:
        return timedelta(hours=self.bot.invitation_ttl_hours)

    @property
    def programme_name(self) -> str:
        return self.programme.name or self.bot.district_name


class Secrets(BaseModel):
    model_config = ConfigDict(frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    twilio_auth_token: SecretStr | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Secrets:
        env = dict(os.environ) if env is None else env

        def get(name: str) -> SecretStr | None:
            value = env.get(name, "").strip()
            return SecretStr(value) if value else None

        return cls(
            telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"),
        )


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_config(text: str, source: str) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling against config.example.toml)"
            lines.append(f"  {_where(tuple(err['loc']))}: {msg}")
        raise ConfigError(f"{source}: invalid configuration:\n" + "\n".join(lines)) from exc


def load_config(path: str | Path) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found (copy config.example.toml to start)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    config = relative_to(parse_config(text, str(path)), path.resolve().parent)
    check_content(config)
    return config


def check_content(config: Config) -> None:
    """The content folder's texts and tips are read now, so a mistake in them stops start-up
    (and check-config) with the file named, not a message at run time."""
    from flows.content import ContentError, load_content

    if config.content.path:
        try:
            load_content(config.content.path)
        except ContentError as exc:
            raise ConfigError(f"[content] path: {exc}") from exc


def relative_to(config: Config, base: Path) -> Config:
    """Relative database paths mean "beside the configuration file", wherever the command is
    run from, so the bot and every command find the same database."""

    def resolve(value: str) -> str:
        return value if value == ":memory:" or Path(value).is_absolute() else str(base / value)

    content = config.content.path
    return config.model_copy(
        update={
            "storage": config.storage.model_copy(update={"path": resolve(config.storage.path)}),
            "sandbox": config.sandbox.model_copy(update={"path": resolve(config.sandbox.path)}),
            "content": config.content.model_copy(
                update={"path": resolve(content) if content else ""}
            ),
        }
    )
