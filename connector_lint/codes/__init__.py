"""Each connector-lint code in one folder, as ruff keeps a rule with its documentation.

``oce003/`` holds everything about OCE003: ``code.toml`` (its title, the few words a finding,
the SARIF rule and the Checks page show, and its kind), ``details.md`` (what the check
recognises, why, and where it stops), ``bad.py`` (code it flags, each such line marked with a
``# [OCE003]`` comment), ``good.py`` (the fix, which it leaves alone) and, for a rule's
code, ``gains.md`` (what a connector's maintainer gains by fixing its breaches, which the
public connectors page shows). ``CHECKS`` and
``RUN_CODES`` (``connector_lint.findings``) are read from these folders, and the Checks page
is made of them. The folders are read as package data, so the installed checker has them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

FOLDER_NAME = re.compile(r"^oce\d{3}$")
# Python's byte-code cache, the one folder here that is no code's.
CACHES = {"__pycache__"}
# A code is a breach of a rule (snippets/rules.py says which one), or about the run itself.
KINDS = ("rule", "run")
KEYS = {"title", "kind"}
FILES = ("code.toml", "details.md", "bad.py", "good.py")
# Only a rule's code has breaches to fix in the public connectors.
RULE_FILES = ("gains.md",)


class CodeFolderError(ValueError):
    """A code's folder is missing a file, or its code.toml is not as described above."""


@dataclass(frozen=True)
class CodeFolder:
    code: str
    title: str
    kind: str
    folder: Traversable

    @property
    def path(self) -> str:
        """Where the folder is in the repository: ``connector_lint/codes/oce003``."""
        return f"connector_lint/codes/{self.folder.name}"

    def text(self, name: str) -> str:
        """One of the folder's files: ``details.md``, ``bad.py``, ``good.py``, ``gains.md``."""
        return self.folder.joinpath(name).read_text(encoding="utf-8")

    @property
    def gains(self) -> str:
        """What fixing this rule code's breaches gains, as one paragraph."""
        return " ".join(self.text("gains.md").split())


def read_codes(root: Traversable | None = None) -> dict[str, CodeFolder]:
    """Every code's folder under ``root`` (this package by default), in code order."""
    root = root or resources.files(__name__)
    folders = sorted(
        (
            entry
            for entry in root.iterdir()
            if entry.is_dir() and entry.name not in CACHES
        ),
        key=lambda entry: entry.name,
    )
    misnamed = [folder.name for folder in folders if not FOLDER_NAME.match(folder.name)]
    if misnamed:
        raise CodeFolderError(
            f"connector_lint/codes/{misnamed[0]} is not named as a code's folder: "
            "name it after its code in lower case, oce003 for OCE003"
        )
    return {folder.name.upper(): _read(folder) for folder in folders}


def _read(folder: Traversable) -> CodeFolder:
    where = f"connector_lint/codes/{folder.name}"
    missing = [name for name in FILES if not folder.joinpath(name).is_file()]
    if missing:
        raise CodeFolderError(
            f"{where} has no {', '.join(missing)}: each code's folder holds "
            f"{', '.join(FILES)}"
        )
    try:
        table = tomllib.loads(folder.joinpath("code.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CodeFolderError(f"{where}/code.toml is not valid TOML: {err}") from err
    if set(table) != KEYS:
        raise CodeFolderError(
            f"{where}/code.toml must set exactly {', '.join(sorted(KEYS))} "
            f"(it sets {', '.join(sorted(table)) or 'nothing'})"
        )
    title, kind = table["title"], table["kind"]
    if not isinstance(title, str) or not title.strip():
        raise CodeFolderError(f"{where}/code.toml: title must be a non-empty string")
    if kind not in KINDS:
        raise CodeFolderError(
            f"{where}/code.toml: kind must be one of {', '.join(map(repr, KINDS))}, "
            f"not {kind!r}"
        )
    if kind == "rule" and not folder.joinpath(RULE_FILES[0]).is_file():
        raise CodeFolderError(
            f"{where} has no {RULE_FILES[0]}: a rule's code says there what fixing its "
            "breaches gains (the public connectors page shows it)"
        )
    return CodeFolder(folder.name.upper(), title, kind, folder)


CODES = read_codes()
