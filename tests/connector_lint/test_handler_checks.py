"""The handler checks where the public connectors showed them wrong: where a function runs
(a worker thread, the program's top), a documented bool, a fall-through to None, a failure
typed Optional, and one finding for one problem."""

from __future__ import annotations

import pytest

from connector_lint.findings import Finding
from connector_lint.runner import once_each
from tests.connector_lint.support import findings

SENTINEL = "raise an exception instead, or warn if the result is still usable"
FALLS_OFF = (
    "except handler falls off the end of the function, which returns the sentinel None: "
    f"{SENTINEL}"
)
SWALLOWED = (
    "swallows a request to stop (Ctrl+C, SIGTERM, sys.exit): it neither re-raises nor "
    "exits; report the stop if you must, then raise"
)
EXIT = "ends the process from an except handler: raise, and let the layer that knows what comes next decide"
SUCCESS = (
    "ends the process with status 0: a stop reported as success; re-raise, or exit "
    "non-zero (130 after Ctrl+C, 143 after SIGTERM)"
)

CASES = {
    # OCE004: Ctrl+C reaches the main thread only; a worker's handler can't swallow it.
    "OCE004-worker-threads-pass": (
        """
        import threading
        from concurrent.futures import ThreadPoolExecutor


        class Loop(threading.Thread):
            def run(self):
                while True:
                    try:
                        self.tick()
                    except KeyboardInterrupt:
                        log.info("stop")


        class Connector:
            def consume(self):
                try:
                    self.queue.get()
                except:
                    pass

            def on_message(self, msg):
                try:
                    self.convert(msg)
                except BaseException:
                    log.warning("skipped")

            def convert(self, msg):
                try:
                    return parse(msg)
                except:
                    return {}

            def flush(self):
                try:
                    self.sink.flush()
                except SystemExit:
                    log.info("stop")

            def start(self):
                threading.Thread(target=self.flush).start()
                with ThreadPoolExecutor() as executor:
                    executor.submit(self.consume)
                self.helper.listen_stream(message_callback=self.on_message)
        """,
        [],
    ),
    "OCE004-a-function-also-called-from-the-main-thread-is-reported": (
        """
        class Connector:
            def convert(self, msg):
                try:
                    return parse(msg)
                except:
                    return {}

            def on_message(self, msg):
                return self.convert(msg)

            def run(self):
                self.convert(self.first)
                self.helper.listen(self.on_message)
        """,
        [f"6:9 OCE004 a bare except {SWALLOWED}"],
    ),
    "OCE004-break-ends-the-loop-a-loop-of-the-handler-does-not": (
        """
        def run(queue):
            while True:
                try:
                    queue.process()
                except KeyboardInterrupt:
                    log.info("stopping")
                    break
            while True:
                try:
                    queue.process()
                except KeyboardInterrupt:
                    for item in queue.pending:
                        if item.done:
                            break
        """,
        [f"12:9 OCE004 except KeyboardInterrupt {SWALLOWED}"],
    ),
    "OCE004-a-file-without-an-entry-reports-only-handlers-that-name-a-stop": (
        """
        class Client:
            def get(self, url):
                try:
                    return self.session.get(url)
                except:
                    return {}

            def wait(self):
                try:
                    self.poll()
                except BaseException:
                    log.warning("poll failed")

            def serve(self):
                try:
                    self.loop()
                except KeyboardInterrupt:
                    log.info("stopped")
        """,
        [f"18:9 OCE004 except KeyboardInterrupt {SWALLOWED}"],
    ),
    # OCE008: the top of the program, or of a thread, decides how the process ends.
    "OCE008-the-top-of-the-program-and-of-threads-pass": (
        """
        import os
        import sys
        import threading


        class Connector:
            def run(self):
                try:
                    self.ping()
                except OSError:
                    sys.exit(1)

            def consume(self):
                try:
                    self.queue.drain()
                except Exception:
                    os._exit(1)

            def write(self):
                try:
                    self.sink.write()
                except OSError:
                    os._exit(1)
                threading.Timer(60, self.write).start()

            def serve(self):
                self.executor.submit(self.consume)


        def _entry():
            try:
                Connector().serve()
            except Exception:
                sys.exit(1)


        if __name__ == "__main__":
            _entry()
        """,
        [],
    ),
    "OCE008-callbacks-and-what-the-top-calls-are-reported": (
        """
        import sys


        class Connector:
            def start(self):
                try:
                    self.process()
                except Exception:
                    sys.exit(1)

            def fetch(self):
                try:
                    return self.client.get()
                except OSError:
                    sys.exit(1)

            def on_message(self, msg):
                try:
                    self.send(msg)
                except OSError:
                    raise SystemExit(1)

            def run(self):
                self.fetch()
                self.helper.listen(message_callback=self.on_message)
                self.helper.schedule_period(message_callback=self.start, duration_period=60)
        """,
        [
            f"10:13 OCE008 start() {EXIT}",
            f"16:13 OCE008 fetch() {EXIT}",
            f"22:13 OCE008 on_message() {EXIT}",
        ],
    ),
    # OCE003: a bool the function declares or documents is its answer.
    "OCE003-documented-and-declared-bools-pass": (
        """
        def preflight(client) -> bool:
            try:
                client.ping()
            except OSError:
                return False
            return True


        def push(client, bundle):
            \"\"\"Send the bundle; True when the platform took it, False otherwise.\"\"\"
            try:
                client.push(bundle)
            except OSError:
                return False
            return True
        """,
        [],
    ),
    "OCE003-an-undocumented-success-flag-is-reported": (
        """
        def push(client, bundle):
            \"\"\"Send the bundle.\"\"\"
            try:
                client.push(bundle)
            except OSError:
                return False
            return True
        """,
        [f"7:9 OCE003 except handler returns the sentinel False: {SENTINEL}"],
    ),
    # OCE003: Optional declares an absence, not a failure to find out.
    "OCE003-optional-failures-are-reported": (
        """
        from typing import Optional


        def get_pdf(client, ioc_id) -> bytes | None:
            try:
                return client.pdf(ioc_id)
            except OSError:
                return None


        def get_logo(client) -> Optional[bytes]:
            try:
                return client.logo()
            except (KeyError, TimeoutError):
                return None


        def get_icon(client) -> "bytes | None":
            try:
                return client.icon()
            except:
                return None
        """,
        [
            f"9:9 OCE003 except handler returns the sentinel None: {SENTINEL}",
            f"16:9 OCE003 except handler returns the sentinel None: {SENTINEL}",
            f"23:9 OCE003 except handler returns the sentinel None: {SENTINEL}",
        ],
    ),
    "OCE003-optional-absences-and-inputs-of-another-form-pass": (
        """
        import pydantic


        def ip_version(value) -> str | None:
            try:
                return f"ipv{ipaddress.ip_address(value).version}"
            except ValueError:
                return None


        def refang(url) -> str | None:
            try:
                return str(HttpUrl(url))
            except pydantic.ValidationError:
                return None


        def first_label(labels) -> str | None:
            try:
                return labels[0]
            except (IndexError, KeyError):
                return None


        def find_report(client, name) -> dict | None:
            try:
                return client.report(name)
            except ReportNotFound:
                return None


        def decrypt(data) -> bytes | None:
            try:
                import msoffcrypto
            except ImportError:
                log.warning("msoffcrypto not installed: Office files stay encrypted")
                return None
            return msoffcrypto.decrypt(data)


        def get_pdf(client, ioc_id) -> bytes | None:
            \"\"\"The IOC's PDF, or None: the endpoint is undocumented and may not answer.\"\"\"
            try:
                return client.pdf(ioc_id)
            except OSError:
                return None
        """,
        [],
    ),
    "OCE003-a-documented-none-the-signature-does-not-declare-is-reported": (
        """
        def get_pdf(client, ioc_id):
            \"\"\"The IOC's PDF, or None if the request fails.\"\"\"
            try:
                return client.pdf(ioc_id)
            except OSError:
                return None
        """,
        [f"7:9 OCE003 except handler returns the sentinel None: {SENTINEL}"],
    ),
    # OCE003: a handler at the end of a function that returns values returns None.
    "OCE003-falling-off-the-end-is-reported-at-the-handler": (
        """
        def get_ids(client) -> list:
            try:
                return client.ids()
            except OSError as err:
                log.warning("source down: %s", err)


        def get_names(client):
            if client.offline:
                return []
            try:
                return client.names()
            except Exception:
                pass
        """,
        [f"5:5 OCE003 {FALLS_OFF}", f"14:5 OCE003 {FALLS_OFF}"],
    ),
    "OCE003-handlers-that-end-otherwise-and-procedures-pass": (
        """
        class Client:
            def _fail(self, message):
                raise ClientError(message)

            def get(self, url):
                try:
                    return self.session.get(url)
                except OSError:
                    self._fail("source down")

            def ids(self):
                try:
                    return self.session.ids()
                except OSError:
                    return self.cached_ids

            def names(self):
                try:
                    return self.session.names()
                except OSError as err:
                    if err.errno:
                        raise ClientError("down") from err
                    raise

            def pages(self):
                try:
                    yield from self.session.pages()
                except OSError:
                    log.warning("no more pages")

            def close(self):
                try:
                    self.session.close()
                except OSError:
                    log.warning("close failed")

            def label(self, labels) -> str | None:
                if not labels:
                    return None
                try:
                    return labels["name"]
                except KeyError:
                    log.info("no label")
        """,
        [],
    ),
    # OCE007: one finding per clause, naming each class that never gets its turn.
    "OCE007-one-finding-per-clause": (
        """
        def run(client):
            try:
                client.get()
            except (ValueError, OSError):
                log.warning("bad")
            except (UnicodeError, TimeoutError, KeyError):
                log.warning("never, for two of them")
            except (IOError, ConnectionError):
                log.warning("never")
        """,
        [
            "7:5 OCE007 except UnicodeError never runs: the except ValueError on line 5 "
            "catches it first; put the narrower class first; except TimeoutError never "
            "runs: the except OSError on line 5 catches it first; put the narrower class "
            "first",
            "9:5 OCE007 except IOError, ConnectionError never run: the except OSError on "
            "line 5 catches them first; put the narrower classes first",
        ],
    ),
    # OCE010: an exit in nested handlers of a stop is one problem, reported once.
    "OCE010-nested-stop-handlers-report-once": (
        """
        import sys


        def run(client):
            try:
                client.get()
            except KeyboardInterrupt:
                try:
                    client.close()
                except KeyboardInterrupt:
                    sys.exit(0)
                except OSError:
                    sys.exit(0)
        """,
        [
            f"12:13 OCE010 except KeyboardInterrupt {SUCCESS}",
            f"14:13 OCE010 except KeyboardInterrupt {SUCCESS}",
        ],
    ),
}


@pytest.mark.parametrize(("source", "expected"), CASES.values(), ids=CASES.keys())
def test_handler_check(source: str, expected: list[str]) -> None:
    assert findings(source) == expected


def test_each_place_and_code_is_printed_once() -> None:
    first = Finding("a.py", 3, 5, "OCE010", "inner handler")
    again = Finding("a.py", 3, 5, "OCE010", "outer handler")
    other_code = Finding("a.py", 3, 5, "OCE008", "m")
    other_column = Finding("a.py", 3, 6, "OCE010", "m")
    assert once_each([first, again, other_code, first, other_column]) == [
        first,
        other_code,
        other_column,
    ]
