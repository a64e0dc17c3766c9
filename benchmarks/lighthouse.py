"""Lighthouse on the built site: performance and accessibility scores of a few pages.

The site is built, then served gzipped from 127.0.0.1 (as a web server sends it), and npm's
Lighthouse runs on Debian's Chromium with its defaults: the mobile profile and simulated
throttling (a slow 4G network and a 4x slower CPU), three times a page, the median run kept.
Lighthouse is installed once, at the pinned version, under ``.cache/lighthouse/``; it needs
Node.js and npm, and reaches the network only for that install. The goals, 95 for performance and 100 for accessibility, are the issue's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.maintainer_loop import build_site
from benchmarks.results import LighthousePage, LighthouseRun, RunInfo
from site_hooks.chromium import CHROMIUM
from site_hooks.preview import serving

LIGHTHOUSE_VERSION = "12.8.2"
ROOT = Path(__file__).resolve().parent.parent
INSTALL_FOLDER = ROOT / ".cache" / "lighthouse" / LIGHTHOUSE_VERSION
# The home page, two rule pages, the longest generated page and the page with diagrams.
PAGES = [
    "",
    "basics/small_try/",
    "connector/config_error/",
    "example_connector/failure_modes/",
    "decide/",
]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"
# Lighthouse's advice: one run's score varies with the machine's load; keep the median run.
RUNS_PER_PAGE = 3
# A cold Lighthouse run of one page takes about 20 s here; this is for a far slower machine.
PAGE_TIMEOUT_SECONDS = 300


class LighthouseError(RuntimeError):
    """Lighthouse could not be installed or run; the message says what to do."""


def measure(run: RunInfo) -> LighthouseRun:
    lighthouse = installed_lighthouse()
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as scratch:
        site = Path(scratch) / "site"
        print("  mkdocs build", flush=True)
        build_site(site, cold=False)
        with serving(site) as url:
            pages = []
            for path in PAGES:
                print(f"  lighthouse /{path}", flush=True)
                runs = [
                    page_scores(path, run_lighthouse(lighthouse, url + path))
                    for _ in range(RUNS_PER_PAGE)
                ]
                pages.append(median_run(runs))
    return LighthouseRun(
        lighthouse_version=LIGHTHOUSE_VERSION,
        form_factor="mobile",
        throttling="simulate",
        pages=pages,
        run=run,
    )


def installed_lighthouse() -> Path:
    """Lighthouse's command, installed with npm at the pinned version if it is not yet."""
    command = INSTALL_FOLDER / "node_modules" / ".bin" / "lighthouse"
    if command.is_file():
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise LighthouseError(
            "Lighthouse needs Node.js and npm: install them (`apt-get install -y npm`)"
        )
    INSTALL_FOLDER.mkdir(parents=True, exist_ok=True)
    install = [npm, "install", "--no-audit", "--no-fund", "--prefix"]
    result = subprocess.run(
        [*install, str(INSTALL_FOLDER), f"lighthouse@{LIGHTHOUSE_VERSION}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not command.is_file():
        raise LighthouseError(
            f"npm could not install lighthouse@{LIGHTHOUSE_VERSION} into "
            f"{INSTALL_FOLDER}: {result.stderr.strip()[-500:]}"
        )
    return command


def run_lighthouse(lighthouse: Path, url: str) -> dict[str, Any]:
    """Lighthouse's JSON report of ``url``: performance and accessibility, mobile."""
    if not CHROMIUM.is_file():
        raise LighthouseError(
            f"Lighthouse runs on Debian's Chromium, and there is none at {CHROMIUM}: "
            "`apt-get install -y chromium`"
        )
    command = [
        str(lighthouse),
        url,
        "--output=json",
        "--output-path=stdout",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=PAGE_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise LighthouseError(
            f"Lighthouse exited with {result.returncode} on {url}: "
            f"{result.stderr.strip()[-500:]}"
        )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def page_scores(path: str, report: dict[str, Any]) -> LighthousePage:
    """The scores of one page from Lighthouse's report; an error in it is raised."""
    if report.get("runtimeError"):
        raise LighthouseError(
            f"Lighthouse could not measure /{path}: {report['runtimeError']['message']}"
        )
    categories, audits = report["categories"], report["audits"]
    unscored = [
        name for name, category in categories.items() if category["score"] is None
    ]
    if unscored:
        raise LighthouseError(
            f"Lighthouse gave /{path} no score for {', '.join(unscored)}"
        )
    return LighthousePage(
        path=path,
        performance=round(categories["performance"]["score"] * 100),
        accessibility=round(categories["accessibility"]["score"] * 100),
        largest_contentful_paint_ms=round(
            audits["largest-contentful-paint"]["numericValue"]
        ),
        total_blocking_time_ms=round(audits["total-blocking-time"]["numericValue"]),
        transfer_kib=round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
    )


def median_run(runs: list[LighthousePage]) -> LighthousePage:
    """The run of median performance score, whole: its figures belong together."""
    return sorted(runs, key=lambda page: page.performance)[len(runs) // 2]
