"""``python -m benchmarks.template_check REPOSITORY [--rev REV]``: connector-check on OpenCTI's
connector template, its results written to ``benchmarks/template_check.json``.

REPOSITORY is a git directory of ``OpenCTI-Platform/connectors`` (a clone or a bare mirror).
The external-import template and the connectors-sdk it builds on are read from REV with
``git archive`` into a temporary folder, installed with the template's own pins in a virtual
environment of their own (the template pins its pycti), and checked twice: as published, and
with a source (see ``template_source.py``). Nothing of the template is kept: the results hold
its repository, commit, paths, figures and connector-check's evidence, with the temporary
folder's path replaced by ``<checkout>``.

Exit codes: 0 the results were written, 2 they could not be made (the reason on one line).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connector_check import cli as connector_check

RESULTS_FILE = Path(__file__).with_name("template_check.json")
SOURCE_RUNNER = Path(__file__).with_name("template_source.py")
REPOSITORY = "OpenCTI-Platform/connectors"
TEMPLATE = "templates/external-import"
SDK = "connectors-sdk"
MAIN = f"{TEMPLATE}/src/main.py"
REQUIREMENTS = f"{TEMPLATE}/src/requirements.txt"
CHECKOUT_MARK = "<checkout>"
# What the template's settings require besides pycti's own (its docker-compose file names
# them). The source's address is never called: as published the client raises first, and
# with a source the client's call is replaced.
TEMPLATE_ENV = (
    "CONNECTOR_SCOPE=template",
    "TEMPLATE_API_BASE_URL=https://source.example/",
    "TEMPLATE_API_KEY=not-a-real-key",
)
GIT_TIMEOUT = 300
INSTALL_TIMEOUT = 1800


class TemplateCheckError(Exception):
    """The results could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Subject:
    name: str
    description: str
    command: tuple[str, ...]  # after the environment's python; paths from the checkout


SUBJECTS = (
    Subject(
        "as_published",
        "The template as it is in the repository: its client raises "
        "NotImplementedError where a developer writes the call to their source.",
        (MAIN,),
    ),
    Subject(
        "with_a_source",
        "The template with the one method it asks a developer to write answering "
        "three addresses: the rest of it runs as a connector built on it would.",
        ("template_source.py", MAIN),
    ),
)


def progress(message: str) -> None:
    print(f"template-check: {message}", file=sys.stderr, flush=True)


def _run(command: Sequence[str], what: str, timeout: float) -> str:
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise TemplateCheckError(f"{what} failed: {err}") from err
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise TemplateCheckError(f"{what} failed (exit {done.returncode}): {last}")
    return done.stdout


def commit_of(repository: Path, rev: str) -> tuple[str, str]:
    """The commit REV names in the repository and its date; TemplateCheckError if none."""
    if not repository.is_dir():
        raise TemplateCheckError(
            f"{repository} is not a folder; give a clone of {REPOSITORY}"
        )
    git = ["git", "-C", str(repository)]
    try:
        line = _run(
            [*git, "log", "-1", "--format=%H %cI", f"{rev}^{{commit}}", "--"],
            "git log",
            GIT_TIMEOUT,
        )
    except TemplateCheckError as err:
        raise TemplateCheckError(
            f"{repository} has no commit {rev!r}; give a git clone of {REPOSITORY} "
            f"and a commit of it ({err})"
        ) from err
    sha, date = line.split()
    try:
        _run([*git, "cat-file", "-e", f"{sha}:{MAIN}"], "git cat-file", GIT_TIMEOUT)
    except TemplateCheckError as err:
        raise TemplateCheckError(
            f"commit {sha[:12]} of {repository} has no {MAIN}; is it a clone of "
            f"{REPOSITORY}?"
        ) from err
    return sha, date


def extract(repository: Path, sha: str, target: Path) -> None:
    """The template and the SDK at that commit, into target; no path leaves it."""
    if not hasattr(tarfile, "data_filter"):
        raise TemplateCheckError("extracting safely needs Python 3.11.4 or newer")
    with subprocess.Popen(
        ["git", "-C", str(repository), "archive", "--format=tar", sha, TEMPLATE, SDK],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as archive:
        if archive.stdout is None:
            raise RuntimeError("git archive's output is piped")
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            # The "data" filter refuses absolute paths, links out of target and devices.
            tar.extractall(target, filter="data")
        error = archive.stderr.read().decode(errors="replace") if archive.stderr else ""
    if archive.returncode != 0:
        raise TemplateCheckError(f"git archive failed: {error.strip()}")


def requirements(checkout: Path) -> list[str]:
    """The template's pins, with connectors-sdk taken from the same commit.

    The template installs the SDK from the repository's master branch over the network;
    the SDK of the checked commit is the one the template was written against.
    """
    lines = (checkout / REQUIREMENTS).read_text(encoding="utf-8").splitlines()
    pins = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [pin for pin in pins if not pin.startswith(SDK)] + [str(checkout / SDK)]


def install(checkout: Path, python: str) -> Path:
    venv = checkout / "venv"
    progress(f"creating the template's environment with {python}")
    _run([python, "-m", "venv", str(venv)], "creating the environment", GIT_TIMEOUT)
    venv_python = venv / "bin" / "python"
    pins = requirements(checkout)
    progress(f"installing {', '.join(pins[:-1])} and {SDK} of the same commit")
    _run(
        [str(venv_python), "-m", "pip", "install", "--quiet", *pins],
        "installing the template's requirements",
        INSTALL_TIMEOUT,
    )
    return venv_python


def installed_version(venv_python: Path, package: str) -> str:
    script = f"import importlib.metadata as m; print(m.version({package!r}))"
    return _run([str(venv_python), "-c", script], f"reading {package}'s version", 60)


def check(
    subject: Subject, checkout: Path, venv_python: Path, timeout: float
) -> dict[str, Any]:
    report = checkout / f"{subject.name}.json"
    paths = [
        str(SOURCE_RUNNER) if part == SOURCE_RUNNER.name else str(checkout / part)
        for part in subject.command
    ]
    options = [arg for assignment in TEMPLATE_ENV for arg in ("--env", assignment)]
    code = connector_check.main(
        [
            *options,
            *("--timeout", str(timeout), "--json", str(report)),
            *("--", str(venv_python), *paths),
        ]
    )
    if code == 2:
        raise TemplateCheckError(
            f"connector-check could not check the template {subject.name} (see above)"
        )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def _masked(value: Any, checkout: str) -> Any:
    if isinstance(value, str):
        return value.replace(checkout, CHECKOUT_MARK)
    if isinstance(value, list):
        return [_masked(item, checkout) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item, checkout) for key, item in value.items()}
    return value


def make_results(
    repository: Path, rev: str, python: str, timeout: float
) -> dict[str, Any]:
    sha, date = commit_of(repository, rev)
    progress(f"{REPOSITORY} at {sha[:12]} ({date})")
    with tempfile.TemporaryDirectory(prefix="template-check-") as folder:
        checkout = Path(folder)
        extract(repository, sha, checkout)
        venv_python = install(checkout, python)
        subjects = []
        for subject in SUBJECTS:
            progress(f"checking the template {subject.name}")
            report = check(subject, checkout, venv_python, timeout)
            subjects.append(
                {
                    "name": subject.name,
                    "description": subject.description,
                    "command": ["python", *subject.command],
                    "report": _masked(report, folder),
                }
            )
        pycti = installed_version(venv_python, "pycti").strip()
        interpreter = _run(
            [str(venv_python), "-c", "import sys; print(sys.version.split()[0])"],
            "reading the Python version",
            60,
        ).strip()
    return {
        "repository": REPOSITORY,
        "commit": sha,
        "commit_date": date,
        "template": TEMPLATE,
        "pycti": pycti,
        "python": interpreter,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "subjects": subjects,
    }


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.template_check",
        description="Check OpenCTI's connector template with connector-check and "
        "write the results the site's page shows.",
    )
    parser.add_argument(
        "repository", type=Path, help=f"a git clone (or bare mirror) of {REPOSITORY}"
    )
    parser.add_argument("--rev", default="HEAD", help="the commit to check")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter for the template's environment (connectors-sdk "
        "needs 3.11 or 3.12)",
    )
    parser.add_argument("--timeout", type=float, default=120.0)
    return parser


def write_results(output: Path, results: dict[str, Any]) -> None:
    """The results as the committed file holds them: indented JSON, one final newline."""
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    output.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        write_results(
            args.output,
            make_results(args.repository, args.rev, args.python, args.timeout),
        )
    except (TemplateCheckError, OSError) as err:
        progress(f"error: {err}")
        return 2
    progress(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
