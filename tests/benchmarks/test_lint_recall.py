"""The recall probe: the seeded draw of the connectors read, the probe file's checks, and the
recall it gives against connector-lint's findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.lint_corpus import RESULTS_FILE
from benchmarks.lint_recall import (
    PROBE_FILE,
    Breach,
    Probe,
    ProbeError,
    check_drawn,
    draw,
    load_probe,
    main,
    probed_connector,
    python_lines,
    recall,
)

from .git_repository import committed, git

A = "external-import/a"
B = "stream/b"


def _lines(count: int) -> str:
    return "x = 1\n" * count


def test_a_connector_counts_its_python_but_not_its_tests_nor_other_folders(
    tmp_path: Path,
) -> None:
    repository = committed(
        tmp_path / "connectors",
        {
            f"{A}/src/main.py": _lines(250),
            f"{A}/src/connector/client.py": _lines(50),
            f"{A}/tests/test_main.py": _lines(400),
            f"{A}/src/README.md": _lines(9),
            f"{B}/src/main.py": _lines(7),
            "shared/tools/x.py": _lines(300),
            "templates/external-import/src/main.py": _lines(300),
        },
    )
    commit = git(repository, "rev-parse", "HEAD")
    assert python_lines(repository, commit) == {A: 300, B: 7}
    assert probed_connector(f"{A}/test/x.py") is None
    assert probed_connector(f"{A}/main.py") == A


def test_the_draw_is_seeded_among_connectors_of_typical_size() -> None:
    lines = {f"external-import/c{n:02}": 200 + 10 * n for n in range(40)}
    lines |= {"stream/tiny": 199, "stream/huge": 501}
    drawn = draw(lines, 7, 5)
    assert draw(lines, 7, 5) == drawn  # anyone repeats it
    assert list(drawn) == sorted(drawn)
    assert all(lines[c] == n and 200 <= n <= 500 for c, n in drawn.items())
    assert draw(lines, 8, 5) != drawn  # drawn, not listed
    assert len(draw(lines, 7, 31)) == 31  # all 31 of 200 to 500 lines
    with pytest.raises(ProbeError, match="only 31 connectors have 200 to 500 lines"):
        draw(lines, 7, 32)


def _probe(*breaches: Breach) -> Probe:
    return Probe(
        commit="c" * 40,
        seed=1,
        count=2,
        read="read whole",
        connectors={A: 300, B: 250},
        breaches=breaches,
    )


def _finding(path: str, line: int, code: str) -> dict[str, Any]:
    return {"path": path, "line": line, "column": 1, "code": code}


def test_recall_counts_the_listed_breaches_reported_at_their_line_and_code() -> None:
    probe = _probe(
        Breach(f"{A}/src/main.py", 10, "OCE002", "work left open"),
        Breach(f"{A}/src/main.py", 20, "OCE002", "work left open"),
        Breach(f"{B}/src/main.py", 5, "OCE002", "work left open"),
        Breach(f"{B}/src/main.py", 8, "OCE010", "stop as success"),
    )
    findings = [
        _finding(f"{A}/src/main.py", 10, "OCE002"),
        _finding(f"{A}/src/main.py", 20, "OCE006"),  # the right line, another code
        _finding(f"{B}/src/main.py", 6, "OCE002"),  # the right code, another line
        _finding(f"{B}/src/main.py", 8, "OCE010"),
        _finding(f"{B}/src/main.py", 30, "OCE005"),  # not listed: not recall's business
    ]
    assert recall(probe, findings) == {
        "seed": 1,
        "connectors": {A: 300, B: 250},
        "codes": {
            "OCE002": {"listed": 3, "reported": 1},
            "OCE010": {"listed": 1, "reported": 1},
        },
        "missed": [
            {"path": f"{A}/src/main.py", "line": 20, "code": "OCE002"},
            {"path": f"{B}/src/main.py", "line": 5, "code": "OCE002"},
        ],
    }


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "commit": "c" * 40,
        "seed": 1,
        "count": 2,
        "read": "read whole",
        "connectors": {A: 300, B: 250},
        "breaches": [
            {"path": f"{A}/src/main.py", "line": 3, "code": "OCE002", "note": "open"}
        ],
    }
    return document | changes


def _written(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "recall.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_well_formed_probe_loads(tmp_path: Path) -> None:
    probe = load_probe(_written(tmp_path, _document()))
    assert probe.breaches == (Breach(f"{A}/src/main.py", 3, "OCE002", "open"),)
    assert probe.connectors == {A: 300, B: 250}


def _breach(**changes: Any) -> dict[str, Any]:
    return {
        "path": f"{A}/src/main.py",
        "line": 3,
        "code": "OCE002",
        "note": "x",
    } | changes


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], r"must hold one JSON object, not \[\]"),
        (_document(seed="1"), r"recall.json: 'seed' must be an integer, not '1'"),
        (_document(connectors=None), "'connectors' must be an object, not None"),
        (
            _document(connectors={"external-import": 3}),
            "maps each connector's folder .* not 'external-import': 3",
        ),
        (
            _document(connectors={A: "300"}),
            f"maps each connector's folder .* not '{A}': '300'",
        ),
        (_document(breaches=["x"]), "breach 0 must be an object with path, line"),
        (
            _document(breaches=[_breach(line=True)]),
            "breach 0: 'line' must be an integer, not True",
        ),
        (
            _document(breaches=[_breach(note=None)]),
            "breach 0: 'note' must be a string, not None",
        ),
        (
            _document(breaches=[_breach(code="OCE011")]),
            "breach 0: 'OCE011' is not a rule's code; use one of OCE001, ",
        ),
        (
            _document(breaches=[_breach(), _breach(path="stream/c/src/main.py")]),
            "breach 1: stream/c/src/main.py is in none of the connectors read",
        ),
        (
            _document(breaches=[_breach(path=f"{A}/tests/test_main.py")]),
            "is in none of the connectors read",
        ),
        (_document(breaches=[_breach(line=0)]), "the line counts from 1"),
        (_document(breaches=[_breach(note="")]), "one line of at most 200 characters"),
    ],
)
def test_a_malformed_probe_is_refused_naming_what_is_wrong(
    tmp_path: Path, document: Any, message: str
) -> None:
    with pytest.raises(ProbeError, match=message):
        load_probe(_written(tmp_path, document))


def test_an_unreadable_probe_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "recall.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ProbeError, match="recall.json can't be read: Expecting"):
        load_probe(path)


def _repository(tmp_path: Path) -> tuple[Path, str]:
    files = {f"external-import/c{n}/src/main.py": _lines(200 + n) for n in range(6)}
    repository = committed(tmp_path / "connectors", files)
    return repository, git(repository, "rev-parse", "HEAD")


def test_the_probe_must_read_the_draw_at_the_checked_commit(tmp_path: Path) -> None:
    repository, commit = _repository(tmp_path)
    drawn = draw(python_lines(repository, commit), 3, 2)
    probe = Probe(commit, 3, 2, "read whole", drawn, ())
    check_drawn(probe, repository, commit)  # the draw: accepted
    other = (
        "external-import/c0"
        if "external-import/c0" not in drawn
        else "external-import/c1"
    )
    picked = Probe(commit, 3, 2, "read whole", {**drawn, other: 200}, ())
    with pytest.raises(ProbeError, match="connectors are not the draw of seed 3"):
        check_drawn(picked, repository, commit)
    older = Probe("a" * 40, 3, 2, "read whole", drawn, ())
    with pytest.raises(
        ProbeError, match=f"read commit aaaaaaaaaaaa, not {commit[:12]}"
    ):
        check_drawn(older, repository, commit)


def test_the_command_prints_the_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repository, commit = _repository(tmp_path)
    args = [str(repository), "--rev", commit, "--seed", "3", "--count", "2"]
    assert main(args) == 0
    drawn = draw(python_lines(repository, commit), 3, 2)
    assert json.loads(capsys.readouterr().out) == drawn
    assert main([*args[:-1], "7"]) == 2
    assert "only 6 connectors have 200 to 500 lines" in capsys.readouterr().err


def test_the_committed_probe_is_what_the_committed_results_measured() -> None:
    probe = load_probe(PROBE_FILE)
    results = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    assert probe.commit == results["commit"]
    assert len(probe.connectors) == probe.count >= 5
    assert results["recall"]["seed"] == probe.seed
    assert results["recall"]["connectors"] == probe.connectors
    listed = {code: f["listed"] for code, f in results["recall"]["codes"].items()}
    assert sum(listed.values()) == len(probe.breaches)
