"""The commands the README gives, read from its fenced blocks.

A block the README names with ``<!-- command: NAME -->`` on the line before its opening
fence is a command a user types as written; `.ci/run` runs the one named ``test`` by
reading it from here, so that CI and the README cannot drift apart.

``python3 -m ci_tools.readme_commands NAME`` prints the command named NAME.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
# The marker line, then a ```sh block: the block's lines are the command.
NAMED_BLOCK = re.compile(
    r"^<!-- command: (?P<name>[a-z][a-z0-9-]*) -->\n```sh\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


class ReadmeCommandError(Exception):
    """The README has no such command, or names one twice."""


def readme_commands(text: str) -> dict[str, str]:
    """Each named command of a README: name -> the block's text, without its last newline."""
    commands: dict[str, str] = {}
    for match in NAMED_BLOCK.finditer(text):
        name = match["name"]
        if name in commands:
            raise ReadmeCommandError(
                f"the README names two blocks '{name}': rename one of the "
                f"'<!-- command: {name} -->' markers"
            )
        commands[name] = match["body"].rstrip("\n")
    return commands


def readme_command(name: str, readme: Path = README) -> str:
    commands = readme_commands(readme.read_text(encoding="utf-8"))
    if name not in commands:
        known = ", ".join(sorted(commands)) or "none"
        raise ReadmeCommandError(
            f"{readme.name} has no command '{name}' (it names: {known}); put "
            f"'<!-- command: {name} -->' on the line before the block's ```sh fence"
        )
    return commands[name]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 -m ci_tools.readme_commands NAME", file=sys.stderr)
        return 2
    try:
        print(readme_command(argv[0]))
    except ReadmeCommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
