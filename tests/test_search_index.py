"""Code blocks stay out of the search index every page downloads; the prose stays in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from site_hooks.search_index import exclude_code_blocks


@pytest.fixture(scope="module")
def index_docs(built_site: Path) -> list[dict[str, Any]]:
    index = json.loads(
        (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    docs: list[dict[str, Any]] = index["docs"]
    return docs


def test_every_pre_is_marked_and_nothing_else() -> None:
    page = '<p>a <code>pre</code></p><pre class="x"><code>1</code></pre><pre>2</pre><prelude>'

    assert exclude_code_blocks(page) == (
        '<p>a <code>pre</code></p><pre data-search-exclude class="x"><code>1</code></pre>'
        "<pre data-search-exclude>2</pre><prelude>"
    )


def test_the_index_holds_no_code_block(index_docs: list[dict[str, Any]]) -> None:
    with_code = [doc["location"] for doc in index_docs if "<pre" in doc["text"]]

    assert with_code == []


@pytest.mark.parametrize("word", ["connector_logger", "ERR-008", "DataRetrievalError"])
def test_the_prose_and_its_inline_code_stay(
    index_docs: list[dict[str, Any]], word: str
) -> None:
    assert any(word in doc["text"] for doc in index_docs)


def test_a_line_shown_only_in_code_is_not_indexed(
    index_docs: list[dict[str, Any]],
) -> None:
    # The command of the "Check your own connector" page: in a code block, never in prose.
    assert not any("MY_SOURCE_KEY=test" in doc["text"] for doc in index_docs)
