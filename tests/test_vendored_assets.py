"""The vendored Mermaid is the version its note records, licensed, and the one the site loads."""

from __future__ import annotations

import hashlib
import re

from tests.doc_sources import DOCS, ROOT

MERMAID = DOCS / "assets" / "vendor" / "mermaid"


def _recorded(field: str) -> str:
    note = (MERMAID / "VENDORED.txt").read_text(encoding="utf-8")
    match = re.search(rf"^{field}: (\S+)$", note, re.MULTILINE)
    assert match is not None, f"VENDORED.txt has no '{field}:' line"
    return match[1]


def test_mermaid_file_is_the_one_recorded() -> None:
    digest = hashlib.sha256((MERMAID / "mermaid.min.js").read_bytes()).hexdigest()
    assert digest == _recorded("sha256")


def test_mermaid_is_pinned_to_a_major_version_material_supports() -> None:
    # Material 9 asks for mermaid@11 when it loads Mermaid itself.
    assert re.fullmatch(r"11\.\d+\.\d+", _recorded("version"))


def test_mermaid_license_is_kept_beside_it() -> None:
    assert (
        (MERMAID / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("The MIT License (MIT)")
    )


def test_the_site_loads_the_vendored_copy() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(
        r"^extra_javascript:\n  - assets/vendor/mermaid/mermaid\.min\.js$",
        config,
        re.MULTILINE,
    )
