"""Lighthouse's report read into scores, the gzipped server it measures, clear failures."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from benchmarks import lighthouse
from benchmarks.lighthouse import (
    LighthouseError,
    installed_lighthouse,
    median_run,
    page_scores,
)
from benchmarks.results import LighthousePage
from site_hooks.preview import serving


def _report(performance: float | None = 0.97) -> dict[str, Any]:
    """The parts of Lighthouse's JSON report the scores are read from."""
    return {
        "categories": {
            "performance": {"score": performance},
            "accessibility": {"score": 1.0},
        },
        "audits": {
            "largest-contentful-paint": {"numericValue": 2104.6},
            "total-blocking-time": {"numericValue": 31.2},
            "total-byte-weight": {"numericValue": 195_123},
        },
    }


def test_scores_are_read_from_the_report() -> None:
    assert page_scores("decide/", _report()) == LighthousePage(
        path="decide/",
        performance=97,
        accessibility=100,
        largest_contentful_paint_ms=2105,
        total_blocking_time_ms=31,
        transfer_kib=190.5,
    )


def test_a_run_lighthouse_could_not_finish_is_an_error() -> None:
    report = {**_report(), "runtimeError": {"message": "NO_FCP: nothing painted"}}

    with pytest.raises(LighthouseError, match=r"could not measure /decide/: NO_FCP"):
        page_scores("decide/", report)


def test_a_category_without_a_score_is_an_error() -> None:
    with pytest.raises(LighthouseError, match=r"gave / no score for performance"):
        page_scores("", _report(performance=None))


def test_the_site_is_measured_as_the_preview_serves_it(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>Home</h1>")
    (tmp_path / "decide").mkdir()
    (tmp_path / "decide" / "index.html").write_text("<h1>Decide</h1>" * 50)
    gzipped = {"Accept-Encoding": "gzip"}

    with serving(tmp_path) as url:
        request = urllib.request.Request(url + "decide/", headers=gzipped)
        with urllib.request.urlopen(request) as response:
            encoding = response.headers["Content-Encoding"]
            content_type = response.headers["Content-Type"]
            body = response.read()
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(url + "missing/")

    assert (encoding, content_type) == ("gzip", "text/html; charset=utf-8")
    assert gzip.decompress(body) == b"<h1>Decide</h1>" * 50


def test_a_folder_without_a_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="has no index.html: build the site"):
        with serving(tmp_path):
            pass


def test_without_npm_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(lighthouse, "INSTALL_FOLDER", tmp_path / "lighthouse")
    monkeypatch.setattr("shutil.which", lambda name: None)

    with pytest.raises(LighthouseError, match=r"needs Node.js and npm: install them"):
        installed_lighthouse()


def test_the_median_run_is_kept_whole() -> None:
    runs = [page_scores("", _report(performance=score)) for score in (0.91, 0.62, 0.88)]

    assert median_run(runs) == runs[2]
