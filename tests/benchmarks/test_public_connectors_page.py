"""The public connectors page: rendered from the committed results and their judgements."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from benchmarks.lint_corpus import RESULTS_FILE
from benchmarks.lint_recall import PROBE_FILE, load_probe
from connector_lint.codes import CODES
from site_hooks.public_connectors import (
    JUDGEMENTS_FILE,
    VERDICTS,
    judged,
    render,
)
from tests.doc_sources import DOCS

RESULTS = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
JUDGEMENTS = json.loads(JUDGEMENTS_FILE.read_text(encoding="utf-8"))
PROBE = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
ROW = re.compile(
    r"^\| \[(?P<code>OCE\d+)\].*"
    r"\| (?:(?P<right>\d+) of (?P<judged>\d+) \(\d+%\)|nothing to judge) "
    r"\| (?P<recall>\d+ of \d+ \(\d+%\)|none listed) \|$",
    re.M,
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
    rows = {
        m["code"]: (int(m["right"] or 0), int(m["judged"] or 0), m["recall"])
        for m in ROW.finditer(text)
    }
    recall = RESULTS["recall"]["codes"]
    # The codes found, then those only the probe lists breaches of.
    assert list(rows) == [
        *RESULTS["codes"],
        *sorted(set(recall) - set(RESULTS["codes"])),
    ]
    for code, (right, total, recalled) in rows.items():
        mine = [j for j in JUDGEMENTS if j["code"] == code]
        assert total == len(mine)
        assert right == sum(j["verdict"] == "true positive" for j in mine)
        if code in recall:
            assert recalled.startswith(
                f"{recall[code]['reported']} of {recall[code]['listed']} ("
            )
        else:
            assert recalled == "none listed"


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


def _results_with_recall(tmp_path: Path, recall: dict[str, Any]) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({**RESULTS, "recall": recall}), encoding="utf-8")
    return path


def _probe_file(tmp_path: Path, breaches: list[dict[str, Any]]) -> Path:
    path = tmp_path / "recall.json"
    path.write_text(json.dumps({**PROBE, "breaches": breaches}), encoding="utf-8")
    return path


def test_recall_is_shown_next_to_precision_with_what_was_read(tmp_path: Path) -> None:
    a, b = "external-import/anyrun-feed/src/main.py", "stream/arcsight/src/main.py"
    breaches = [
        {"path": a, "line": 4, "code": "OCE002", "note": "work left open on a stop"},
        {"path": b, "line": 9, "code": "OCE002", "note": "closed only on success"},
        {"path": b, "line": 12, "code": "OCE002", "note": "closed at the try's end"},
        {"path": a, "line": 7, "code": "OCE007", "note": "clause never reached"},
    ]
    recall = {
        "seed": PROBE["seed"],
        "connectors": PROBE["connectors"],
        "codes": {
            "OCE002": {"listed": 3, "reported": 2},
            "OCE007": {"listed": 1, "reported": 0},
        },
        "missed": [
            {"path": b, "line": 12, "code": "OCE002"},
            {"path": a, "line": 7, "code": "OCE007"},
        ],
    }
    text = render(
        _results_with_recall(tmp_path, recall),
        JUDGEMENTS_FILE,
        _probe_file(tmp_path, breaches),
    )
    rows = {m["code"]: m["recall"] for m in ROW.finditer(text)}
    assert rows["OCE002"] == "2 of 3 (66%)"
    assert rows["OCE006"] == "none listed"
    # A code with listed breaches and no finding over the corpus gets its row.
    assert (
        "| [OCE007](checks.md#oce007) | [ERR-003](basics/specific_first.md#err-003) "
        "| 0 | 0 | nothing to judge | 0 of 1 (0%) |"
    ) in text
    read = len(PROBE["connectors"])
    summary = (
        f"of the 4 breaches listed by reading {read} connectors whole, it reports 2."
    )
    assert summary in text
    assert f"drawn at random with the seed {PROBE['seed']}" in text
    for connector, lines in PROBE["connectors"].items():
        assert f"- `{connector}`: {lines} lines" in text
    assert "L12): closed at the try's end (**missed**)" in text
    assert "L9): closed only on success (reported)" in text


def test_results_whose_recall_is_not_the_probes_fail_the_build(tmp_path: Path) -> None:
    stale = {**RESULTS["recall"], "codes": {"OCE002": {"listed": 1, "reported": 1}}}
    with pytest.raises(
        PluginError, match="was not computed from lint_corpus_recall.json"
    ):
        render(_results_with_recall(tmp_path, stale), JUDGEMENTS_FILE)


def test_a_malformed_probe_fails_the_build_naming_the_breach(tmp_path: Path) -> None:
    wrong = [{**PROBE["breaches"][0], "code": "OCE099"}]
    with pytest.raises(PluginError, match="breach 0: 'OCE099' is not a rule's code"):
        render(RESULTS_FILE, JUDGEMENTS_FILE, _probe_file(tmp_path, wrong))


def test_every_code_on_the_page_says_what_fixing_it_gains() -> None:
    text = render(RESULTS_FILE, JUDGEMENTS_FILE)
    for code in {*RESULTS["codes"], *RESULTS["recall"]["codes"]}:
        section = text.split(f"### {code} ")[1].split("\n### ")[0]
        assert f"**What fixing them gains.** {CODES[code].gains}" in section


def test_the_committed_probe_is_listed_on_the_page() -> None:
    text = render(RESULTS_FILE, JUDGEMENTS_FILE)
    for breach in load_probe(PROBE_FILE).breaches:
        assert f"{breach.path}:{breach.line}`]" in text
