"""Don't: suppress a finding without saying why the rule does not apply."""

import sys
from pathlib import Path


def read_config(path: Path) -> str:
    """The connector's command-line helper: it ends with one clear line."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        print(f"cannot read {path}: {err.strerror}", file=sys.stderr)
        sys.exit(2)  # [OCE900] # connector-lint: ignore[OCE008]
