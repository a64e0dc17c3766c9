"""Maintainer commands. CI runs `nox -s docs tests`, and quick and e2e on the other
interpreters (.ci/run)."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
# A bare `nox` runs what CI runs; serve, demo, bench, check_template and lint_corpus are
# asked for by name.
nox.options.sessions = ["docs", "tests"]
nox.options.error_on_missing_interpreters = True

# The site must build from files in the repository alone: no web fonts, no network.
DOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}
# The supported interpreters, oldest first: pyproject.toml's requires-python and classifiers
# say the same (tests/test_tiers.py). `tests` runs on the one nox runs on.
PYTHONS = ["3.11", "3.12", "3.13"]
# The tiers the quick loop leaves out (tests/tiers.py marks them, by folder).
QUICK_TIER = "not e2e and not browser and not fuzz and not site"


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site strictly into site/, notebooks run, then check its links offline.

    A broken include, rule, notebook cell, internal link or anchor fails it.
    """
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=DOCS_ENV)
    session.run("python", "-m", "site_hooks.check_links", "site")


@nox.session
def tests(session: nox.Session) -> None:
    """Run every snippet against its #> lines, the docs gates and the built-site checks.

    Pass pytest options after --, e.g. `nox -s tests -- --update-examples`; they replace
    the default of one worker per core.
    """
    session.install("-e", ".[test]")
    args = session.posargs or ["--numprocesses", "auto"]
    session.run("pytest", *args, env=DOCS_ENV)


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


@nox.session
def demo(session: nox.Session) -> None:
    """Start the sandbox, run the example connector once against it, print a summary."""
    session.install("-e", ".[connector]")
    session.run("python", "-m", "connector_sandbox.demo", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Measure the connector's throughput, memory and costs, and the maintainer loop.

    Writes benchmarks/results.json, then builds the site, whose Performance page shows it.
    About an hour on two cores; `nox -s bench -- --quick` measures a small subset in
    minutes. Not run by CI: the numbers depend on the machine.
    """
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", "run", *session.posargs, env=DOCS_ENV)
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=DOCS_ENV)
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
    time against flake8's on the same files, and a sample of findings to judge. Not run
    by CI: it needs that repository.
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


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site with live reload on http://127.0.0.1:8000."""
    session.install("-e", ".[docs]")
    session.run(
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
        env=DOCS_ENV,
    )
