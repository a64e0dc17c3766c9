"""ConfigError at start-up: every bad setting named with its variable, no secret echoed."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from snippets.example_connector.config import load_config
from snippets.example_connector.errors import ConfigError

TOKEN = "platform-token-6c1f0e"
API_KEY = "source-key-93bd21"
VALID = {
    "OPENCTI_URL": "http://127.0.0.1:8080",
    "OPENCTI_TOKEN": TOKEN,
    "CONNECTOR_ID": "3f7c2c7e-8a0b-4a8f-9a57-1b2c3d4e5f60",
    "IOC_SOURCE_URL": "http://127.0.0.1:8081",
    "IOC_SOURCE_API_KEY": API_KEY,
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment with valid settings, in a folder with no config.yml."""
    for name in list(__import__("os").environ):
        if name.startswith(("OPENCTI_", "CONNECTOR_", "IOC_SOURCE_")):
            monkeypatch.delenv(name)
    for name, value in VALID.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_valid_environment_gives_the_pycti_config(env: pytest.MonkeyPatch) -> None:
    config = load_config()
    pycti = config.to_pycti()
    assert pycti["opencti"] == {"url": "http://127.0.0.1:8080", "token": TOKEN}
    assert pycti["connector"]["queue_protocol"] == "api"
    assert pycti["connector"]["type"] == "EXTERNAL_IMPORT"
    assert pycti["connector"]["duration_period"] == "PT3600S"
    assert TOKEN not in repr(config)
    assert API_KEY not in repr(config)


@pytest.mark.parametrize("name", sorted(VALID))
def test_each_missing_setting_is_named_with_its_variable(
    env: pytest.MonkeyPatch, name: str
) -> None:
    env.delenv(name)
    setting = name.lower().replace("opencti_", "opencti.", 1)
    setting = setting.replace("connector_", "connector.", 1)
    setting = setting.replace("ioc_source_", "ioc_source.", 1)
    with pytest.raises(
        ConfigError, match=rf"{setting}: Field required \(set {name} "
    ) as info:
        load_config()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("OPENCTI_URL", "not a url", r"opencti\.url: Input should be a valid URL"),
        ("IOC_SOURCE_URL", "ftp://127.0.0.1", r"ioc_source\.url: URL scheme should be"),
        ("CONNECTOR_ID", "connector-1", r"connector\.id: Input should be a valid UUID"),
        ("CONNECTOR_DURATION_PERIOD", "every hour", r"connector\.duration_period: "),
        (
            "CONNECTOR_DURATION_PERIOD",
            "PT0S",
            r"duration_period: Input should be greater than or equal to 1 second",
        ),
        (
            "CONNECTOR_LOG_LEVEL",
            "loud",
            r"connector\.log_level: Input should be 'debug'",
        ),
        (
            "CONNECTOR_BATCH_SIZE",
            "many",
            r"connector\.batch_size: Input should be a valid",
        ),
        (
            "IOC_SOURCE_TIMEOUT_SECONDS",
            "-1",
            r"ioc_source\.timeout_seconds: Input should",
        ),
    ],
)
def test_invalid_values_are_explained(
    env: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    env.setenv(name, value)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config()
    assert f"(set {name} or " in str(info.value)


def test_log_level_is_case_insensitive_as_in_pycti(env: pytest.MonkeyPatch) -> None:
    env.setenv("CONNECTOR_LOG_LEVEL", "WARNING")
    assert load_config().to_pycti()["connector"]["log_level"] == "warning"


def test_invalid_secrets_are_never_echoed(env: pytest.MonkeyPatch) -> None:
    env.setenv("OPENCTI_URL", f"http://{TOKEN}:{API_KEY}@bad host")
    env.setenv("OPENCTI_TOKEN", "")
    with pytest.raises(
        ConfigError, match=r"opencti\.token: Value should have at least 1 item"
    ) as info:
        load_config()
    assert TOKEN not in str(info.value)
    assert API_KEY not in str(info.value)


def test_every_problem_is_listed_at_once(env: pytest.MonkeyPatch) -> None:
    env.delenv("OPENCTI_TOKEN")
    env.setenv("CONNECTOR_LOG_LEVEL", "loud")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert "opencti.token" in str(info.value)
    assert "connector.log_level" in str(info.value)
    assert "\n" not in str(info.value)


def test_config_file_is_read_and_the_environment_wins(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env.delenv("CONNECTOR_ID")
    env.setenv("CONNECTOR_NAME", "from the environment")
    (tmp_path / "config.yml").write_text(
        "connector:\n"
        "  id: 11111111-2222-4333-8444-555555555555\n"
        "  name: from the file\n"
        "  duration_period: PT5M\n"
        "ioc_source:\n"
        "  import_start: 2026-02-01T00:00:00Z\n",
        encoding="utf-8",
    )
    config = load_config()
    assert str(config.connector.id) == "11111111-2222-4333-8444-555555555555"
    assert config.connector.name == "from the environment"
    assert config.connector.duration_period == datetime.timedelta(minutes=5)
    assert config.ioc_source.import_start == datetime.datetime(
        2026, 2, 1, tzinfo=datetime.UTC
    )


def test_unparsable_config_file_names_the_line_without_quoting_it(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.yml").write_text(
        f"opencti:\n  token: {TOKEN}\n  url: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(
        ConfigError, match=r"config\.yml is not valid YAML at line \d+"
    ) as info:
        load_config()
    assert TOKEN not in str(info.value)
    assert info.value.__cause__ is None


def test_config_file_that_is_not_a_mapping(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.yml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"must be a mapping with opencti, connector"):
        load_config()


def test_explicit_config_file_that_does_not_exist(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(
        ConfigError, match=r"can't read the config file .*missing\.yml"
    ) as info:
        load_config(tmp_path / "missing.yml")
    assert isinstance(info.value.__cause__, FileNotFoundError)
