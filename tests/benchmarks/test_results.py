"""The results file: the committed one is valid and complete; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.lighthouse import PAGES
from benchmarks.results import RESULTS_FILE, Results, ResultsError, load

FIXTURE = Path(__file__).with_name("results_fixture.json")


def test_committed_results_are_valid_and_complete() -> None:
    results = load(RESULTS_FILE)

    measured = {(p.ids, p.faulty_share) for p in results.throughput}
    assert measured == {
        (ids, share) for ids in (1_000, 10_000, 100_000) for share in (0.0, 0.1)
    }
    assert results.rules_cost is not None
    assert results.rules_cost.goal_ratio == 1.03
    assert results.logging_cost is not None
    assert results.profile is not None
    assert results.maintainer is not None
    assert results.maintainer.nox_docs_tests_seconds is not None
    assert results.lighthouse is not None
    assert [page.path for page in results.lighthouse.pages] == PAGES
    assert results.quick_tier is not None
    assert results.quick_tier.slowest_tests


def test_committed_results_name_no_path_of_the_machine() -> None:
    text = RESULTS_FILE.read_text(encoding="utf-8")

    assert str(Path.home()) not in text
    assert str(RESULTS_FILE.parent.parent) not in text


def test_missing_file_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(
        ResultsError, match=r"can't read the results file .*python -m benchmarks run"
    ):
        load(tmp_path / "results.json")


def test_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(ResultsError, match=r"is not a valid results file: file: "):
        load(path)


def test_wrong_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    text = FIXTURE.read_text(encoding="utf-8").replace('"ids": 3000', '"ids": -1')
    path.write_text(text, encoding="utf-8")

    with pytest.raises(
        ResultsError,
        match=r"rules_cost\.ids: Input should be greater than or equal to 1",
    ):
        load(path)


def test_newer_measurements_replace_only_their_own() -> None:
    older = load(FIXTURE)
    quick_point = older.throughput[1].model_copy(update={"ids_per_second": 999.0})

    merged = older.merged_with(Results(throughput=[quick_point]))

    assert [p.ids_per_second for p in merged.throughput] == [400.0, 380.0, 999.0]
    assert merged.rules_cost == older.rules_cost
    assert merged.maintainer == older.maintainer
    assert merged.quick_tier == older.quick_tier
