"""What the pages include and which snippet files exist: shared by the doc tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
# Each code's details, which the Checks page shows (site_hooks/checks.py).
CODE_DETAILS = sorted((ROOT / "connector_lint" / "codes").glob("*/details.md"))
CHECKS_PAGE = DOCS / "checks.md"

# Modules of the snippets package that are infrastructure, not samples shown on a page.
NOT_SHOWN = {SNIPPETS / "rules.py"}
# What the samples run on (pycti's parts, wired for them): shown on its page, not a sample.
RECORDING_HELPER = SNIPPETS / "recording_helper.py"
# The example connector: a package shown file by file, tested by its own unit and e2e tests.
EXAMPLE_CONNECTOR = SNIPPETS / "example_connector"

# `--8<-- "path"` or `--8<-- "path:section"`, as pymdownx.snippets reads it in a page.
INCLUDE = re.compile(
    r'^(?P<indent>\s*)-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$', re.MULTILINE
)
SECTION_START = "# --8<-- [start:{}]"
SECTION_END = "# --8<-- [end:{}]"
SECTION_MARKER = re.compile(
    r"^[ \t]*# --8<-- \[(?:start|end):[\w-]+\][ \t]*\n", re.MULTILINE
)


@dataclass(frozen=True)
class Include:
    page: Path  # the page that shows it
    line: int
    path: Path
    section: str | None
    # The file the include line is written in, when not the page: a code's details.md.
    written_in: Path | None = None

    def __str__(self) -> str:
        where = f"{(self.written_in or self.page).relative_to(ROOT)}:{self.line}"
        target = self.path.relative_to(ROOT).as_posix()
        return f"{where} -> {target}" + (f":{self.section}" if self.section else "")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def includes() -> list[Include]:
    """Every include of the pages, and of the codes' details the Checks page shows."""
    sources: list[tuple[Path, Path | None]] = [(page, None) for page in pages()]
    sources += [(CHECKS_PAGE, details) for details in CODE_DETAILS]
    found = []
    for page, written_in in sources:
        text = (written_in or page).read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            target, _, section = match["target"].partition(":")
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                Include(page, line, ROOT / target, section or None, written_in)
            )
    return found


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if p.name != "__init__.py")


def snippet_files() -> list[Path]:
    """The standalone sample scripts: each runs with ``python file.py`` and shows #> output."""
    return [
        path
        for path in _modules(SNIPPETS)
        if path not in NOT_SHOWN
        and path != RECORDING_HELPER
        and not path.is_relative_to(EXAMPLE_CONNECTOR)
    ]


def shown_files() -> list[Path]:
    """Every file some page must include: the sample scripts and the connector's modules."""
    return [*snippet_files(), RECORDING_HELPER, *_modules(EXAMPLE_CONNECTOR)]


def displayed_text(source: str) -> str:
    """A snippet as the page shows it: pymdownx.snippets drops the section markers."""
    return SECTION_MARKER.sub("", source)
