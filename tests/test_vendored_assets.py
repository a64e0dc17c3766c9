"""The vendored Mermaid is the version its note records, licensed, and the one that draws."""

from __future__ import annotations

import hashlib
import re

from site_hooks.diagrams import MERMAID_JS
from tests.doc_sources import ROOT

MERMAID = ROOT / "site_hooks" / "vendor" / "mermaid"


def _recorded(field: str) -> str:
    note = (MERMAID / "VENDORED.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{field}: (\S+)$", note, re.MULTILINE)
    assert match is not None, f"VENDORED.txt has no '{field}:' line"
    return match[1]


def test_mermaid_file_is_the_one_recorded() -> None:
    digest = hashlib.sha256((MERMAID / "mermaid.min.js").read_bytes()).hexdigest()
    assert digest == _recorded("sha256")


def test_mermaid_is_pinned_to_a_major_version_material_supports() -> None:
    # The diagrams' theme is Material 9's, written for mermaid@11.
    assert re.fullmatch(r"11\.\d+\.\d+", _recorded("version"))


def test_mermaid_license_is_kept_beside_it() -> None:
    assert (
        (MERMAID / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("The MIT License (MIT)")
    )


def test_the_build_draws_with_the_vendored_copy() -> None:
    assert MERMAID_JS == MERMAID / "mermaid.min.js"


def test_no_page_loads_mermaid() -> None:
    # The diagrams are SVG by the time a page is built; the script is no asset of the site.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "mermaid.min.js" not in config
    assert not list((ROOT / "docs").rglob("mermaid*.js"))
