"""Settings: shipped defaults < TOML config file < environment < command-line flags.

The config file is the first of: ``--config FILE``, ``./brief.toml``, the user config
dir's ``brief.toml``. Environment variables: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``,
``BRIEF_<KEY>`` for top-level keys and ``BRIEF_<SECTION>_<KEY>`` for sections, plus the
mail aliases listed in ``ENV_ALIASES``.
"""

from __future__ import annotations

import difflib
import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from briefing import FORMATS, Format
from briefing.errors import ConfigError
from briefing.models import focus_items

log = logging.getLogger(__name__)

Backend = Literal["auto", "extractive", "openai"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class LLMSettings(_Section):
    """The OpenAI-compatible endpoint and how to use it."""

    model: str = "gpt-4o-mini"
    map_model: str | None = None  # cheaper model for per-chunk extraction
    reduce_model: str | None = None  # stronger model for synthesis
    base_url: str | None = None
    api_key: SecretStr | None = None
    organization: str | None = None
    project: str | None = None
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=20)
    max_concurrency: int = Field(default=4, ge=1, le=256)
    token_budget: int = Field(default=200_000, gt=0)
    # article tokens per map request (capped by the context); small values split finely
    chunk_tokens: int = Field(default=6_000, ge=100)
    datamark: Literal["lines", "words"] = "lines"  # spotlighting: mark each line, or every space
    context_tokens: int | None = None  # model context window; looked up when unset
    deadline: float = Field(default=900.0, gt=0)  # seconds for the whole LLM phase
    on_unverified: Literal["drop", "mark"] = "drop"
    max_output_tokens: int = Field(default=4_000, ge=16)  # per request; reserved from the budget before calling
    structured: Literal["json_schema", "json_object", "none"] = "json_schema"  # reply format
    prompts_dir: Path | None = None  # prompt files here override the shipped ones by name
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict)  # $/1M in, out
    # "multi-chunk": a development read in one chunk is written from its claims, no reduce
    reduce: Literal["multi-chunk", "always"] = "multi-chunk"
    log_text: bool = True  # the call log keeps prompts and replies, not only their hashes


class FetchSettings(_Section):
    """How feeds and pages are fetched."""

    user_agent: str = "brief/0.1 (+https://github.com/brief-sitrep/brief)"
    timeout: float = Field(default=20.0, gt=0)
    total_timeout: float = Field(default=120.0, gt=0)
    max_bytes: int = Field(default=5_000_000, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=30)
    per_host_delay: float = Field(default=1.0, ge=0)
    max_concurrency: int = Field(default=16, ge=1, le=256)
    allow_private: bool = False
    respect_robots: bool = True


class SourceConfig(_Section):
    """A feed or page the user follows."""

    url: str
    name: str | None = None
    tag: str | None = None
    reliability: Literal["A", "B", "C", "D", "E", "F"] | None = None
    kind: Literal["feed", "page"] = "feed"
    allow_private: bool = False


class EmailSettings(_Section):
    """Where and how the briefing is mailed."""

    enabled: bool = False
    to: list[str] = Field(default_factory=list)
    from_: str | None = Field(default=None, alias="from")
    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "starttls"
    username: str | None = None
    password_env: str = "BRIEF_SMTP_PASSWORD"
    password_file: str | None = None
    timeout: float = Field(default=30.0, gt=0)
    subject: str = "SITREP {date} — {developments_text}"
    list_unsubscribe: str | None = None
    operator: str | None = None  # failure mail goes here
    send_time: str = "06:30"
    timezone: str = "UTC"
    ca_file: str | None = None  # extra CA bundle to trust (a private mail server's CA)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)


class WebhookTarget(_Section):
    """A chat or JSON webhook the briefing is posted to (``[[deliver.webhook]]``)."""

    kind: Literal["slack", "teams", "json"]
    name: str | None = None  # default: the kind; names key the sent-log, so keep them stable
    url: SecretStr | None = None  # a webhook URL is a credential: prefer url_env
    url_env: str | None = None  # name of the environment variable holding the URL
    enabled: bool = False  # post on every `brief today` (--webhook posts to every target)
    allow_private: bool = False  # the URL may be a private/loopback address
    payload: Literal["summary", "sitrep"] = "summary"  # json kind: compact or the full Sitrep
    briefing_url: str | None = None  # overrides deliver.briefing_url for this target

    @property
    def label(self) -> str:
        """The target's name as reports and the sent-log use it."""
        return self.name or self.kind


class DeliverSettings(_Section):
    """Chat and webhook delivery: targets, the full briefing's link, retries."""

    webhook: list[WebhookTarget] = Field(default_factory=list)
    briefing_url: str | None = None  # e.g. "https://intranet.example/sitrep-{date}.html"
    timeout: float = 15.0
    max_retries: int = Field(default=3, ge=0, le=10)  # after 429 and 5xx answers
    max_retry_after: float = 60.0  # a longer Retry-After is a failure, not a wait


class Settings(_Section):
    """Everything a run needs; see the module docstring for precedence."""

    inbox: list[Path] = Field(default_factory=list)
    out_dir: Path = Path("briefings")
    db_path: Path = Path("brief.db")
    formats: list[Format] = Field(
        default_factory=lambda: list(FORMATS)
    )
    backend: Backend = "auto"
    title: str = "Situation Report"
    window_hours: int = Field(default=24, ge=1, le=24 * 14)
    timezone: str = "UTC"  # --date means the day ending at midnight in this zone
    templates_dir: Path | None = None
    max_file_bytes: int = Field(default=5_000_000, gt=0)
    takeaways: int = Field(default=5, ge=3, le=7)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}$")  # the briefing's, ISO 639
    focus: list[str] = Field(default_factory=list)  # watchlist terms or a paragraph; ranks the day
    max_developments: int = Field(default=20, ge=1)  # the rest is counted in coverage
    workers: int = Field(default=0, ge=0)  # extraction processes for big inboxes; 0 = cores
    log_file: Path | None = None
    llm: LLMSettings = Field(default_factory=LLMSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    deliver: DeliverSettings = Field(default_factory=DeliverSettings)
    sources: list[SourceConfig] = Field(default_factory=list)
    config_file: Path | None = None

    @field_validator("inbox", "out_dir", "db_path", "templates_dir", "log_file", mode="before")
    @classmethod
    def _expand_home(cls, value: Any) -> Any:
        if isinstance(value, str | Path):
            return Path(value).expanduser()
        if isinstance(value, list):
            return [Path(v).expanduser() if isinstance(v, str | Path) else v for v in value]
        return value

    @field_validator("focus", mode="before")
    @classmethod
    def _focus(cls, value: object) -> list[str]:
        return focus_items(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}' (use an IANA name like Europe/Paris)") from None
        return value

    def resolved_workers(self) -> int:
        """Worker processes for extraction: the setting, or the machine's cores (max 4)."""
        return self.workers or min(4, os.cpu_count() or 1)

    def resolved_backend(self) -> Literal["extractive", "openai"]:
        """`auto` means openai when a key or base URL is configured."""
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.llm.api_key or self.llm.base_url) else "extractive"


# Environment variables that do not follow BRIEF_<SECTION>_<KEY>.
ENV_ALIASES: dict[str, tuple[str, ...]] = {
    "OPENAI_API_KEY": ("llm", "api_key"),
    "OPENAI_BASE_URL": ("llm", "base_url"),
    "BRIEF_EMAIL_TO": ("email", "to"),
    "BRIEF_EMAIL_FROM": ("email", "from"),
    "BRIEF_SMTP_HOST": ("email", "host"),
    "BRIEF_SMTP_PORT": ("email", "port"),
    "BRIEF_SMTP_USER": ("email", "username"),
}
_SECTIONS: dict[str, type[BaseModel]] = {
    "llm": LLMSettings,
    "fetch": FetchSettings,
    "email": EmailSettings,
}
_LIST_KEYS = {("inbox",), ("formats",), ("email", "to")}
_IGNORED_ENV = {"BRIEF_DEBUG", "BRIEF_SMTP_PASSWORD", "BRIEF_CONFIG", "BRIEF_CACHE_DIR"}


def find_config_file(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    """The config file to read, or None when there is none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} not found: check the --config path")
        return explicit
    if env.get("BRIEF_CONFIG"):
        return find_config_file(Path(env["BRIEF_CONFIG"]), {})
    local = Path("brief.toml")
    if local.is_file():
        return local
    from platformdirs import user_config_dir

    user = Path(user_config_dir("brief")) / "brief.toml"
    return user if user.is_file() else None


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse a TOML config file into a plain dict."""
    try:
        # utf-8-sig: editors on Windows save a byte-order mark that TOML itself rejects.
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings given as environment variables, as a nested dict."""
    out: dict[str, Any] = {}
    for name, value in env.items():
        if not value or name in _IGNORED_ENV:
            continue
        if name in ENV_ALIASES:
            path: tuple[str, ...] = ENV_ALIASES[name]
        elif name.startswith("BRIEF_"):
            path = _env_path(name[len("BRIEF_") :].lower())
            if not _known(path):
                # BRIEF_HOME and the like belong to other tools: never fail on them.
                log.warning("ignoring environment variable %s: brief has no such setting", name)
                continue
        else:
            continue
        _put(out, path, value.split(",") if path in _LIST_KEYS else value)
    return out


def _env_path(key: str) -> tuple[str, ...]:
    for section in _SECTIONS:
        if key.startswith(section + "_"):
            return (section, key[len(section) + 1 :])
    return (key,)


def _fields(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()} | set(
        model.model_fields
    )


def _known(path: tuple[str, ...]) -> bool:
    """True when an environment variable's path names a real setting."""
    if len(path) == 2:
        return path[1] in _fields(_SECTIONS[path[0]])
    return path[0] in _fields(Settings) and path[0] not in (*_SECTIONS, "sources", "config_file")


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` onto ``base`` (sections merge, other values replace)."""
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def load_settings(
    config: Path | None = None,
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Build the effective settings from file, environment and flags."""
    env = os.environ if env is None else env
    path = find_config_file(config, env)
    data: dict[str, Any] = read_config_file(path) if path else {}
    data = merge(data, env_overrides(env))
    data = merge(data, {k: v for k, v in (flags or {}).items() if v is not None})
    if path is not None:
        data["config_file"] = path
        data = _relative_to(path.parent, data)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from None


def _relative_to(base: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Paths written in a config file are relative to that file, not to the cwd."""
    for key in ("out_dir", "db_path", "templates_dir", "log_file"):
        if isinstance(data.get(key), str):
            data[key] = _from_file(base, data[key])
    if isinstance(data.get("inbox"), list):
        data["inbox"] = [_from_file(base, p) if isinstance(p, str) else p for p in data["inbox"]]
    email = data.get("email")
    if isinstance(email, dict):
        for key in ("password_file", "ca_file"):
            if isinstance(email.get(key), str):
                email[key] = _from_file(base, email[key])
    return data


def _from_file(base: Path, value: str) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def _describe(exc: ValidationError, path: Path | None) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    where = f" (from {path} or the environment)" if path else ""
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    message = str(err["msg"])
    if err["type"] == "extra_forbidden":
        message = "no such setting" + _did_you_mean(err["loc"])
    return f"bad setting '{key}'{where}: {message}{more}"


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    """A suggestion for a misspelt key: its closest neighbour in the same section."""
    model: type[BaseModel] = Settings
    if len(loc) == 2 and loc[0] in _SECTIONS:
        model = _SECTIONS[str(loc[0])]
    elif len(loc) != 1:
        return ""
    names = sorted(n for n in _fields(model) if n != "config_file")
    close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def masked(settings: Settings) -> dict[str, Any]:
    """The settings as a dict for display, with secrets masked."""
    data = settings.model_dump(mode="json", by_alias=True)
    key = settings.llm.api_key
    if key is not None:
        raw = key.get_secret_value()
        data["llm"]["api_key"] = (raw[:3] + "…" + raw[-2:]) if len(raw) > 8 else "***"
    return data
