"""What a rule page shows of a snippet: the lines to copy, what they print, the whole file.

A page includes the named section of a *Don't* or *Do* script::

    ```python title="snippets/basics/small_try/bad.py"
    --8<-- "snippets/basics/small_try/bad.py:example"
    ```

and this hook makes that block three:

1. the section, with the lines it does not share with the other script of the pair
   (``bad.py`` against ``good.py``, section against section) highlighted: the difference is
   computed here, at every build, so no page holds a line number;
2. an "Output" block: the script's ``#>`` lines, which the snippet tests check against
   what it really prints;
3. the whole script, folded behind "Full script": the scaffolding that makes it run.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
# The section of a Don't / Do script a rule page shows.
SHOWN_SECTION = "example"
PAIR = {"bad.py": "good.py", "good.py": "bad.py"}
SECTION_INCLUDE = re.compile(
    r"^(?P<indent>[ \t]*)```python(?P<attrs>[^\n]*)\n"
    r'(?P=indent)--8<-- "(?P<path>snippets/[\w/]+/(?:bad|good)\.py):(?P<section>[\w-]+)"\n'
    r"(?P=indent)```[ \t]*$",
    re.MULTILINE,
)
SECTION_MARKER = re.compile(r"^[ \t]*# --8<-- \[(?:start|end):[\w-]+\][ \t]*$")
# What a line carries for the page only: Material's "# (1)!" and the "# [CODE]" finding
# marks. Two lines that differ in these alone say the same thing.
PAGE_MARKS = re.compile(
    r"[ \t]*#[ \t]*(?:\(\d+\)!|\[[A-Z]+\d+(?:,[ \t]*[A-Z]+\d+)*\]).*$"
)
OUTPUT_LINE = re.compile(r"^[ \t]*#> ?(?P<text>.*)$")
ANNOTATION = re.compile(r"[ \t]*# \(\d+\)!(?=[ \t]*$)")


def section_lines(text: str, name: str) -> list[str]:
    """The lines of section ``name`` as pymdownx.snippets includes it: markers dropped."""
    lines = text.splitlines()
    start, end = f"# --8<-- [start:{name}]", f"# --8<-- [end:{name}]"
    stripped = [line.strip() for line in lines]
    if start not in stripped or end not in stripped:
        raise LookupError(f"no section {name!r}: mark it with {start!r} and {end!r}")
    first, last = stripped.index(start), stripped.index(end)
    return [line for line in lines[first + 1 : last] if not SECTION_MARKER.match(line)]


def output_lines(text: str) -> list[str]:
    """What the script prints, as its ``#>`` lines say, in the order of the file."""
    return [m["text"] for line in text.splitlines() if (m := OUTPUT_LINE.match(line))]


def changed_lines(shown: list[str], other: list[str]) -> list[int]:
    """The 1-based numbers of the lines of ``shown`` that ``other`` does not have."""
    matcher = difflib.SequenceMatcher(
        a=[_meaning(line) for line in other],
        b=[_meaning(line) for line in shown],
        autojunk=False,
    )
    changed: list[int] = []
    for tag, _, _, first, last in matcher.get_opcodes():
        if tag != "equal":
            changed.extend(
                number
                for number in range(first + 1, last + 1)
                if shown[number - 1].strip()
            )
    return changed


def _meaning(line: str) -> str:
    return PAGE_MARKS.sub("", line).rstrip()


def full_script(text: str) -> str:
    """The whole file as the page shows it: no section or annotation markers."""
    lines = [line for line in text.splitlines() if not SECTION_MARKER.match(line)]
    return "\n".join(ANNOTATION.sub("", line) for line in lines)


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    pieces, position = [], 0
    for match in SECTION_INCLUDE.finditer(markdown):
        try:
            text = (ROOT / match["path"]).read_text(encoding="utf-8")
            code, extra = _code(match, text), _blocks(match, text)
        except (LookupError, OSError) as err:
            raise PluginError(f"{page.file.src_uri}: {match['path']}: {err}") from err
        # Material wants a block's annotation list right under it: the new blocks follow.
        end = _after_annotations(markdown, match.end(), match["indent"])
        pieces += [markdown[position : match.start()], code]
        pieces += [markdown[match.end() : end], "\n", extra]
        position = end
    pieces.append(markdown[position:])
    return "".join(pieces)


def _after_annotations(markdown: str, start: int, indent: str) -> int:
    """Where the annotation list under a code block ends (``start`` when there is none)."""
    item = re.compile(rf"{re.escape(indent)}\d+\.[ \t]")
    continuation = indent + "    "
    end = position = start
    in_list = False
    for line in markdown[start:].split("\n")[1:]:
        position += len(line) + 1
        if not line.strip():
            continue
        if item.match(line):
            in_list = True
        elif not (in_list and line.startswith(continuation)):
            break
        end = position
    return end


def _code(match: re.Match[str], text: str) -> str:
    indent, path, section = match["indent"], match["path"], match["section"]
    script = ROOT / path
    pair = script.with_name(PAIR[script.name])
    shown = section_lines(text, section)
    changed = changed_lines(shown, section_lines(pair.read_text("utf-8"), section))
    highlight = f' hl_lines="{" ".join(map(str, changed))}"' if changed else ""
    return (
        f"{indent}```python{match['attrs']}{highlight}\n"
        f'{indent}--8<-- "{path}:{section}"\n'
        f"{indent}```"
    )


def _blocks(match: re.Match[str], text: str) -> str:
    indent, path = match["indent"], match["path"]
    printed = output_lines(text)
    if not printed:
        raise LookupError("no #> lines: put what the script prints under its print()")
    inner = indent + "    "
    output = _indented(printed, inner)
    script = _indented(full_script(text).splitlines(), inner)
    return (
        f'\n{indent}!!! output "Output"\n\n'
        f"{inner}```text\n{output}\n{inner}```\n\n"
        f'{indent}??? example "Full script: `python {path}`"\n\n'
        f'{inner}```python title="{path}"\n{script}\n{inner}```\n'
    )


def _indented(lines: list[str], indent: str) -> str:
    """Lines inside an admonition; blank ones stay empty, as Markdown wants them."""
    return "\n".join(f"{indent}{line}" if line else "" for line in lines)
