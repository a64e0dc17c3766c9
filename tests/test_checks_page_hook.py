"""The Checks page's hook on its own: each code's section made of its folder, and the build
refused when a code and the folders disagree."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from connector_lint import findings
from connector_lint.codes import CODES
from connector_lint.codes.examples import own_findings
from site_hooks import checks

MARKERS = "".join(f"<!-- check: {code} -->\n\n" for code in CODES)


def _render(markdown: str) -> str:
    page: Any = SimpleNamespace(file=SimpleNamespace(src_uri="checks.md"))
    return checks.on_page_markdown(markdown, page, None, None)  # type: ignore[arg-type]


def test_a_code_s_section_is_its_folder() -> None:
    folder = CODES["OCE003"]
    (finding,) = own_findings(folder, "bad.py")
    assert checks.section(folder) == (
        "### OCE003 · except handler returns a sentinel value { #oce003 }\n\n"
        "**Rule:** [ERR-007 Raise instead of returning sentinel values]"
        "(basics/no_sentinels.md#err-007)\n\n"
        f"{folder.text('details.md').strip()}\n\n"
        '=== "Don\'t"\n\n'
        '    ```python title="connector_lint/codes/oce003/bad.py"\n'
        '    --8<-- "connector_lint/codes/oce003/bad.py"\n    ```\n\n'
        '=== "Do"\n\n'
        '    ```python title="connector_lint/codes/oce003/good.py"\n'
        '    --8<-- "connector_lint/codes/oce003/good.py"\n    ```\n\n'
        "Example finding, from the *Don't* above:\n\n"
        f"```text\n{finding.render()}\n```\n\n"
        "**Suppress it** on the line it points at, with the reason: "
        "`# connector-lint: ignore[OCE003] why the rule does not apply here`."
    )
    assert finding.render().startswith("connector_lint/codes/oce003/bad.py:9:9: OCE003")


def test_a_run_code_s_section_says_it_is_no_rule() -> None:
    section = checks.section(CODES["OCE900"])
    assert section.startswith(
        "### OCE900 · suppression without a reason { #oce900 }\n\n"
        "Not a rule: it is about the run itself.\n\n"
    )
    assert section.endswith("It can't be suppressed: fix what it points at.")


def test_every_marker_becomes_its_code_s_section() -> None:
    page = _render(f"# Checks\n\n{MARKERS}<!-- ruff-codes -->\n")
    assert "<!-- check:" not in page
    assert [line for line in page.splitlines() if line.startswith("### ")] == [
        f"### {code} · {folder.title} {{ #{code.lower()} }}"
        for code, folder in CODES.items()
    ]


def test_a_code_without_its_marker_fails_the_build() -> None:
    markdown = MARKERS.replace("<!-- check: OCE005 -->\n", "") + "<!-- ruff-codes -->\n"
    with pytest.raises(
        PluginError,
        match=r"checks.md needs one '<!-- check: CODE -->' line for each of",
    ):
        _render(markdown)


def test_a_code_without_a_folder_fails_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks_without = {c: t for c, t in findings.CHECKS.items() if c != "OCE007"}
    monkeypatch.setattr(findings, "CHECKS", checks_without)
    with pytest.raises(
        PluginError,
        match=r"^OCE007 has no folder connector_lint/codes/oce007/ of kind 'rule'$",
    ):
        _render(f"{MARKERS}<!-- ruff-codes -->\n")
