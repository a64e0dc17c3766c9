"""Debian's Chromium, the one browser the project drives: the build draws the diagrams with
it, the browser tests read the site with it, and Lighthouse measures the site with it.

Nothing downloads a browser of its own (Playwright's or Puppeteer's): ``.ci/run`` installs
Debian's package with apt when it is missing.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: without the background-networking flags Chromium phones home at
# start-up, which a machine with no network refuses; the others keep a run small.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
