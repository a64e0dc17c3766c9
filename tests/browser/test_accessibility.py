"""axe-core, the accessibility engine, finds no violation on any page, light or dark.

The engine runs all of its rules but the experimental ones: WCAG 2.x A and AA (contrast of
text, links told apart from the text around them, names of dialogs and progress bars...) and
its best practices. Its script ships with axe-playwright-python: nothing is downloaded.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import Browsing
from tests.browser.site_pages import site_paths

# Material's scheme names: "default" is the light one, "slate" the dark one.
SCHEMES: dict[str, Literal["light", "dark"]] = {"default": "light", "slate": "dark"}
# Enough for a reader to find the elements; the count says how many more there are.
TARGETS_SHOWN = 3
# Only what fails: the passes and the inapplicable rules would cross the browser for nothing.
AXE_OPTIONS = {"resultTypes": ["violations"]}

AXE = Axe()


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per rule broken: its id, impact and help, and where: the first few
    elements' CSS selectors, with the count of the others."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes]
        shown = "; ".join(targets[:TARGETS_SHOWN])
        more = len(targets) - TARGETS_SHOWN
        if more > 0:
            shown += f"; and {more} more"
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(nodes)} elements: {shown}] {violation['helpUrl']}"
        )
    return "\n".join(lines)


def audit(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = AXE.run(page, options=AXE_OPTIONS).response[
        "violations"
    ]
    return violations


def _open_in_scheme(browsing: Browsing, path: str, scheme: str) -> None:
    """The page as a reader whose system asks for ``scheme`` first sees it."""
    browsing.page.emulate_media(color_scheme=SCHEMES[scheme])
    browsing.open(path)
    assert browsing.page.locator("body").get_attribute("data-md-color-scheme") == scheme


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", site_paths(), ids=lambda path: path or "home")
def test_no_accessibility_violation(browsing: Browsing, path: str, scheme: str) -> None:
    _open_in_scheme(browsing, path, scheme)

    violations = audit(browsing.page)

    assert not violations, (
        f"/{path} in the {scheme} scheme breaks {len(violations)} axe rules:\n"
        + describe_violations(violations)
    )
    assert browsing.problems == []


def test_the_audit_finds_text_too_faint_to_read(browsing: Browsing) -> None:
    """The guard behind the test above: a page that breaks a rule does fail it."""
    browsing.page.set_content(
        '<html lang="en"><head><title>Faint</title></head><body><main>'
        "<h1>Faint</h1>"
        '<p style="color: #ccc; background: #fff">Hard to read</p>'
        "</main></body></html>"
    )

    violations = audit(browsing.page)

    assert [violation["id"] for violation in violations] == ["color-contrast"]
    assert describe_violations(violations).startswith(
        "color-contrast (serious): Elements must meet minimum color contrast ratio "
        "thresholds [1 elements: p] https://dequeuniversity.com/rules/axe/"
    )


def test_a_violation_is_described_by_rule_impact_and_first_targets() -> None:
    violation = {
        "id": "link-in-text-block",
        "impact": "serious",
        "help": "Links must be distinguishable without relying on color",
        "helpUrl": "https://example.org/link-in-text-block",
        "nodes": [{"target": [f"p > a:nth-child({n})"]} for n in range(1, 6)],
    }

    assert describe_violations([violation]) == (
        "link-in-text-block (serious): Links must be distinguishable without relying "
        "on color [5 elements: p > a:nth-child(1); p > a:nth-child(2); "
        "p > a:nth-child(3); and 2 more] https://example.org/link-in-text-block"
    )
