"""The transport's economies (what the benchmarks' profile changed) keep their behaviour:
the environment's proxy and CA settings still apply, read once; an error answer leaves its
connection for the next request instead of costing a new one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import requests
import urllib3

from connector_sandbox.source import DemoSource
from snippets.example_connector.http_transport import Transport, new_session
from tests.example_connector.conftest import API_KEY

PROXY = "http://proxy.example:3128"
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _clear_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_the_proxy_of_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_proxy_settings(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", PROXY)

    session = new_session("https://source.example/api")

    assert session.proxies == {"https": PROXY}
    assert session.trust_env is False


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_proxy_settings(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "source.example")

    assert new_session("https://source.example/api").proxies == {}


def test_the_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_proxy_settings(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    session = new_session("https://source.example/api")

    monkeypatch.setenv("HTTPS_PROXY", "http://other-proxy.example:3128")

    assert session.proxies == {"https": PROXY}


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_the_ca_bundle_of_the_environment_is_used(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv(variable, "/etc/company/ca.pem")

    assert new_session("https://source.example/api").verify == "/etc/company/ca.pem"


def test_without_a_ca_bundle_certificates_are_still_verified(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)

    assert new_session("https://source.example/api").verify is True


def test_an_error_answer_leaves_its_connection_for_the_next_request(
    source: DemoSource, connector_logger: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, int]] = []
    create_connection = urllib3.util.connection.create_connection

    def counting(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        opened.append(address)
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    session = new_session(source.url)
    session.headers["X-API-Key"] = API_KEY
    transport = Transport(
        session, connector_logger, timeout_seconds=2.0, max_attempts=1
    )
    ids = source.ids_between(START, START + datetime.timedelta(days=1))
    without_pdf = [ioc_id for ioc_id in ids if not source.has_pdf(ioc_id)][:3]

    for ioc_id in without_pdf:
        with pytest.raises(requests.HTTPError, match=r"^404 Client Error"):
            transport.get(f"{source.url}/pdf/{ioc_id}", max_bytes=1024, attempts=1)
    body = transport.get(f"{source.url}/iocs/{ids[0]}", max_bytes=64 * 1024)

    assert body.content.startswith(b"{")
    assert len(opened) == 1
