"""What the checker reports on a code's own examples, as ``--select CODE`` would.

Each code is checked alone on its ``bad.py`` and ``good.py``, as pylint documents each
message, so an example may break other rules too without its code's findings changing.
"""

from __future__ import annotations

from connector_lint.codes import CodeFolder
from connector_lint.findings import Finding
from connector_lint.runner import check_source

EXAMPLES = ("bad.py", "good.py")


def own_findings(folder: CodeFolder, example: str) -> list[Finding]:
    """The findings of ``folder``'s code alone in its ``example``, shown at its path."""
    if example not in EXAMPLES:
        raise ValueError(f"no example {example!r}: a code's examples are {EXAMPLES}")
    source = folder.text(example)
    found = check_source(source, f"{folder.path}/{example}")
    return [finding for finding in found if finding.code == folder.code]
