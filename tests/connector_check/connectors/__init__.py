"""The small connectors, and how a test starts one under connector-check."""

import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]
# The small connectors import the project's tests package, from wherever pytest runs.
IMPORTABLE = ("--env", f"PYTHONPATH={ROOT}")


def small(name: str) -> list[str]:
    """The command that runs the small connector ``name``."""
    return [sys.executable, "-m", f"{__name__}.{name}"]
