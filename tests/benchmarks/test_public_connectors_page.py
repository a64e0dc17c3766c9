"""The public connectors page: rendered from the committed results and their judgements."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from benchmarks.lint_corpus import RESULTS_FILE
from site_hooks.public_connectors import (
    JUDGEMENTS_FILE,
    VERDICTS,
    judged,
    render,
)
from tests.doc_sources import DOCS

RESULTS = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
JUDGEMENTS = json.loads(JUDGEMENTS_FILE.read_text(encoding="utf-8"))
ROW = re.compile(
    r"^\| \[(?P<code>OCE\d+)\].*\| (?P<right>\d+) of (?P<judged>\d+) \(", re.M
)


def test_every_sampled_finding_is_judged_once_with_a_reason() -> None:
    keys = [(j["path"], j["line"], j["code"]) for j in JUDGEMENTS]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(f["path"], f["line"], f["code"]) for f in RESULTS["sample"]}
    for judgement in JUDGEMENTS:
        assert judgement["verdict"] in VERDICTS
        assert 0 < len(judgement["reason"]) <= 200


def test_one_row_per_code_with_the_precision_its_judgements_give() -> None:
    text = render(RESULTS_FILE, JUDGEMENTS_FILE)
    rows = {m["code"]: (int(m["right"]), int(m["judged"])) for m in ROW.finditer(text)}
    assert list(rows) == list(RESULTS["codes"])
    for code, (right, total) in rows.items():
        mine = [j for j in JUDGEMENTS if j["code"] == code]
        assert total == len(mine)
        assert right == sum(j["verdict"] == "true positive" for j in mine)


def test_cited_lines_link_the_public_repository_at_the_checked_commit() -> None:
    text = render(RESULTS_FILE, JUDGEMENTS_FILE)
    commit = RESULTS["commit"]
    links = re.findall(r"\]\((https://github\.com/[^)]+)\)", text)
    assert links
    for link in links:
        assert link.startswith(
            f"https://github.com/OpenCTI-Platform/connectors/blob/{commit}/"
        )
        assert re.search(r"#L\d+$", link)
    assert "templates/external-import/src/connector/connector.py:189" in text


def _judgements_file(tmp_path: Path, judgements: list[dict[str, Any]]) -> Path:
    path = tmp_path / "judgements.json"
    path.write_text(json.dumps(judgements), encoding="utf-8")
    return path


def test_a_sampled_finding_left_unjudged_fails_the_build(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="must judge every sampled finding"):
        render(RESULTS_FILE, _judgements_file(tmp_path, JUDGEMENTS[1:]))


def test_an_unknown_verdict_fails_the_build() -> None:
    wrong = [{**JUDGEMENTS[0], "verdict": "maybe"}, *JUDGEMENTS[1:]]
    with pytest.raises(PluginError, match="unknown verdict 'maybe'"):
        judged(RESULTS, wrong)


def test_unreadable_judgements_say_how_to_remake_them(tmp_path: Path) -> None:
    broken = tmp_path / "judgements.json"
    broken.write_text("[", encoding="utf-8")
    with pytest.raises(PluginError, match="rerun `nox -s lint_corpus -- PATH`"):
        render(RESULTS_FILE, broken)


def test_the_page_has_its_marker() -> None:
    assert "<!-- public-connectors -->" in (DOCS / "public_connectors.md").read_text()


def test_the_codes_under_the_precision_goal_are_named() -> None:
    text = render(RESULTS_FILE, JUDGEMENTS_FILE)
    below = [
        code
        for code in RESULTS["codes"]
        if sum(j["verdict"] == "true positive" for j in JUDGEMENTS if j["code"] == code)
        < 0.9 * sum(j["code"] == code for j in JUDGEMENTS)
    ]
    expected = (
        f"to be changed or removed: {', '.join(below)}."
        if below
        else "Every code is right on at least 90% of its sample."
    )
    assert expected in text
