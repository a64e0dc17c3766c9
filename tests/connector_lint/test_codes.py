"""Each code's folder (connector_lint/codes/oce003/), in the style of pydantic's
tests/test_docs.py: every code alone on its own examples, the folders complete, and shipped.

The ``bad.py`` of a code must report exactly the ``# [CODE]`` lines it marks, and its
``good.py`` nothing, with that code selected alone (as ``--select CODE``), so a check that
changes what it flags fails here on the code's own example.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion

from connector_lint import findings
from connector_lint.codes import (
    CODES,
    FILES,
    RULE_FILES,
    CodeFolder,
    CodeFolderError,
    read_codes,
)
from connector_lint.codes.examples import own_findings
from connector_lint.expectations import expected_findings
from connector_lint.findings import CHECKS, RUN_CODES, folder_mismatches
from tests.doc_sources import ROOT
from tests.test_snippets import LINE_LENGTH

CODES_FOLDER = ROOT / "connector_lint" / "codes"
# What a wheel needs from the checkout to build: the project and its packages.
BUILT_FROM = [
    "pyproject.toml",
    "README.md",
    "connector_lint",
    "connector_check",
    "connector_sandbox",
    "snippets",
    "benchmarks",
]
TOML = '# the title\ntitle = "a title"\nkind = "rule"\n'


@pytest.mark.parametrize("folder", CODES.values(), ids=lambda folder: folder.code)
def test_bad_py_reports_exactly_its_annotated_findings_of_its_code_alone(
    folder: CodeFolder,
) -> None:
    annotated = expected_findings(folder.text("bad.py"))
    assert annotated, "bad.py marks no finding"
    assert {code for _, code in annotated} == {folder.code}
    reported = [(f.line, f.code) for f in own_findings(folder, "bad.py")]
    assert reported == annotated


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        (folder, name)
        for folder in CODES.values()
        for name in ("bad.py", "good.py")
        # OCE000's Don't is a file that doesn't parse.
        if (folder.code, name) != ("OCE000", "bad.py")
    ],
    ids=lambda value: value if isinstance(value, str) else value.code,
)
def test_each_example_is_formatted_to_fit_the_checks_page(
    folder: CodeFolder, name: str
) -> None:
    """The Checks page shows them in its column, as the snippets: black at their width."""
    source = folder.text(name)
    mode = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY311})
    assert black.format_str(source, mode=mode) == source, (
        f"format {folder.path}/{name} with black -l {LINE_LENGTH}"
    )
    too_long = [line for line in source.splitlines() if len(line) > LINE_LENGTH]
    assert too_long == [], f"{folder.path}/{name}: lines over {LINE_LENGTH} columns"


@pytest.mark.parametrize("folder", CODES.values(), ids=lambda folder: folder.code)
def test_good_py_reports_nothing_of_its_code(folder: CodeFolder) -> None:
    assert expected_findings(folder.text("good.py")) == []
    assert own_findings(folder, "good.py") == []


def test_examples_are_only_bad_py_and_good_py() -> None:
    with pytest.raises(ValueError, match=r"no example 'details.md': a code's examples"):
        own_findings(CODES["OCE003"], "details.md")


def test_every_code_has_a_complete_folder_and_every_folder_a_code() -> None:
    assert folder_mismatches() == []
    assert [*CODES] == sorted([*CHECKS, *RUN_CODES])
    on_disk = sorted(p.name for p in CODES_FOLDER.iterdir() if p.is_dir())
    assert [name for name in on_disk if name != "__pycache__"] == [
        code.lower() for code in CODES
    ]
    for folder in CODES.values():
        assert sorted(
            p.name for p in (CODES_FOLDER / folder.folder.name).iterdir()
        ) == sorted((*FILES, *RULE_FILES) if folder.kind == "rule" else FILES)
        assert folder.text("details.md").strip(), f"{folder.path}/details.md is empty"
        assert folder.title.strip()


def test_the_short_texts_are_the_folders_titles() -> None:
    assert CHECKS["OCE003"] == "except handler returns a sentinel value"
    assert RUN_CODES["OCE000"] == "file that can't be checked"
    for code, title in {**CHECKS, **RUN_CODES}.items():
        assert title == CODES[code].title


def test_a_code_without_a_folder_and_a_folder_without_a_code_are_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks = {code: title for code, title in CHECKS.items() if code != "OCE003"}
    monkeypatch.setattr(findings, "CHECKS", {**checks, "OCE099": "a check"})
    monkeypatch.setattr(findings, "RUN_CODES", {**RUN_CODES, "OCE999": "a run code"})
    assert folder_mismatches() == [
        "OCE003 has no folder connector_lint/codes/oce003/ of kind 'rule'",
        "connector_lint/codes/oce099/ is of kind 'rule', but no rule of "
        "snippets/rules.py is enforced by it",
        "connector_lint/codes/oce999/ is of kind 'run', but the checker reports no "
        "such run code",
    ]


def _folder(root: Path, name: str, toml: str = TOML) -> Path:
    folder = root / name
    folder.mkdir()
    for file in (*FILES, *RULE_FILES):
        (folder / file).write_text(toml if file == "code.toml" else "x = 1\n")
    return folder


def test_a_folder_is_read_with_its_title_and_kind(tmp_path: Path) -> None:
    _folder(tmp_path, "oce042")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__init__.py").write_text("")
    read = read_codes(tmp_path)
    assert [*read] == ["OCE042"]
    assert (read["OCE042"].title, read["OCE042"].kind) == ("a title", "rule")
    assert read["OCE042"].path == "connector_lint/codes/oce042"


def test_a_folder_missing_files_is_named_with_them(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "oce042")
    (folder / "good.py").unlink()
    (folder / "details.md").unlink()
    with pytest.raises(
        CodeFolderError,
        match=r"^connector_lint/codes/oce042 has no details.md, good.py: each code's "
        r"folder holds code.toml, details.md, bad.py, good.py$",
    ):
        read_codes(tmp_path)


def test_a_rule_s_folder_without_its_gains_is_refused(tmp_path: Path) -> None:
    (_folder(tmp_path, "oce042") / "gains.md").unlink()
    with pytest.raises(
        CodeFolderError,
        match=r"^connector_lint/codes/oce042 has no gains.md: a rule's code says there "
        r"what fixing its breaches gains",
    ):
        read_codes(tmp_path)


def test_the_gains_are_one_paragraph_of_the_folder_s_text(tmp_path: Path) -> None:
    (_folder(tmp_path, "oce042") / "gains.md").write_text("A work\nstays open.\n\n")
    assert read_codes(tmp_path)["OCE042"].gains == "A work stays open."


def test_a_misnamed_folder_is_refused(tmp_path: Path) -> None:
    _folder(tmp_path, "OCE042")
    with pytest.raises(
        CodeFolderError,
        match=r"^connector_lint/codes/OCE042 is not named as a code's folder: name it "
        r"after its code in lower case, oce003 for OCE003$",
    ):
        read_codes(tmp_path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'title = "a title"\n',
            r"oce042/code.toml must set exactly kind, title \(it sets title\)",
        ),
        (
            'title = "a"\nkind = "rule"\nlimit = 2\n',
            r"must set exactly kind, title \(it sets kind, limit, title\)",
        ),
        ('title = " "\nkind = "rule"\n', r"title must be a non-empty string"),
        ("title = 3\nkind = 'rule'\n", r"title must be a non-empty string"),
        (
            'title = "a"\nkind = "check"\n',
            r"kind must be one of 'rule', 'run', not 'check'",
        ),
        ('title = "a\n', r"oce042/code.toml is not valid TOML: "),
    ],
    ids=["no-kind", "unknown-key", "blank-title", "title-not-text", "kind", "toml"],
)
def test_a_bad_code_toml_is_refused_with_what_is_wrong(
    tmp_path: Path, toml: str, message: str
) -> None:
    _folder(tmp_path, "oce042", toml)
    with pytest.raises(CodeFolderError, match=message):
        read_codes(tmp_path)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy of the checkout (the build writes beside
    the sources)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILT_FROM:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name,
                source / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
            )
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_installed_checker_reads_every_code_s_folder_from_its_package_data(
    wheel: Path,
) -> None:
    """Imported from the wheel alone (no site-packages, no checkout), the checker reads
    each folder through importlib.resources, and reports its codes with their titles."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import connector_lint\n"
        "assert connector_lint.__file__.startswith(sys.argv[1]), connector_lint.__file__\n"
        "from importlib import resources\n"
        "from connector_lint.codes import CODES, FILES, RULE_FILES\n"
        "from connector_lint.findings import CHECKS, RUN_CODES\n"
        "root = resources.files('connector_lint.codes')\n"
        "for code in CODES:\n"
        "    names = (*FILES, *RULE_FILES) if CODES[code].kind == 'rule' else FILES\n"
        "    for name in names:\n"
        "        assert root.joinpath(code.lower(), name).is_file(), (code, name)\n"
        "print({**CHECKS, **RUN_CODES})\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script, str(wheel)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=wheel.parent,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str({**CHECKS, **RUN_CODES})
