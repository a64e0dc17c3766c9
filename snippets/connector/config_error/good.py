"""Do: check every setting at start-up and raise one ConfigError that says what to fix."""

import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

DEPLOYMENTS = [
    {"SOURCE_TOKEN": "5f2b9c0e7a1d4e6f"},  # SOURCE_LIMIT forgotten
    {"SOURCE_TOKEN": "5f2b9c0e7a1d4e6f\n", "SOURCE_LIMIT": "fifty"},
    {"SOURCE_TOKEN": "5f2b9c0e7a1d4e6f", "SOURCE_LIMIT": "50"},
]


class ConfigError(Exception):
    """A setting is missing or invalid: only the operator can fix it."""


@dataclass(frozen=True)
class Settings:
    source_token: str = field(repr=False)  # never in a repr, a log line or an error
    source_limit: int


def load_settings(env: Mapping[str, str]) -> Settings:
    problems = []
    token = env.get("SOURCE_TOKEN", "")
    if not token:
        problems.append("SOURCE_TOKEN (source.token) is missing: set the feed API key")
    elif not token.isalnum():  # (1)!
        problems.append(
            "SOURCE_TOKEN (source.token) has a space or line break: remove it"
        )
    limit = env.get("SOURCE_LIMIT", "")
    if not limit.isdigit():
        problems.append("SOURCE_LIMIT (source.limit) must be set to a number, e.g. 100")
    if problems:  # every problem at once: one restart fixes them all
        raise ConfigError(
            "\n- ".join([f"{len(problems)} setting(s) to fix", *problems])
        )
    return Settings(source_token=token, source_limit=int(limit))


def start(index: int) -> list[str]:
    """Start the connector as a child process, as a container would."""
    cmd = [sys.executable, __file__, "child", str(index)]
    child = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return [
        f"exit code {child.returncode}",
        *(child.stdout + child.stderr).splitlines(),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:  # the child: the connector's main.py
        try:
            settings = load_settings(DEPLOYMENTS[int(sys.argv[2])])
        except ConfigError as err:
            sys.exit(f"ConfigError: {err}")  # exit code 1, before any work is opened
        print(settings)  # then create the helper, open a work, run...
        sys.exit(0)
    for line in start(0) + start(1) + start(2):
        print(line)
        #> exit code 1
        #> ConfigError: 1 setting(s) to fix
        #> - SOURCE_LIMIT (source.limit) must be set to a number, e.g. 100
        #> exit code 1
        #> ConfigError: 2 setting(s) to fix
        #> - SOURCE_TOKEN (source.token) has a space or line break: remove it
        #> - SOURCE_LIMIT (source.limit) must be set to a number, e.g. 100
        #> exit code 0
        #> Settings(source_limit=50)
