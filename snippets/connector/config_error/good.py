"""Do: validate every setting at start-up; one ConfigError says what to fix."""

import os
import subprocess
import sys

from pycti import OpenCTIConnectorHelper
from pydantic import PositiveInt, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from snippets.recording_helper import RecordingHelper

TOKEN = "a1b2-c3_d4"  # API keys have "-" and "_" too
DEPLOYMENTS = [
    # From a secret file that ends with a newline; SOURCE_LIMIT forgotten.
    {"SOURCE_TOKEN": f"{TOKEN}\n"},
    {"SOURCE_TOKEN": TOKEN, "SOURCE_LIMIT": "0"},
    {"SOURCE_TOKEN": TOKEN, "SOURCE_LIMIT": "50"},
]


def fetch_iocs(api_key: str, limit: int) -> list[str]:
    """Stands for the call to the source's API."""
    return [f"ioc-{n}" for n in range(limit)]


# --8<-- [start:example]
class ConfigError(Exception):
    """A setting is missing or invalid: only the operator can fix it."""


class SourceSettings(BaseSettings):
    """SOURCE_TOKEN and SOURCE_LIMIT, read once, at start-up."""

    model_config = SettingsConfigDict(env_prefix="SOURCE_", frozen=True)

    token: SecretStr  # (1)!
    limit: PositiveInt

    @field_validator("token")
    @classmethod
    def _no_whitespace(cls, token: SecretStr) -> SecretStr:
        if any(char.isspace() for char in token.get_secret_value()):
            raise PydanticCustomError("space", "has a space or a line break")
        return token


EXPECTED = {  # what a valid value looks like, for the operator
    "token": "the source's API key, with no space or line break",
    "limit": "a whole number above 0, e.g. 100",
}


def load_settings() -> SourceSettings:
    try:
        # mypy can't know that the environment gives the fields.
        return SourceSettings()
    except ValidationError as err:
        # from None: pydantic's own text quotes the input, token included.
        raise ConfigError(_describe(err)) from None  # (2)!


def _describe(err: ValidationError) -> str:
    prefix = SourceSettings.model_config["env_prefix"]
    problems = err.errors(include_input=False, include_url=False)
    lines = [f"{len(problems)} setting(s) to fix"]
    for problem in problems:  # every problem at once: one restart fixes all
        name = str(problem["loc"][0])
        lines.append(f"- {prefix}{name.upper()}: {problem['msg']}")
        lines.append(f"  expected: {EXPECTED[name]}")
    return "\n".join(lines)


class Connector:
    def __init__(
        self, helper: OpenCTIConnectorHelper, settings: SourceSettings
    ) -> None:
        self.helper = helper
        self.settings = settings  # checked before the helper existed

    def process(self) -> None:
        work_id = self.helper.api.work.initiate_work(
            self.helper.connect_id, "Source run"
        )
        message, in_error = "Run stopped", True
        try:
            message = f"Fetched {len(self._fetch_iocs())}"
            in_error = False
        except Exception as err:  # noqa: BLE001 - the run's top (ERR-014)
            self.helper.connector_logger.error("Run stopped")
            self.helper.api.work.report_expectation(
                work_id, {"error": str(err), "source": "CONNECTOR"}
            )
        finally:
            self.helper.api.work.to_processed(
                work_id, message, in_error=in_error
            )

    def _fetch_iocs(self) -> list[str]:
        token = self.settings.token.get_secret_value()
        return fetch_iocs(token, self.settings.limit)


# --8<-- [end:example]
def start(deployment: dict[str, str]) -> list[str]:
    """Start the connector in a child process, as its container does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCE_")}
    child = subprocess.run(
        [sys.executable, __file__, "child"],
        env=env | deployment,
        capture_output=True,
        text=True,
        check=False,
    )
    output = child.stdout.splitlines() + child.stderr.splitlines()
    return [f"exit code {child.returncode}", *output]


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:  # the connector's main(), in its container
        try:
            settings = load_settings()
        except ConfigError as err:
            sys.exit(f"ConfigError: {err}")  # exit code 1: no helper, no work
        print(settings)  # SecretStr shows no token
        helper = RecordingHelper(log_level="ERROR")  # OpenCTIConnectorHelper
        Connector(helper, settings).process()
        print("\n".join(helper.operations()))  # what OpenCTI received
        sys.exit(0)
    output = [line for deployment in DEPLOYMENTS for line in start(deployment)]
    for line in output:
        print(line)
        #> exit code 1
        #> ConfigError: 2 setting(s) to fix
        #> - SOURCE_TOKEN: has a space or a line break
        #>   expected: the source's API key, with no space or line break
        #> - SOURCE_LIMIT: Field required
        #>   expected: a whole number above 0, e.g. 100
        #> exit code 1
        #> ConfigError: 1 setting(s) to fix
        #> - SOURCE_LIMIT: Input should be greater than 0
        #>   expected: a whole number above 0, e.g. 100
        #> exit code 0
        #> token=SecretStr('**********') limit=50
        #> workAdd name='Source run'
        #> workToProcessed id='work-1' message='Fetched 50' inError=False
    print("token in the output:", TOKEN in "\n".join(output))
    #> token in the output: False
    try:  # without from None, ConfigError's traceback shows this error too
        SourceSettings.model_validate({"token": f"{TOKEN}\n"})
    except ValidationError as err:
        print("token in pydantic's message:", TOKEN in str(err))
        #> token in pydantic's message: True
