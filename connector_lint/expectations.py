"""The findings a file says it must produce, written as comments in the style of pylint's
message documentation: ``# [BLE001, OCE004]`` at the start of a line's comment names the
codes, ruff's and connector-lint's, that must be reported on that line, and no others.

The site's "Don't" snippets carry these; the tests hold ruff (with the profile) and the
checker to them, and the Checks page takes its examples of ruff's codes from them.
"""

from __future__ import annotations

import io
import re
import tokenize

EXPECTED = re.compile(r"^#\s*\[(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)\]")


def expected_findings(source: str) -> list[tuple[int, str]]:
    """``(line, code)`` for each code annotated in ``source``, in order."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        match = EXPECTED.match(token.string) if token.type == tokenize.COMMENT else None
        if match is not None:
            line = token.start[0]
            found += [(line, code.strip()) for code in match["codes"].split(",")]
    return found
