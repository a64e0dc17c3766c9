"""The checks that know a connector's layers: what runs at the top of a run (OCE005,
OCE006), a work handed from a helper to its caller (OCE002), pycti's logger under any name
(OCE001, OCE005, OCE009), and OCE006's limit per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector_lint import Settings
from tests.connector_lint.support import findings
from tests.connector_lint.test_cli import configure, run_main, write

UNCLOSED = (
    "OCE002 work opened here is not closed in a finally: call to_processed in a finally "
    "of this function, or an error leaves it in progress"
)
BELOW_TOP = (
    "below the top of the run: log a WARNING if it handles the error, or let it reach "
    "the run's top-level handler, which logs the ERROR"
)


def long_try(count: int, limit: int = 3) -> str:
    return (
        f"OCE006 try body has {count} statements that can raise (calls, subscripts; "
        f"limit {limit}): wrap only the statement that can raise the error you handle"
    )


# OCE006: what counts, and what is not checked.
def test_only_statements_that_can_raise_count() -> None:
    source = """
    def convert(client, ioc, objects):
        try:
            name = "ioc"
            labels = []
            kind = ioc.kind
            pass
            logger.info("Converting %s", ioc["id"])
            helper.connector_logger.debug("Details", {"name": name})
            objects.append(name)
            if isinstance(ioc, dict) and len(labels) == 0:
                labels = None
            artifact = {"cef": {}}
            artifact["cef"]["name"] = name[:100]
            score = round(max(ioc.score, 0))
            value = ioc["value"]
            if not value:
                raise ValueError("empty")
            return client.pattern(kind, value)
        except (KeyError, ValueError) as err:
            raise ConversionError(str(err)) from err
    """
    # Two count: ioc["value"] and client.pattern(); any other would go over 2.
    assert findings(source, Settings(max_try_statements=2)) == []
    assert findings(source, Settings(max_try_statements=1)) == [f"3:5 {long_try(2, 1)}"]


def test_calls_subscripts_and_awaits_count_in_nested_blocks() -> None:
    source = """
    async def collect(client, ids, counts):
        try:
            for ioc_id in client.list_ids():
                if ioc_id in counts:
                    counts[ioc_id] += 1
                with client.session() as session:
                    await session.fetch(ioc_id)
        except (DataRetrievalError, KeyError):
            logger.warning("Source down")
    """
    assert findings(source) == [f"3:5 {long_try(4)}"]
    # A lookup raises a KeyError: it counts only when a handler catches one.
    narrower = source.replace("(DataRetrievalError, KeyError)", "DataRetrievalError")
    assert findings(narrower) == []


def test_a_nested_try_counts_as_one_and_a_nested_def_as_none() -> None:
    source = """
    def convert(client, ioc):
        try:
            def label(name):
                return client.label(name)
            first = client.first(ioc)
            second = client.second(ioc)
            try:
                third = client.third(ioc)
                fourth = client.fourth(ioc)
            except KeyError:
                third = fourth = None
        except ValueError:
            logger.warning("skipped")
    """
    assert findings(source) == []
    assert findings(source, Settings(max_try_statements=2)) == [f"3:5 {long_try(3, 2)}"]


def test_an_if_counts_its_longest_branch_as_one_branch_runs() -> None:
    source = """
    def fetch(session, method, url):
        try:
            if method == "GET":
                response = session.get(url, timeout=5)
                data = response.json()
            elif method == "POST":
                response = session.post(url, timeout=5)
                data = response.json()
            else:
                response = session.put(url, timeout=5)
                data = response.json()
                check(data)
            return data
        except RequestException as err:
            raise SourceDown(url) from err
    """
    assert findings(source) == []
    assert findings(source, Settings(max_try_statements=2)) == [f"3:5 {long_try(3, 2)}"]


def test_try_finally_and_stop_handlers_are_not_checked() -> None:
    source = """
    def send_all(helper, work_id, bundles):
        try:
            helper.send(bundles[0])
            helper.send(bundles[1])
            helper.send(bundles[2])
            helper.send(bundles[3])
        finally:
            helper.api.work.to_processed(work_id, "done")


    def poll(client):
        while True:
            try:
                client.fetch()
                client.convert()
                client.send()
                client.wait()
            except (KeyboardInterrupt, SystemExit):
                logger.info("Stopping")
                raise
    """
    assert findings(source) == []


def test_blind_handlers_that_re_raise_are_not_checked_and_the_others_are() -> None:
    source = """
    def convert(client, ioc):
        try:
            client.a(ioc)
            client.b(ioc)
            client.c(ioc)
            client.d(ioc)
        except Exception:
            client.report_failure(ioc)
            raise

    def convert_or_skip(client, ioc):
        try:
            client.a(ioc)
            client.b(ioc)
            client.c(ioc)
            client.d(ioc)
        except Exception as err:
            raise ConversionError(ioc) from err

    def fetch(session, url):
        try:
            response = session.get(url, timeout=30)
            response.raise_for_status()
            data = response.json()
            return data["items"]
        except requests.HTTPError as err:
            raise SourceDown(url) from err
    """
    assert findings(source) == [f"13:5 {long_try(4)}"]


def test_a_get_with_one_plain_key_is_a_dicts_and_does_not_count() -> None:
    source = """
    def fetch(session, data, key):
        try:
            name = data.get("name")
            kind = data.get("kind", "unknown")
            page = session.get("/api/page")
            feed = session.get("https://source.test/feed")
            value = data.get(key)
            default = data.get(key, "none")
            field = getattr(data, key, None)
            return session.get(data["url"])
        except KeyError as err:
            raise FetchError(key) from err
    """
    assert findings(source) == [f"3:5 {long_try(4)}"]


TOP_LEVEL_TRY = """
class Connector:
    def run(self):
        self.helper.schedule_period(message_callback=self.collect, duration_period=60)

    def collect(self):
        try:
            self.fetch()
            self.convert()
            self.send()
            self.report()
        except Exception:
            self.helper.connector_logger.error("Run failed")

    def fetch(self):
        try:
            self.client.a()
            self.client.b()
            self.client.c()
            self.client.d()
        except Exception:
            self.helper.connector_logger.error("Fetch failed")
            return None
"""


def test_a_blind_handler_at_the_top_of_a_run_may_wrap_it_all() -> None:
    # collect is the scheduler's callback: its except Exception is the run's top; fetch
    # is called inside that try, so its own blind handler is a client's, checked.
    assert findings(TOP_LEVEL_TRY) == [
        f"16:9 {long_try(4)}",
        "22:13 OCE005 self.helper.connector_logger.error() logs at ERROR in an except "
        f"Exception of fetch(), {BELOW_TOP}",
    ]


def test_the_top_is_followed_through_calls_outside_blind_tries() -> None:
    source = """
    import logging

    logger = logging.getLogger(__name__)


    def main():
        while True:
            run_once()


    def run_once():
        try:
            fetch()
            convert()
            send()
            report()
        except Exception:
            logger.exception("Run failed")


    def helper_of_a_client():
        try:
            fetch()
        except Exception:
            logger.error("fetch failed")
            return None


    if __name__ == "__main__":
        try:
            start_all()
        except Exception:
            logger.critical("could not start")
    """
    assert findings(source) == [
        f"26:9 OCE005 logger.error() logs at ERROR in an except Exception of "
        f"helper_of_a_client(), {BELOW_TOP}"
    ]


def test_thread_targets_and_request_handlers_are_tops() -> None:
    source = """
    import threading


    class Worker:
        def begin(self):
            threading.Thread(target=self._loop, daemon=True).start()

        def _loop(self):
            try:
                self.step()
            except Exception:
                logger.exception("Worker step failed")


    class Stream:
        def run(self):
            callback = self.helper.create_batch_callback(batch_callback=self.batch)
            self.helper.listen_stream(message_callback=callback)

        def batch(self, events):
            try:
                self.client.a(events)
                self.client.b(events)
                self.client.c(events)
                self.client.d(events)
            except Exception:
                self.helper.connector_logger.error("Batch failed")


    class Handler:
        def do_GET(self):
            try:
                self.answer()
            except Exception:
                logger.exception("Request failed")
    """
    assert findings(source) == []


# OCE002: a work handed from a helper to its caller.
HELPERS = """
class Connector:
    def _initiate_work(self, name):
        work_id = self.helper.api.work.initiate_work(self.helper.connect_id, name)
        return work_id

    def _open(self):
        return self._initiate_work("run")

    def collect(self):
        work_id = self._open()
        self.send(work_id)
        self.helper.api.work.to_processed(work_id, "done")

    def collect_and_close(self):
        work_id = self._initiate_work("run")
        try:
            self.send(work_id)
        finally:
            self.helper.api.work.to_processed(work_id, "done")
"""


def test_a_work_opened_in_a_helper_is_reported_where_the_caller_gets_it() -> None:
    assert findings(HELPERS) == [f"11:19 {UNCLOSED}"]


def test_a_work_opened_in_a_helper_and_closed_in_the_callers_finally_passes() -> None:
    closed = HELPERS.replace(
        """        work_id = self._open()
        self.send(work_id)
        self.helper.api.work.to_processed(work_id, "done")""",
        """        work_id = self._open()
        try:
            self.send(work_id)
        finally:
            self._finish(work_id)

    def _finish(self, work_id):
        self.helper.api.work.to_processed(work_id, "done")""",
    )
    assert closed != HELPERS
    assert findings(closed) == []


def test_a_function_that_opens_a_work_and_keeps_it_is_still_reported() -> None:
    source = """
    def collect(helper):
        work_id = helper.api.work.initiate_work(helper.connect_id, "run")
        helper.send(work_id)
        return len(work_id)
    """
    assert findings(source) == [f"3:15 {UNCLOSED}"]


# pycti's logger under any name, and the standard library's by how it is spelled.
def test_pycti_logger_aliases_are_followed_whatever_their_names() -> None:
    source = """
    class Client:
        def __init__(self, helper):
            self.out = helper.connector_logger
            self.catalog = Catalog()

        def fetch(self, ioc_id):
            report = self.out
            report.info("Fetching", ioc_id, "now")
            self.out.exception("Fetched")
            self.catalog.error("not a logger")
            self.catalog.info("kept", extra={"a": 1})
    """
    assert findings(source) == [
        "9:9 OCE001 report.info(): pycti's logger takes a message and meta, not 3 "
        "arguments, a TypeError at run time; put values in meta",
        "10:9 OCE001 self.out.exception(): pycti's logger has no exception() method, an "
        "AttributeError at run time; use debug, info, warning or error",
        "10:9 OCE005 self.out.exception() logs at ERROR outside any except block: ERROR "
        "is for unexpected exceptions, in the run's except Exception; use WARNING or INFO",
    ]


def test_handled_tracebacks_are_not_reported_for_a_pycti_alias() -> None:
    # OCE009 is the standard library's: on pycti's logger, exc_info is OCE001, once.
    source = """
    def fetch(helper, client):
        out = helper.connector_logger
        try:
            client.get()
        except KeyError:
            out.warning("skipped", exc_info=True)
    """
    assert findings(source) == [
        "7:32 OCE001 out.warning(): pycti's logger takes no exc_info argument, a "
        "TypeError at run time; put the details in meta (error() adds the traceback)",
    ]


# OCE006's limit per file, from the configuration.
LONG = """\
def etl(client, ioc_id):
    try:
        ioc = client.get_ioc(ioc_id)
        bundle = client.convert(ioc)
        client.send(bundle)
        client.report(ioc_id)
    except DataRetrievalError:
        logger.warning("skipped")
"""


def test_per_file_limits_apply_by_path_or_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        project,
        'max-try-statements = 2\nper-file-max-try-statements = {"legacy/*" = 4, '
        '"etl.py" = 3}',
    )
    for folder in ("legacy", "src", "src/deep"):
        write(project, f"{folder}/etl.py", LONG)
    write(project, "src/other.py", LONG)
    code, out, _ = run_main(capsys, "--select", "OCE006", ".")
    assert code == 1
    assert sorted(line.split(" (docs/")[0] for line in out.splitlines()) == [
        f"src/deep/etl.py:2:5: {long_try(4, 3)}",
        f"src/etl.py:2:5: {long_try(4, 3)}",
        f"src/other.py:2:5: {long_try(4, 2)}",
    ]
    # The option is the limit of every file, as ruff's options override its settings.
    code, out, _ = run_main(capsys, "--max-try-statements", "5", ".")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "per-file-max-try-statements = 4",
            "per-file-max-try-statements must be a table of file patterns and limits, "
            'such as per-file-max-try-statements = {"src/legacy/*.py" = 6}, got 4',
        ),
        (
            'per-file-max-try-statements = {"legacy/*" = 0}',
            "per-file-max-try-statements['legacy/*'] must be a whole number of 1 or "
            "more, got 0",
        ),
        (
            'per-file-max-try-statements = {"legacy/*" = "4"}',
            "per-file-max-try-statements['legacy/*'] must be a whole number of 1 or "
            "more, got '4'",
        ),
        (
            'per-file-max-try-statements = {"" = 4}',
            "per-file-max-try-statements has an empty file pattern; name files",
        ),
    ],
)
def test_a_bad_per_file_limit_stops_the_run(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    configure(project, table)
    write(project, "etl.py", LONG)
    code, out, err = run_main(capsys, "etl.py")
    assert (code, out) == (2, "")
    assert err == (
        f"connector-lint: error: {project / 'pyproject.toml'} "
        f"[tool.connector-lint]: {message}\n"
    )


def test_a_function_that_uses_the_work_before_returning_it_is_checked_itself() -> None:
    source = """
    class Batches:
        def _open(self, name):
            work_id = self.helper.api.work.initiate_work(self.helper.connect_id, name)
            self.helper.connector_logger.info("Opened", work_id)
            return work_id

        def _send_batch(self, items):
            work_id = self._open("batch")
            self.helper.send_stix2_bundle(items, work_id=work_id)
            return work_id

        def add(self, item):
            return self._send_batch([item])
    """
    assert findings(source) == [f"9:19 {UNCLOSED}"]
