"""Maintainer commands. CI runs `nox -s docs tests`, then the quick tier on the other
interpreters (`nox -s quick-3.12 quick-3.13`, .ci/run)."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

import nox

# `nox` run as a program has its own folder, not this one, first on sys.path: the build
# command is the project's own (site_hooks), so the project's folder goes first.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_hooks.build_command import DOCS_ENV, SITE_DIR, mkdocs_build  # noqa: E402

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
# A bare `nox` runs what CI runs; serve, demo, preview, bench, check_template and
# lint_corpus are asked for by name.
nox.options.sessions = ["docs", "tests"]
nox.options.error_on_missing_interpreters = True

# docs, tests, serve, demo and preview need the same packages ([test] holds [docs] and
# [connector]): they share one environment, where one each cost about 1.5 GB and 100 s
# of installing before the first page was served. It is installed again only when
# pyproject.toml changes (the stamp holds its digest); delete the folder to rebuild it.
SITE_ENV = Path(".nox", "site-env")
SITE_ENV_EXTRA = "test"
SITE_ENV_STAMP = SITE_ENV / "installed-from.txt"
# The supported interpreters, oldest first: pyproject.toml's requires-python and classifiers
# say the same (tests/test_tiers.py). `tests` runs on the one nox runs on.
PYTHONS = ["3.11", "3.12", "3.13"]
# The tiers the quick loop leaves out (tests/tiers.py marks them, by folder).
QUICK_TIER = "not e2e and not browser and not fuzz and not site"


class _NoUvNotice(logging.Filter):
    """Drops nox's "uv binary not found.": no session uses uv, so a user can't act on it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "uv binary not found."


logging.getLogger("nox").addFilter(_NoUvNotice())


def _site_env(session: nox.Session) -> dict[str, str]:
    """Make and install the shared environment if it needs it; its variables for `run`."""
    python = SITE_ENV / "bin" / "python"
    if not python.exists():
        session.run_install(sys.executable, "-m", "venv", str(SITE_ENV), external=True)
    pyproject = hashlib.sha256(Path("pyproject.toml").read_bytes()).hexdigest()
    wanted = f".[{SITE_ENV_EXTRA}] {pyproject}\n"
    installed = SITE_ENV_STAMP.read_text() if SITE_ENV_STAMP.exists() else ""
    if installed != wanted:
        session.run_install(
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-e",
            f".[{SITE_ENV_EXTRA}]",
            external=True,
        )
        SITE_ENV_STAMP.write_text(wanted)
    bin_dir = str(python.parent.absolute())
    return {
        **DOCS_ENV,
        "VIRTUAL_ENV": str(SITE_ENV.absolute()),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def _run_in_site_env(session: nox.Session, env: dict[str, str], *args: str) -> None:
    """Run a program of the shared environment (``mkdocs``, ``pytest``, ``python``)."""
    program = str(Path(env["VIRTUAL_ENV"], "bin", args[0]))
    session.run(program, *args[1:], env=env, external=True)


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Build the site strictly into site/, notebooks run, then check its links offline.

    A broken include, rule, notebook cell, internal link or anchor fails it.
    """
    env = _site_env(session)
    _run_in_site_env(session, env, *mkdocs_build())
    _run_in_site_env(session, env, "python", "-m", "site_hooks.check_links", SITE_DIR)


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """Run every snippet against its #> lines, the docs gates and the built-site checks.

    Pass pytest options after --, e.g. `nox -s tests -- --update-examples`; they replace
    the default of one worker per core.
    """
    env = _site_env(session)
    args = session.posargs or ["--numprocesses", "auto"]
    _run_in_site_env(session, env, "pytest", *args)


@nox.session(python=PYTHONS)
def quick(session: nox.Session) -> None:
    """The quick tier: snippets, their linting, unit tests and the gates needing no build.

    The snippets against their #> lines and their linting, the unit tests of the connector,
    the sandbox, connector-lint and connector-check, and the docs gates that need no site;
    no connector process, RabbitMQ, browser, fuzzing or site build (tests/tiers.py).

    `nox -s quick-3.11` for one interpreter; pytest options after -- replace the default
    of one worker per core.
    """
    session.install("-e", ".[test]")
    args = session.posargs or ["--numprocesses", "auto"]
    session.run("pytest", "-m", QUICK_TIER, *args, env=DOCS_ENV)


@nox.session(python=PYTHONS)
def e2e(session: nox.Session) -> None:
    """The end-to-end tests: connectors run as processes against the sandbox.

    The example connector and connector-check's runs (the fault matrix, the amqp runs), on
    each supported interpreter; pytest options after -- replace the default workers.
    """
    session.install("-e", ".[test]")
    args = session.posargs or ["--numprocesses", "auto"]
    session.run("pytest", "-m", "e2e", *args, env=DOCS_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, mypy --strict and connector-lint over the whole
    project: the example connector and the project's own packages follow the rules the
    site teaches ([tool.connector-lint] leaves out the "Don't" snippets)."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("connector-lint", ".")


@nox.session
def fuzz(session: nox.Session) -> None:
    """The fuzz tests with 20,000 random examples each, where CI runs 2,000 fixed ones.

    A failure prints the example and a blob that replays it (@reproduce_failure).
    """
    session.install("-e", ".[test]")
    session.run(
        "pytest",
        "tests/reliability/test_fuzz.py",
        *session.posargs,
        env={"FUZZ_PROFILE": "fuzz"},
    )


@nox.session(venv_backend="none")
def demo(session: nox.Session) -> None:
    """Start the sandbox, run the example connector once against it, print a summary."""
    env = _site_env(session)
    _run_in_site_env(
        session, env, "python", "-m", "connector_sandbox.demo", *session.posargs
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Measure the connector's throughput, memory and costs, the maintainer loop, Lighthouse.

    Lighthouse (installed by npm under .cache/lighthouse/) runs on Debian's Chromium.
    Writes benchmarks/results.json, then builds the site, whose Performance page shows it.
    About an hour on two cores; `nox -s bench -- --quick` measures a small subset in
    minutes. Not run by CI: the numbers depend on the machine.
    """
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", "run", *session.posargs, env=DOCS_ENV)
    session.run(*mkdocs_build(), env=DOCS_ENV)
    session.log("The Performance page: site/performance/index.html")


@nox.session
def check_template(session: nox.Session) -> None:
    """Run connector-check on OpenCTI's connector template: benchmarks/template_check.json.

    `nox -s check_template -- REPOSITORY [--rev REV]`, REPOSITORY a git clone of
    OpenCTI-Platform/connectors. The template gets an environment of its own with its own
    pins (a few minutes to install); the "Check your own connector" page shows the results.
    Not run by CI: it needs that repository.
    """
    _run_on_connectors_clone(session, "connector", "benchmarks.template_check")


@nox.session
def lint_corpus(session: nox.Session) -> None:
    """Run connector-lint over the public connectors: benchmarks/lint_corpus.json.

    `nox -s lint_corpus -- REPOSITORY [--rev REV]`, REPOSITORY a git clone of
    OpenCTI-Platform/connectors: counts per code, connectors affected, connector-lint's
    time against flake8's on the same files, a sample of findings to judge, and each
    code's recall on the connectors read for benchmarks/lint_corpus_recall.json (so REV must
    be the commit they were read at). Not run by CI: it needs that repository.
    """
    _run_on_connectors_clone(session, "bench", "benchmarks.lint_corpus")


def _run_on_connectors_clone(session: nox.Session, extra: str, module: str) -> None:
    """Run ``module`` on the clone of OpenCTI-Platform/connectors given after ``--``."""
    if not session.posargs:
        session.error(
            "give a clone of OpenCTI-Platform/connectors: "
            f"nox -s {session.name} -- PATH [--rev REV]"
        )
    session.install("-e", f".[{extra}]")
    session.run("python", "-m", module, *session.posargs)


@nox.session(venv_backend="none")
def serve(session: nox.Session) -> None:
    """Serve the site with live reload on http://127.0.0.1:8000."""
    env = _site_env(session)
    _run_in_site_env(
        session,
        env,
        "mkdocs",
        "serve",
        "--dev-addr",
        "127.0.0.1:8000",
        "--watch",
        "snippets",
        "--watch",
        "connector_sandbox",
        "--watch",
        "site_hooks",
    )


@nox.session(venv_backend="none")
def preview(session: nox.Session) -> None:
    """Build the site as `nox -s docs` does, then serve site/ as a static host would.

    On http://127.0.0.1:8000 (`-- --port N` for another): gzip for text when the browser
    accepts it, the site's 404 page for a missing file, no live reload.
    """
    env = _site_env(session)
    _run_in_site_env(session, env, *mkdocs_build())
    _run_in_site_env(
        session, env, "python", "-m", "site_hooks.preview", SITE_DIR, *session.posargs
    )
