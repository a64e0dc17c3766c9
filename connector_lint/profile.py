"""The ruff profile shipped with the checker, and what each of its codes flags.

The profile's comments are the descriptions: ``"BLE001",  # except Exception that ...``.
The rule pages and the Checks page show them, so a code can't be added without one.
"""

from __future__ import annotations

import re
from importlib import resources

PROFILE_FILE = "ruff-profile.toml"
SELECTED = re.compile(r'^\s*"(?P<code>[A-Z]+\d+)",\s*#\s*(?P<what>\S.*)$', re.MULTILINE)


def profile_text() -> str:
    return resources.files("connector_lint").joinpath(PROFILE_FILE).read_text("utf-8")


def ruff_descriptions() -> dict[str, str]:
    """What each code the profile selects flags, from its comment, in the profile's order."""
    return {match["code"]: match["what"] for match in SELECTED.finditer(profile_text())}
