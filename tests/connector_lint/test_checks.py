"""Each check on the code it must flag, and on the code it must leave alone.

Every code of the checker has at least one case here that triggers it (a test in
tests/test_enforcement.py says so), so removing a check or narrowing it fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from connector_lint import Settings
from tests.connector_lint.support import findings

PYCTI_TYPE_ERROR = (
    "a TypeError at run time; put the details in meta (error() adds the traceback)"
)
SENTINEL = "raise an exception instead, or warn if the result is still usable"
SWALLOWED = (
    "swallows a request to stop (Ctrl+C, SIGTERM, sys.exit): it neither re-raises nor "
    "exits; report the stop if you must, then raise"
)
HANDLED_ERROR = (
    "an error you handle is a WARNING; ERROR is for the unexpected, in except Exception"
)
UNCLOSED = (
    "work opened here is not closed in a finally: call to_processed in a finally of this "
    "function, or an error leaves it in progress"
)
EXIT = "raise, and let the layer that knows what comes next decide"
FIRST = "catches it first; put the narrower class first"
FIRST_OF_SEVERAL = "catches them first; put the narrower classes first"
HANDLED = (
    "for a handled error; put the reason in the record's fields (extra=), keep tracebacks "
    "for ERROR in the top-level handler"
)


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    source: str
    expected: list[str]
    settings: Settings | None = None

    def __str__(self) -> str:
        return f"{self.code}-{self.name}"


SUCCESS = (
    "ends the process with status 0: a stop reported as success; re-raise, or exit "
    "non-zero (130 after Ctrl+C, 143 after SIGTERM)"
)
CASES = [
    # OCE001: pycti's logger, recognised by name and through assignments.
    Case(
        "OCE001",
        "exc_info-on-helper-connector_logger",
        """
        def skip(helper, ioc_id):
            try:
                fetch(ioc_id)
            except TimeoutError as err:
                helper.connector_logger.warning("IOC skipped", exc_info=err)
        """,
        [
            "6:56 OCE001 helper.connector_logger.warning(): pycti's logger takes no "
            f"exc_info argument, {PYCTI_TYPE_ERROR}"
        ],
    ),
    Case(
        "OCE001",
        "extra-on-an-attribute-bound-to-it",
        """
        class Connector:
            def __init__(self, helper):
                self.logger = helper.connector_logger

            def run(self):
                self.logger.info("Run started", extra={"run": 1})
        """,
        [
            "7:41 OCE001 self.logger.info(): pycti's logger takes no extra argument, "
            f"{PYCTI_TYPE_ERROR}"
        ],
    ),
    Case(
        "OCE001",
        "missing-method-through-two-names",
        """
        logger = helper.connector_logger
        log = logger
        try:
            run()
        except Exception:
            log.exception("Run failed")
        """,
        [
            "7:5 OCE001 log.exception(): pycti's logger has no exception() method, an "
            "AttributeError at run time; use debug, info, warning or error"
        ],
    ),
    Case(
        "OCE001",
        "helper-alias-and-printf-arguments",
        """
        def report(self, count, source):
            self.helper.log_info("Found ids", exc_info=True)
            self.helper.connector_logger.info("Found %s ids in %s", count, source)
        """,
        [
            "3:39 OCE001 self.helper.log_info(): pycti's logger takes no exc_info "
            f"argument, {PYCTI_TYPE_ERROR}",
            "4:5 OCE001 self.helper.connector_logger.info(): pycti's logger takes a "
            "message and meta, not 3 arguments, a TypeError at run time; put values in meta",
        ],
    ),
    Case(
        "OCE001",
        "meta-and-the-standard-library-logger-pass",
        """
        import logging

        logger = logging.getLogger(__name__)
        self.logger = logging.getLogger("connector")


        def skip(helper, ioc_id, err):
            helper.connector_logger.warning("IOC skipped", {"reason": str(err)})
            helper.connector_logger.debug("Details", meta={"ioc_id": ioc_id})
            logger.warning("IOC skipped", exc_info=err)
            self.logger.info("Skipped %s", ioc_id, extra={"ioc_id": ioc_id})
        """,
        [],
    ),
    # OCE002: a work must be closed in a finally of the function that opens it.
    Case(
        "OCE002",
        "closed-after-the-try",
        """
        def run(helper):
            work_id = helper.api.work.initiate_work(helper.connect_id, "run")
            try:
                process()
            except Exception:
                helper.connector_logger.error("Run failed")
            helper.api.work.to_processed(work_id, "done")
        """,
        [f"3:15 OCE002 {UNCLOSED}"],
    ),
    Case(
        "OCE002",
        "finally-that-closes-something-else",
        """
        def run(helper, client):
            try:
                work_id = helper.api.work.initiate_work(helper.connect_id, "run")
                process(work_id)
            finally:
                client.close()
        """,
        [f"4:19 OCE002 {UNCLOSED}"],
    ),
    Case(
        "OCE002",
        "closed-in-finally-directly-or-through-methods",
        """
        def run(helper):
            work_id = helper.api.work.initiate_work(helper.connect_id, "run")
            try:
                process()
            finally:
                helper.api.work.to_processed(work_id, "done")


        class Connector:
            def process(self):
                try:
                    self.work_id = self.helper.api.work.initiate_work("id", "run")
                finally:
                    self._finish()

            def _finish(self):
                if self.work_id is not None:
                    self._close_work()

            def _close_work(self):
                self.helper.api.work.to_processed(work_id=self.work_id, message="done")
        """,
        [],
    ),
    # OCE003: a handler that returns a sentinel instead of raising.
    Case(
        "OCE003",
        "minus-one-empty-string-false",
        """
        def parse_score(raw):
            try:
                return int(raw["score"])
            except (KeyError, ValueError):
                return -1


        def read_name(raw):
            try:
                return raw["name"]
            except KeyError:
                return ""


        def send(bundle):
            try:
                push(bundle)
            except ValueError:
                return False
            return True
        """,
        [
            f"6:9 OCE003 except handler returns the sentinel -1: {SENTINEL}",
            f"13:9 OCE003 except handler returns the sentinel '': {SENTINEL}",
            f"20:9 OCE003 except handler returns the sentinel False: {SENTINEL}",
        ],
    ),
    Case(
        "OCE003",
        "none-where-the-function-returns-values",
        """
        def get_ioc(client, ioc_id) -> dict:
            try:
                body = client.get(ioc_id)
            except OSError:
                return None
            return body


        def get_ids(client):
            try:
                return client.ids()
            except OSError:
                return
        """,
        [
            f"6:9 OCE003 except handler returns the sentinel None: {SENTINEL}",
            f"14:9 OCE003 except handler returns the sentinel None: {SENTINEL}",
        ],
    ),
    Case(
        "OCE003",
        "declared-none-procedures-predicates-and-empty-results-pass",
        """
        from typing import Optional


        def get_pdf(report) -> bytes | None:
            try:
                return report["pdf"]
            except KeyError:
                return None


        def get_logo(client) -> Optional[bytes]:
            try:
                return client.logo()
            except LogoNotFound:
                return None


        def get_icon(value) -> "int | None":
            try:
                return int(value)
            except ValueError:
                return None


        def close(client) -> None:
            try:
                client.close()
            except OSError:
                logger.warning("close failed")
                return


        def is_ip(text):
            try:
                ipaddress.ip_address(text)
            except ValueError:
                return False
            return True


        class Window:
            def __contains__(self, moment):
                try:
                    return self.start <= moment < self.end
                except TypeError:
                    return False


        def objects_for(ioc):
            try:
                return convert(ioc)
            except UseCaseError:
                logger.warning("IOC skipped")
                return []
        """,
        [],
    ),
    # OCE004: a stop request caught and not passed on.
    Case(
        "OCE004",
        "bare-base-tuple-and-local-subclass",
        """
        class TerminationRequested(KeyboardInterrupt):
            pass


        def run(ids):
            for ioc_id in ids:
                try:
                    send(ioc_id)
                except:
                    pass
            try:
                finish()
            except BaseException:
                logger.exception("finish failed")
            try:
                wait()
            except (ValueError, SystemExit):
                return
            try:
                serve()
            except TerminationRequested:
                logger.info("stopped")
        """,
        [
            f"10:9 OCE004 a bare except {SWALLOWED}",
            f"14:5 OCE004 except BaseException {SWALLOWED}",
            f"18:5 OCE004 except SystemExit {SWALLOWED}",
            f"22:5 OCE004 except TerminationRequested {SWALLOWED}",
        ],
    ),
    Case(
        "OCE004",
        "re-raised-exited-or-returned-by-main-pass",
        """
        import sys


        def run(work):
            try:
                process()
            except (KeyboardInterrupt, SystemExit):
                work.report_expectation("work-1", {"error": "stopped"})
                raise


        def main():
            try:
                serve()
            except KeyboardInterrupt:
                return 130
            return 0


        def process_all(ids):
            for ioc_id in ids:
                try:
                    send(ioc_id)
                except Exception:
                    logger.warning("IOC failed")


        if __name__ == "__main__":
            try:
                sys.exit(main())
            except KeyboardInterrupt:
                sys.exit(130)
        """,
        [],
    ),
    # OCE005: ERROR belongs to the unexpected, in except Exception.
    Case(
        "OCE005",
        "outside-handlers-and-in-specific-ones",
        """
        import logging

        logging.getLogger(__name__).error("Starting in a bad state")


        def run(helper, ioc_id):
            if not ioc_id:
                helper.log_error("No id")
            try:
                fetch(ioc_id)
            except KeyError as err:
                logging.log(logging.ERROR, "Missing %s", err)
            except (OSError, ValueError):
                logger.critical("Source down")
        """,
        [
            "4:1 OCE005 getLogger.error() logs at ERROR outside any except block: ERROR "
            "is for unexpected exceptions, in the run's except Exception; use WARNING or "
            "INFO",
            "9:9 OCE005 helper.log_error() logs at ERROR outside any except block: ERROR "
            "is for unexpected exceptions, in the run's except Exception; use WARNING or "
            "INFO",
            f"13:9 OCE005 logging.log() logs a handled KeyError at ERROR: {HANDLED_ERROR}",
            "15:9 OCE005 logger.critical() logs a handled OSError, ValueError at ERROR: "
            f"{HANDLED_ERROR}",
        ],
    ),
    Case(
        "OCE005",
        "blind-handlers-lower-levels-and-non-loggers-pass",
        """
        import logging


        def run(helper, report):
            try:
                process()
            except UseCaseError as err:
                logger.warning("IOC skipped: %s", err)
                logging.log(logging.WARNING, "skipped")
                report.errors.error("kept for the summary")
            except Exception:
                helper.connector_logger.error("Unexpected error")
            try:
                finish()
            except BaseException:
                logger.exception("Stopped")
                raise
        """,
        [],
    ),
    # OCE006: the limit counts statements that can raise, through nested blocks.
    Case(
        "OCE006",
        "four-raising-statements-with-a-nested-block",
        """
        def etl(client, ioc_id):
            try:
                ioc = client.get_ioc(ioc_id)
                if ioc.has_pdf:
                    ioc.pdf = client.get_pdf(ioc_id)
                bundle = convert(ioc)
                send(bundle)
            except DataRetrievalError:
                logger.warning("IOC skipped")
        """,
        [
            "3:5 OCE006 try body has 4 statements that can raise (calls, subscripts; "
            "limit 3): wrap only the statement that can raise the error you handle"
        ],
    ),
    Case(
        "OCE006",
        "a-lower-limit",
        """
        def to_pattern(ioc):
            try:
                value = ioc["value"]
                return PATTERNS[ioc["type"]].format(value=value)
            except KeyError as err:
                raise IOCError("no value") from err
        """,
        [
            "3:5 OCE006 try body has 2 statements that can raise (calls, subscripts; "
            "limit 1): wrap only the statement that can raise the error you handle"
        ],
        Settings(max_try_statements=1),
    ),
    Case(
        "OCE006",
        "nested-try-and-def-count-as-one",
        """
        def run(ids):
            try:
                def skip(ioc_id):
                    logger.warning("skipped %s", ioc_id)
                    return None
                for ioc_id in ids:
                    try:
                        a = fetch(ioc_id)
                        b = convert(a)
                        send(b)
                    except UseCaseError:
                        skip(ioc_id)
            except Exception:
                logger.exception("Run failed")
        """,
        [],
    ),
    # OCE007: a clause after one that catches a base class of its own.
    Case(
        "OCE007",
        "local-and-builtin-hierarchies",
        """
        class DataRetrievalError(Exception):
            pass


        class RateLimitError(DataRetrievalError):
            pass


        def run(client):
            try:
                client.get()
            except DataRetrievalError:
                logger.warning("skipped")
            except RateLimitError:
                logger.info("retry later")
            try:
                client.connect()
            except (KeyError, OSError):
                logger.warning("no connection")
            except ConnectionRefusedError:
                logger.warning("refused")
            except BaseException:
                raise
            except KeyboardInterrupt:
                raise
        """,
        [
            "15:5 OCE007 except RateLimitError never runs: the except "
            "DataRetrievalError on line 13 catches it first; put the narrower class first",
            "21:5 OCE007 except ConnectionRefusedError never runs: the except OSError on "
            "line 19 catches it first; put the narrower class first",
            "25:5 OCE007 except KeyboardInterrupt never runs: the except BaseException on "
            "line 23 catches it first; put the narrower class first",
        ],
    ),
    Case(
        "OCE007",
        "narrow-first-and-unknown-classes-pass",
        """
        import requests


        def run(client):
            try:
                client.get()
            except RateLimitError:
                logger.info("retry later")
            except (KeyboardInterrupt, SystemExit):
                raise
            except requests.RequestException:
                logger.warning("source down")
            except requests.HTTPError:
                logger.warning("imported: its ancestry is not in this file")
            except Exception:
                logger.exception("unexpected")
        """,
        [],
    ),
    Case(
        "OCE007",
        "builtin-mro-tuples-and-file-classes-derived-from-builtins",
        """
        class RateLimitError(ValueError):
            pass


        class SourceError(Exception):
            pass


        def run(client):
            try:
                client.get()
            except Exception:
                logger.exception("unexpected")
            except (KeyError, SourceError):
                logger.warning("never")
            try:
                client.connect()
            except (ValueError, OSError):
                logger.warning("no connection")
            except (TimeoutError, ConnectionError):
                logger.warning("timed out")
            except RateLimitError:
                logger.info("retry later")
            try:
                client.page(3)
            except LookupError:
                logger.warning("no such page")
            except IndexError:
                logger.warning("out of range")
        """,
        [
            "15:5 OCE007 except KeyError, SourceError never run: the except Exception on "
            f"line 13 {FIRST_OF_SEVERAL}",
            "21:5 OCE007 except TimeoutError, ConnectionError never run: the except "
            f"OSError on line 19 {FIRST_OF_SEVERAL}",
            f"23:5 OCE007 except RateLimitError never runs: the except ValueError on line "
            f"19 {FIRST}",
            f"29:5 OCE007 except IndexError never runs: the except LookupError on line 27 "
            f"{FIRST}",
        ],
    ),
    Case(
        "OCE007",
        "after-base-exception-anything-and-the-same-class-twice",
        """
        import requests


        def run(client):
            try:
                client.get()
            except BaseException:
                raise
            except requests.HTTPError:
                logger.warning("source down")
            try:
                client.save()
            except OSError:
                logger.warning("disk full")
            except IOError:
                logger.warning("disk full")
        """,
        [
            "10:5 OCE007 except requests.HTTPError never runs: the except BaseException "
            f"on line 8 {FIRST}",
            "16:5 OCE007 except IOError never runs: the except OSError on line 14 "
            "catches the same class first; remove one of them",
        ],
    ),
    Case(
        "OCE007",
        "in-a-nested-handler-reported-once",
        """
        def run(client):
            try:
                client.get()
            except OSError:
                try:
                    client.retry()
                except Exception:
                    raise
                except ValueError:
                    logger.warning("bad answer")
        """,
        [
            "10:9 OCE007 except ValueError never runs: the except Exception on line 8 "
            f"{FIRST}"
        ],
    ),
    Case(
        "OCE007",
        "builtin-names-the-file-redefines-or-imports-pass",
        """
        from requests import ConnectionError


        class TimeoutError(Exception):
            pass


        def run(client):
            try:
                client.get()
            except OSError:
                logger.warning("socket error")
            except ConnectionError:
                logger.warning("requests' own: not known to derive from OSError")
            except TimeoutError:
                logger.warning("this file's own: an Exception, not an OSError")
            except Exception:
                logger.exception("unexpected")
            except KeyboardInterrupt:
                raise
        """,
        [],
    ),
    # OCE008: only the program's top ends the process.
    Case(
        "OCE008",
        "exit-and-raise-systemexit-in-low-level-handlers",
        """
        import os
        import sys


        class SourceClient:
            def get_ioc(self, ioc_id):
                try:
                    return self._get(ioc_id)
                except HTTPError:
                    logger.warning("Source failed")
                    sys.exit(1)

            def get_ids(self):
                try:
                    return self._get("ids")
                except HTTPError as err:
                    raise SystemExit(2) from err


        def flush(queue):
            try:
                queue.flush()
            except OSError:
                os._exit(3)
        """,
        [
            f"12:13 OCE008 get_ioc() ends the process from an except handler: {EXIT}",
            f"18:13 OCE008 get_ids() ends the process from an except handler: {EXIT}",
            f"25:9 OCE008 flush() ends the process from an except handler: {EXIT}",
        ],
    ),
    Case(
        "OCE008",
        "main-module-level-and-outside-handlers-pass",
        """
        import sys


        def main():
            try:
                config = load()
            except ConfigError as err:
                sys.exit(f"ConfigError: {err}")
            if not config.ok:
                sys.exit(1)


        if __name__ == "__main__":
            try:
                main()
            except KeyboardInterrupt:
                sys.exit(130)
        """,
        [],
    ),
    Case(
        "OCE008",
        "in-a-nested-handler-reported-once",
        """
        import sys


        def get(client):
            try:
                return client.get()
            except OSError:
                try:
                    return client.retry()
                except OSError:
                    sys.exit(1)
        """,
        [f"12:13 OCE008 get() ends the process from an except handler: {EXIT}"],
    ),
    Case(
        "OCE003",
        "in-a-nested-handler-reported-once",
        """
        def get(client) -> dict:
            try:
                return client.get()
            except OSError:
                try:
                    return client.retry()
                except OSError:
                    return None
        """,
        [f"9:13 OCE003 except handler returns the sentinel None: {SENTINEL}"],
    ),
    # OCE009: a handled error needs no traceback; ERROR in the top-level handler has it.
    Case(
        "OCE009",
        "exc_info-and-stack_info-below-error-in-handlers-that-handle",
        """
        import logging
        import sys


        def run(client, ids):
            for ioc_id in ids:
                try:
                    client.get(ioc_id)
                except TimeoutError as err:
                    logger.warning("IOC skipped", exc_info=True)
                    logging.info("IOC skipped", exc_info=err)
                    logger.log(logging.DEBUG, "details", exc_info=sys.exc_info())
                except ValueError:
                    self._log.warning("bad IOC", stack_info=True, exc_info=True)
            try:
                finish()
            except Exception:
                logger.warning("Run failed", exc_info=True)
        """,
        [
            f"11:43 OCE009 logger.warning(): exc_info= logs a traceback at WARNING {HANDLED}",
            f"12:41 OCE009 logging.info(): exc_info= logs a traceback at INFO {HANDLED}",
            f"13:50 OCE009 logger.log(): exc_info= logs a traceback at DEBUG {HANDLED}",
            "15:42 OCE009 self._log.warning(): stack_info= logs a stack trace at WARNING "
            f"{HANDLED}",
            f"19:38 OCE009 logger.warning(): exc_info= logs a traceback at WARNING {HANDLED}",
        ],
    ),
    Case(
        "OCE009",
        "re-raised-false-unknown-error-level-and-outside-handlers-pass",
        """
        import logging


        def run(client, ids, level):
            logger.warning("Starting over", exc_info=True)
            for ioc_id in ids:
                try:
                    client.get(ioc_id)
                except TimeoutError:
                    logger.warning("retrying", exc_info=True)
                    raise
                except KeyError:
                    logger.warning("IOC skipped", exc_info=False)
                    logger.info("IOC skipped", exc_info=None, stack_info=0)
                    logger.debug("details", exc_info=logger.isEnabledFor(logging.DEBUG))
                    logger.log(level, "IOC skipped", exc_info=True)
                    logger.warning("IOC skipped", extra={"ioc_id": ioc_id})
            try:
                finish()
            except Exception:
                logger.error("Run failed", exc_info=True)
                logger.exception("Run failed")
        """,
        [],
    ),
    Case(
        "OCE001",
        "pycti-logger-with-exc_info-in-a-handler-is-oce001-only",
        """
        def skip(helper, ioc_id):
            logger = helper.connector_logger
            try:
                fetch(ioc_id)
            except TimeoutError:
                logger.warning("IOC skipped", exc_info=True)
                helper.log_info("IOC skipped", stack_info=True)
        """,
        [
            "7:39 OCE001 logger.warning(): pycti's logger takes no exc_info argument, "
            f"{PYCTI_TYPE_ERROR}",
            "8:40 OCE001 helper.log_info(): pycti's logger takes no stack_info argument, "
            f"{PYCTI_TYPE_ERROR}",
        ],
    ),
    # OCE010: a stop answered with status 0, wherever the handler is.
    Case(
        "OCE010",
        "success-exits-after-a-stop-at-every-level",
        """
        import os
        import sys


        class Connector:
            def process_message(self):
                try:
                    self.run()
                except (KeyboardInterrupt, SystemExit):
                    self.log("stopped")
                    sys.exit(0)


        def main():
            try:
                run()
            except KeyboardInterrupt:
                return 0


        def serve():
            try:
                run()
            except BaseException:
                raise SystemExit


        if __name__ == "__main__":
            try:
                main()
            except SystemExit:
                os._exit(0)
            except:
                exit()
        """,
        [
            f"12:13 OCE010 except KeyboardInterrupt {SUCCESS}",
            f"19:9 OCE010 except KeyboardInterrupt {SUCCESS}",
            f"26:9 OCE010 except BaseException {SUCCESS}",
            f"33:9 OCE010 except SystemExit {SUCCESS}",
            f"35:9 OCE010 a bare except {SUCCESS}",
        ],
    ),
    Case(
        "OCE010",
        "non-zero-unknown-status-and-other-handlers-pass",
        """
        import sys


        def main():
            try:
                run()
            except KeyboardInterrupt:
                sys.exit(130)
            except SystemExit as stop:
                sys.exit(stop.code)
            except Exception:
                sys.exit(0)
            try:
                run()
            except KeyboardInterrupt:
                raise
            return 0
        """,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_check(case: Case) -> None:
    assert findings(case.source, case.settings) == case.expected
