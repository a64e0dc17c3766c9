"""Shared by the demo source's test modules: the key, and short ways to call the server."""

from __future__ import annotations

import requests

from connector_sandbox.source import DemoSource

KEY = "test-key"
AUTH = {"X-API-Key": KEY}
IDS_QUERY = "start=2026-01-01T00:00:00Z&end=2026-01-01T03:00:00Z"


def get(
    source: DemoSource,
    path: str,
    *,
    params: dict[str, str] | None = None,
    timeout: float = 5,
    allow_redirects: bool = True,
    stream: bool = False,
) -> requests.Response:
    """GET with the right API key."""
    return requests.get(
        source.url + path,
        params=params,
        headers=AUTH,
        timeout=timeout,
        allow_redirects=allow_redirects,
        stream=stream,
    )


def ioc_ids(count: int) -> list[str]:
    return [f"ioc-{n:04d}" for n in range(1, count + 1)]


def pdf_id(source: DemoSource, wanted: bool) -> str:
    """The first id that has a PDF report (``wanted``) or that has none."""
    return next(i for i in ioc_ids(source.count) if source.has_pdf(i) == wanted)
