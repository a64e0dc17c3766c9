"""How a rule page shows a snippet: the section, its differences, its output, the script."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from site_hooks import snippet_blocks
from site_hooks.snippet_blocks import (
    changed_lines,
    full_script,
    on_page_markdown,
    output_lines,
    section_lines,
)

BAD = '''"""Don't."""


# --8<-- [start:example]
def run(helper):
    helper.api.work.to_processed(work_id, "done")  # [OCE002]
    return 1
# --8<-- [end:example]
if __name__ == "__main__":
    print(run(None))
    #> 1
'''
GOOD = '''"""Do."""


# --8<-- [start:example]
def run(helper):
    try:
        step()  # (1)!
    finally:
        helper.api.work.to_processed(work_id, "done")
    return 1
# --8<-- [end:example]
if __name__ == "__main__":
    print(run(None))
    #> 1
    #>
    #> done
'''
PAGE = """=== "Do"

    ```python title="snippets/x/rule/good.py"
    --8<-- "snippets/x/rule/good.py:example"
    ```

    1.  The annotation,
        on two lines.

    2.  And another.

Prose after the tab.
"""


def _page(src_uri: str = "x/rule.md") -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "snippets" / "x" / "rule"
    folder.mkdir(parents=True)
    (folder / "bad.py").write_text(BAD, encoding="utf-8")
    (folder / "good.py").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(snippet_blocks, "ROOT", tmp_path)
    return folder


def test_section_lines_are_what_pymdownx_snippets_includes() -> None:
    assert section_lines(BAD, "example") == [
        "def run(helper):",
        '    helper.api.work.to_processed(work_id, "done")  # [OCE002]',
        "    return 1",
    ]
    with pytest.raises(LookupError, match=r"no section 'copy': mark it with"):
        section_lines(BAD, "copy")


def test_changed_lines_ignore_finding_and_annotation_marks() -> None:
    good = section_lines(GOOD, "example")
    bad = section_lines(BAD, "example")

    # try:, step(), finally: and the indented call are new; def and return are shared.
    assert changed_lines(good, bad) == [2, 3, 4, 5]
    assert changed_lines(bad, good) == [2]
    assert changed_lines(good, good) == []


def test_output_lines_are_the_hash_arrow_lines_in_file_order() -> None:
    assert output_lines(GOOD) == ["1", "", "done"]


def test_full_script_drops_section_and_annotation_markers() -> None:
    shown = full_script(GOOD)
    assert "--8<--" not in shown
    assert "(1)!" not in shown
    assert "        step()\n" in shown


def test_the_page_gets_highlights_then_annotations_then_output_and_script(
    pair: Path,
) -> None:
    markdown = on_page_markdown(PAGE, _page(), {}, None)  # type: ignore[arg-type]

    code, rest = markdown.split("    1.  The annotation,", 1)
    assert code.startswith(
        '=== "Do"\n\n    ```python title="snippets/x/rule/good.py" hl_lines="2 3 4 5"\n'
        '    --8<-- "snippets/x/rule/good.py:example"\n    ```\n'
    )
    # The annotation list stays right under its code block; the new blocks follow it.
    annotations, blocks = rest.split("    2.  And another.\n", 1)
    assert annotations == "\n        on two lines.\n\n"
    assert blocks.startswith('\n    !!! output "Output"\n\n        ```text\n')
    assert "        1\n\n        done\n        ```\n" in blocks
    assert '    ??? example "Full script: `python snippets/x/rule/good.py`"' in blocks
    assert blocks.endswith("        ```\n\n\nProse after the tab.\n")


def test_a_snippet_without_output_fails_the_build_naming_it(pair: Path) -> None:
    (pair / "good.py").write_text(GOOD.replace("#>", "#"), encoding="utf-8")

    with pytest.raises(
        PluginError, match=r"x/rule\.md: snippets/x/rule/good\.py: no #> lines"
    ):
        on_page_markdown(PAGE, _page(), {}, None)  # type: ignore[arg-type]


def test_a_pair_without_the_section_fails_the_build_naming_it(pair: Path) -> None:
    (pair / "bad.py").write_text(BAD.replace("example]", "other]"), encoding="utf-8")

    with pytest.raises(PluginError, match=r"good\.py: no section 'example'"):
        on_page_markdown(PAGE, _page(), {}, None)  # type: ignore[arg-type]
