"""Settings from environment variables and an optional ``config.yml``, validated at start-up.

Every setting has an environment variable named after its place in ``config.yml``:
``connector.duration_period`` is ``CONNECTOR_DURATION_PERIOD``. The environment wins over the
file, as in pycti. Anything invalid raises one ``ConfigError`` listing every problem, each with
its environment variable and how to fix it, and never the value given: it may be a secret.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID

import yaml
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_serializer,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from snippets.example_connector.errors import ConfigError

DEFAULT_CONFIG_FILE = Path("config.yml")
# pycti upper-cases the level itself; accept it in either case, as pycti does.
LogLevel = Annotated[
    Literal["debug", "info", "warning", "error"],
    BeforeValidator(lambda value: value.lower() if isinstance(value, str) else value),
]


class _Section(BaseModel):
    # pycti reads more CONNECTOR_* variables (CONNECTOR_TYPE, CONNECTOR_QUEUE_PROTOCOL...):
    # they reach these sections too and are not errors.
    model_config = ConfigDict(extra="ignore", frozen=True)


class OpenCTISettings(_Section):
    url: AnyHttpUrl
    token: SecretStr = Field(min_length=1)  # (1)!


class ConnectorSettings(_Section):
    id: UUID
    name: str = Field(default="Example IOC connector", min_length=1)
    scope: str = Field(default="indicator,observable", min_length=1)
    log_level: LogLevel = "info"
    # pycti counts whole seconds; under one second it would run once and exit.
    duration_period: datetime.timedelta = Field(
        default=datetime.timedelta(hours=1), ge=datetime.timedelta(seconds=1)
    )
    run_and_terminate: bool = False
    # Entities per STIX bundle sent to OpenCTI.
    batch_size: int = Field(default=50, ge=1, le=10_000)
    # "api": bundles go over HTTP (stixBundlePush), nothing else to reach. "amqp", pycti's
    # own default: to the RabbitMQ the platform names at registration.
    queue_protocol: Literal["api", "amqp"] = "api"

    @field_serializer("duration_period")
    def _iso_duration(self, period: datetime.timedelta) -> str:
        return f"PT{int(period.total_seconds())}S"


class IOCSourceSettings(_Section):
    url: AnyHttpUrl
    api_key: SecretStr = Field(min_length=1)
    # Where the first run starts; later runs start where the last complete one ended.
    import_start: datetime.datetime = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    max_attempts: int = Field(default=4, ge=1, le=10)
    # One answer of the id list holds at most this many ids: a longer window is asked for
    # in halves. It bounds a run's memory, whatever the source sends.
    max_ids_per_request: int = Field(default=100_000, ge=1, le=10_000_000)
    # After this many IOCs in a row that failed for a reason that may pass (a 429 that
    # never ends, a 503...), the run stops asking and ends in error.
    max_failures_in_a_row: int = Field(default=20, ge=1, le=100_000)


class ConnectorConfig(BaseSettings):
    """The connector's whole configuration."""

    model_config = SettingsConfigDict(
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
        frozen=True,
    )

    # Validated from an empty section when absent, so each missing setting is named.
    opencti: OpenCTISettings = Field(default={}, validate_default=True)  # (2)!
    connector: ConnectorSettings = Field(default={}, validate_default=True)
    ioc_source: IOCSourceSettings = Field(default={}, validate_default=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment first, then the file given to load_config (passed as init values).
        return env_settings, init_settings

    def to_pycti(self) -> dict[str, Any]:
        """The configuration dict ``OpenCTIConnectorHelper`` expects."""
        connector = self.connector
        return {
            "opencti": {
                "url": str(self.opencti.url).rstrip("/"),
                "token": self.opencti.token.get_secret_value(),
            },
            "connector": {
                "id": str(connector.id),
                "type": "EXTERNAL_IMPORT",
                "name": connector.name,
                "scope": connector.scope,
                "log_level": connector.log_level,
                "duration_period": connector.model_dump()["duration_period"],
                "run_and_terminate": connector.run_and_terminate,
                "queue_protocol": connector.queue_protocol,  # (3)!
            },
        }


def load_config(config_file: Path | None = None) -> ConnectorConfig:
    """Read and validate every setting; raise ``ConfigError`` listing all that is wrong.

    ``config_file`` defaults to ``config.yml`` in the working directory, used if it exists.
    """
    file_values = _read_config_file(config_file)
    try:
        return ConnectorConfig(**file_values)
    except ValidationError as err:
        # from None: the validation error's text carries the rejected values, tokens included.
        raise ConfigError(_describe(err)) from None  # (4)!


def _read_config_file(config_file: Path | None) -> dict[str, Any]:
    path = config_file or DEFAULT_CONFIG_FILE
    if config_file is None and not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:  # (5)!
        raise ConfigError(f"can't read the config file {path}: {err.strerror}") from err
    try:
        values = yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        # from None: the parser's message quotes the file's text, which may hold a token.
        raise ConfigError(f"{path} is not valid YAML{line}; fix its syntax") from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(
            f"{path} must be a mapping with opencti, connector and ioc_source sections"
        )
    return values


def _describe(err: ValidationError) -> str:
    problems = [
        f"{_setting_name(error['loc'])}: {error['msg']} (set {_env_name(error['loc'])}"
        f" or {_setting_name(error['loc'])} in config.yml)"
        for error in err.errors(include_input=False, include_url=False)  # (6)!
    ]
    return "invalid configuration: " + "; ".join(problems)


def _setting_name(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def _env_name(location: tuple[int | str, ...]) -> str:
    return "_".join(str(part) for part in location[:2]).upper()
