"""How the rules are enforced, proven on the site's own snippets.

Each "Don't" snippet marks, with ``# [CODE, ...]`` comments, the findings ruff (with the
profile) and connector-lint must report on each line, and they must report exactly those.
Each "Do" snippet, the hierarchy module and the whole example connector must report nothing.
The registry, the ruff profile, the checker and the project's own ruff configuration must
agree, and every code must be shown to fire, by a snippet or by a case of its own, so that
dropping or narrowing a check fails here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from connector_lint import check_file
from connector_lint.expectations import expected_findings
from connector_lint.findings import CHECKS, RULE_OF_CODE, page_url
from snippets.rules import BASICS, RULES, Rule
from tests.connector_lint.test_checks import CASES
from tests.doc_sources import EXAMPLE_CONNECTOR, ROOT, SNIPPETS

PROFILE = ROOT / "connector_lint" / "ruff-profile.toml"
DONT = sorted(SNIPPETS.glob("*/*/bad.py"))
DO = [
    *sorted(SNIPPETS.glob("*/*/good.py")),
    # Each code's "Do" example (its "Don't" is checked with its code alone, in
    # tests/connector_lint/test_codes.py).
    *sorted((ROOT / "connector_lint" / "codes").glob("*/good.py")),
    SNIPPETS / "hierarchy" / "errors.py",
    *sorted(EXAMPLE_CONNECTOR.rglob("*.py")),
]
REGISTRY_CODES = [code for rule in RULES for code in rule.enforced_by]
RUFF_CODES = {code for code in REGISTRY_CODES if code not in CHECKS}
ENABLED_RULE = re.compile(r"^\s+[\w-]+ \((?P<code>[A-Z]+\d+)\),$")

LOGGER = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"
# One small source per ruff code no "Don't" snippet shows: each must report that code only.
RUFF_CASES = {
    "TRY300": LOGGER
    + "def ratio(total, count):\n    try:\n        value = total / count"
    "\n        return value\n    except ZeroDivisionError:\n"
    '        logger.exception("empty batch")\n        raise\n',
    "TRY301": LOGGER + "def check(value):\n    try:\n        if value < 0:\n"
    '            raise ValueError("negative")\n    except ValueError:\n'
    '        logger.exception("bad value")\n        raise\n',
    "B904": "def lookup(table, key):\n    try:\n        return table[key]\n"
    "    except KeyError:\n        raise LookupError(key)\n",
    "TRY002": 'def fail():\n    raise Exception("the source is down")\n',
    "TRY201": LOGGER
    + "def run():\n    try:\n        step()\n    except OSError as err:\n"
    '        logger.warning("step failed")\n        raise err\n',
    "N818": "class SourceDown(Exception):\n    pass\n",
    "PLW0133": 'def check(value):\n    if value < 0:\n        ValueError("negative")\n',
    "S110": "def run():\n    try:\n        step()\n    except ValueError:\n        pass\n",
    "PT012": "import pytest\n\n\ndef test_parse():\n"
    '    with pytest.raises(ValueError, match="bad"):\n        setup()\n'
    '        parse("x")\n',
    "PT017": 'def test_parse():\n    try:\n        parse("x")\n'
    '    except ValueError as err:\n        assert "bad" in str(err)\n',
    "TRY203": "def run():\n    try:\n        step()\n    except OSError:\n        raise\n",
    "G001": LOGGER + 'logger.info("Found {} IOCs".format(count))\n',
    "G002": LOGGER + 'logger.info("Found %s IOCs" % count)\n',
    "G003": LOGGER + 'logger.info("Found " + count)\n',
    "G010": LOGGER + 'logger.warn("Deprecated setting")\n',
    "LOG004": LOGGER + 'logger.exception("Not in a handler")\n',
    "LOG014": LOGGER + 'logger.info("Not in a handler", exc_info=True)\n',
    "G201": LOGGER + "try:\n    step()\nexcept Exception:\n"
    '    logger.error("Step failed", exc_info=True)\n',
    "G202": LOGGER + "try:\n    step()\nexcept Exception:\n"
    '    logger.exception("Step failed", exc_info=True)\n',
    "B012": "def run():\n    try:\n        step()\n    finally:\n        return\n",
}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _ruff(paths: list[Path]) -> dict[Path, list[tuple[int, str]]]:
    """What ruff reports with the profile alone: pyproject.toml's per-file ignores for the
    "Don't" snippets, which serve the snippet tests, must not hide anything here."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(PROFILE)]
        + ["--output-format", "json", "--no-cache", "--exit-zero", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[Path, list[tuple[int, str]]] = defaultdict(list)
    for diagnostic in json.loads(result.stdout):
        found[Path(diagnostic["filename"])].append(
            (diagnostic["location"]["row"], diagnostic["code"])
        )
    return found


def _enabled_rules(*config: str) -> set[str]:
    """The codes ruff enables with this configuration, as ruff itself resolves them."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            *config,
            "--show-settings",
            "noxfile.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    listing = result.stdout.split("linter.rules.enabled = [", 1)[1].split("]", 1)[0]
    return {
        m["code"] for line in listing.splitlines() if (m := ENABLED_RULE.match(line))
    }


def _profile() -> dict[str, dict[str, object]]:
    return tomllib.loads(PROFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ruff_findings() -> dict[Path, list[tuple[int, str]]]:
    return _ruff(DONT + DO)


def _reported(
    path: Path, ruff_findings: dict[Path, list[tuple[int, str]]]
) -> list[str]:
    by_checker = [(finding.line, finding.code) for finding in check_file(path)]
    return sorted(
        f"line {line}: {code}" for line, code in ruff_findings[path] + by_checker
    )


def _annotated(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return sorted(f"line {line}: {code}" for line, code in expected_findings(source))


def test_every_rule_has_its_dont_and_do_snippets_checked() -> None:
    assert {ROOT / rule.snippet_dir / "bad.py" for rule in RULES} <= set(DONT)
    assert {ROOT / rule.snippet_dir / "good.py" for rule in RULES} <= set(DO)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_s_dont_snippet_is_proven(
    rule: Rule, ruff_findings: dict[Path, list[tuple[int, str]]]
) -> None:
    """A code of the rule fires on its Don't snippet, or the rule says the snippet shows
    what is left to review, and then none does."""
    dont = ROOT / rule.snippet_dir / "bad.py"
    reported = {code for _, code in ruff_findings[dont]}
    reported |= {finding.code for finding in check_file(dont)}
    caught = sorted(reported & set(rule.enforced_by))
    if rule.enforced_by and not rule.dont_left_to_review:
        assert caught, (
            f"{rule.id}: none of {', '.join(rule.enforced_by)} fires on {_relative(dont)}"
            " (it reports " + (", ".join(sorted(reported)) or "nothing") + "); "
            "show a breach a code catches, or set dont_left_to_review"
        )
    else:
        assert caught == [], f"{rule.id}: caught by {caught}, not left to review"


@pytest.mark.parametrize("path", DONT, ids=_relative)
def test_dont_snippet_reports_exactly_its_annotated_codes(
    path: Path, ruff_findings: dict[Path, list[tuple[int, str]]]
) -> None:
    assert _reported(path, ruff_findings) == _annotated(path)


@pytest.mark.parametrize("path", DO, ids=_relative)
def test_do_snippets_and_the_example_connector_report_nothing(
    path: Path, ruff_findings: dict[Path, list[tuple[int, str]]]
) -> None:
    assert _annotated(path) == [], "a Do file announces findings"
    assert _reported(path, ruff_findings) == []


def test_each_code_enforces_one_rule() -> None:
    assert len(REGISTRY_CODES) == len(set(REGISTRY_CODES))


@pytest.mark.parametrize("review", ["", "  \n "])
def test_the_registry_refuses_a_rule_neither_enforced_nor_reviewed(review: str) -> None:
    with pytest.raises(
        ValueError,
        match="^ERR-099: give the codes that enforce it, or say why none can$",
    ):
        Rule(
            "ERR-099", BASICS, "x", "Title", "Statement.", check="Is it?", review=review
        )


def test_the_registry_refuses_a_dont_left_to_review_with_nothing_to_review() -> None:
    with pytest.raises(
        ValueError, match="^ERR-099: its Don't snippet is left to review: say in review"
    ):
        Rule(
            "ERR-099",
            BASICS,
            "x",
            "Title",
            "Statement.",
            check="Is it?",
            enforced_by=("OCE001",),
            dont_left_to_review=True,
        )


def test_every_checker_code_enforces_a_rule_and_links_its_page() -> None:
    assert {code for code in REGISTRY_CODES if code.startswith("OCE")} == set(CHECKS)
    for code in CHECKS:
        rule = RULE_OF_CODE[code]
        assert page_url(code) == f"docs/{rule.page}#{rule.anchor}"
        assert page_url(code, "https://rules.example/") == (
            f"https://rules.example/{rule.section.slug}/{rule.slug}/#{rule.anchor}"
        )


def test_the_ruff_profile_is_the_registry_s_ruff_codes() -> None:
    lint = _profile()["lint"]
    assert isinstance(lint, dict)
    selected = lint["select"]
    assert isinstance(selected, list)
    assert sorted(selected) == sorted(RUFF_CODES)
    assert _enabled_rules("--config", str(PROFILE)) == RUFF_CODES


def test_the_project_s_own_ruff_configuration_includes_the_profile() -> None:
    assert RUFF_CODES <= _enabled_rules()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = _profile()["lint"]
    assert isinstance(lint, dict)
    assert pyproject["tool"]["ruff"]["lint"]["flake8-bandit"] == lint["flake8-bandit"]


def test_every_code_is_shown_to_fire_by_a_snippet_or_a_case_of_its_own() -> None:
    annotated = {
        code for path in DONT for _, code in expected_findings(path.read_text())
    }
    cases = {case.code for case in CASES if case.expected} | set(RUFF_CASES)
    assert set(REGISTRY_CODES) - annotated - cases == set()


@pytest.fixture(scope="module")
def ruff_case_findings(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[tuple[int, str]]]:
    folder = tmp_path_factory.mktemp("ruff_cases")
    for code, source in RUFF_CASES.items():
        (folder / f"{code}.py").write_text(source, encoding="utf-8")
    found = _ruff(sorted(folder.glob("*.py")))
    return {code: found[folder / f"{code}.py"] for code in RUFF_CASES}


@pytest.mark.parametrize("code", sorted(RUFF_CASES))
def test_ruff_case_reports_its_code_only(
    code: str, ruff_case_findings: dict[str, list[tuple[int, str]]]
) -> None:
    assert [found for _, found in ruff_case_findings[code]] == [code]
