"""The demo source's endpoints, auth, bad requests and seeded data, over real HTTP."""

from __future__ import annotations

import ipaddress
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import requests

from connector_sandbox.source import DemoSource
from connector_sandbox.source_data import EPOCH, SeededData, UnknownIocError
from connector_sandbox.source_faults import InvalidFaultError
from tests.sandbox.source_support import AUTH, KEY, get, ioc_ids

HOUR = timedelta(hours=1)
DOC_NETWORKS = [
    ipaddress.ip_network(net)
    for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
HEX_LENGTHS = {32, 40, 64}


def window(first_hour: int, last_hour: int) -> dict[str, str]:
    start, end = EPOCH + first_hour * HOUR, EPOCH + last_hour * HOUR
    return {"start": start.isoformat(), "end": end.isoformat()}


def test_listens_on_loopback_only(source: DemoSource) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", source.url)
    assert source.port > 0


def test_ids_cover_start_inclusive_end_exclusive(source: DemoSource) -> None:
    response = get(source, "/iocs", params=window(1, 3))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"ids": ["ioc-0002", "ioc-0003"]}


def test_ids_of_whole_window_are_sorted_by_created_at(source: DemoSource) -> None:
    ids = get(source, "/iocs", params=window(-100, 100)).json()["ids"]

    assert ids == ioc_ids(20)
    created = [source.ioc(ioc_id).created_at for ioc_id in ids]
    assert created == sorted(created)
    assert created[0] == "2026-01-01T00:00:00Z"
    assert created[-1] == "2026-01-01T19:00:00Z"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01T00:30:00Z", "2026-01-01T02:00:00Z", ["ioc-0002"]),
        # 03:00+02:00 is 01:00Z: offsets are converted, not dropped.
        ("2026-01-01T03:00:00+02:00", "2026-01-01T02:00:00Z", ["ioc-0002"]),
        ("2026-01-01T05:00:00Z", "2026-01-01T05:00:00Z", []),
        ("2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", []),
        ("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", []),
    ],
)
def test_ids_between_matches_the_python_api(
    source: DemoSource, start: str, end: str, expected: list[str]
) -> None:
    response = get(source, "/iocs", params={"start": start, "end": end})

    assert response.json() == {"ids": expected}
    bounds = datetime.fromisoformat(start), datetime.fromisoformat(end)
    assert source.ids_between(*bounds) == expected


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("end=2026-01-02T00:00:00Z", "start", "missing query parameter 'start'"),
        ("start=2026-01-01T00:00:00Z", "end", "missing query parameter 'end'"),
        (
            "start=2026-01-01T00:00:00Z&start=2026-01-01T01:00:00Z&end=2026-01-02T00:00:00Z",
            "start",
            "repeated query parameter 'start'",
        ),
        (
            "start=yesterday&end=2026-01-02T00:00:00Z",
            "start",
            "invalid query parameter 'start': 'yesterday' is not an ISO-8601 date-time",
        ),
        (
            "start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00",
            "end",
            r"'2026-01-02T00:00:00' has no UTC offset; add Z or \+00:00",
        ),
        (
            # An unencoded + arrives as a space.
            "start=2026-01-01T00:00:00+00:00&end=2026-01-02T00:00:00Z",
            "start",
            r"a '\+' in a URL must be sent as %2B",
        ),
        (
            "start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z",
            "end",
            "query parameter 'end' is before 'start'",
        ),
    ],
)
def test_bad_id_list_params_are_400_naming_the_param(
    source: DemoSource, query: str, param: str, message: str
) -> None:
    response = requests.get(f"{source.url}/iocs?{query}", headers=AUTH, timeout=5)

    assert response.status_code == 400
    body = response.json()
    assert body["param"] == param
    assert re.search(message, body["error"])


def test_ioc_record_is_the_seeded_one(source: DemoSource) -> None:
    response = get(source, "/iocs/ioc-0003")

    assert response.status_code == 200
    assert response.json() == source.ioc("ioc-0003").to_json()
    assert list(response.json()) == ["id", "value", "type", "description", "created_at"]
    assert response.json()["created_at"] == "2026-01-01T02:00:00Z"


@pytest.mark.parametrize("ioc_id", ["ioc-0021", "ioc-0000", "ioc-00001", "ioc-1", "x"])
def test_unknown_ioc_is_404(source: DemoSource, ioc_id: str) -> None:
    response = get(source, f"/iocs/{ioc_id}")

    assert response.status_code == 404
    assert response.json() == {"error": f"no IOC with id {ioc_id!r}"}
    with pytest.raises(UnknownIocError, match="no IOC with id"):
        source.ioc(ioc_id)


def test_seeded_values_are_realistic_and_fake() -> None:
    data = SeededData(seed=3, count=300)
    iocs = [data.ioc_at(index) for index in range(data.count)]

    assert {ioc.type for ioc in iocs} == {"domain", "ip", "hash"}
    for ioc in iocs:
        if ioc.type == "domain":
            assert re.fullmatch(
                r"[a-z]+-[0-9a-f]{6}\.(example\.(com|net|org)|test)", ioc.value
            )
        elif ioc.type == "ip":
            address = ipaddress.ip_address(ioc.value)
            assert any(address in net for net in DOC_NETWORKS), ioc.value
        else:
            assert re.fullmatch(r"[0-9a-f]+", ioc.value)
            assert len(ioc.value) in HEX_LENGTHS
        assert "fictitious campaign" in ioc.description
    ip_versions = {
        ipaddress.ip_address(i.value).version for i in iocs if i.type == "ip"
    }
    assert ip_versions == {4, 6}
    assert {len(i.value) for i in iocs if i.type == "hash"} == HEX_LENGTHS


def test_seed_fixes_the_data() -> None:
    same = [SeededData(seed=5, count=50).ioc_at(i) for i in range(50)]
    again = [SeededData(seed=5, count=50).ioc_at(i) for i in range(50)]
    other = [SeededData(seed=6, count=50).ioc_at(i) for i in range(50)]

    assert same == again
    assert [i.value for i in same] != [i.value for i in other]


def test_step_spaces_the_creation_times() -> None:
    data = SeededData(seed=0, count=100_000, step=timedelta(minutes=1))

    assert data.ioc_at(99_999).created_at == "2026-03-11T10:39:00Z"
    assert len(data.ids_between(EPOCH, EPOCH + timedelta(days=70))) == 100_000
    with pytest.raises(
        ValueError, match="step must be at least one second, got 0:00:00"
    ):
        SeededData(seed=0, count=1, step=timedelta(0))


def test_pdf_exists_for_about_half_the_ids(source: DemoSource) -> None:
    data = SeededData(seed=7, count=1000)
    share = sum(data.has_pdf(i) for i in ioc_ids(1000)) / 1000
    assert 0.4 < share < 0.6

    with_pdf = [
        i for i in source.ids_between(EPOCH, EPOCH + 20 * HOUR) if source.has_pdf(i)
    ]
    without = [
        i for i in source.ids_between(EPOCH, EPOCH + 20 * HOUR) if i not in with_pdf
    ]
    assert with_pdf
    assert without
    response = get(source, f"/pdf/{with_pdf[0]}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content == source.pdf(with_pdf[0])
    missing = get(source, f"/pdf/{without[0]}")
    assert missing.status_code == 404
    assert missing.json() == {"error": f"no PDF report for IOC {without[0]!r}"}
    with pytest.raises(UnknownIocError, match="no PDF report"):
        source.pdf(without[0])


def test_pdf_is_well_formed(source: DemoSource) -> None:
    ioc_id = next(i for i in ioc_ids(20) if source.has_pdf(i))
    pdf = source.pdf(ioc_id)

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    assert f"(Demo report for {ioc_id})".encode() in pdf
    xref_at = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref_at:].startswith(b"xref\n0 6\n")


def test_pdf_of_unknown_id_is_404(source: DemoSource) -> None:
    response = get(source, "/pdf/ioc-0099")

    assert response.status_code == 404
    assert response.json() == {"error": "no IOC with id 'ioc-0099'"}


@pytest.mark.parametrize(
    "path", ["/iocs?start=x&end=y", "/iocs/ioc-0001", "/pdf/ioc-0001"]
)
@pytest.mark.parametrize(
    "headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": KEY.upper()}]
)
def test_missing_or_wrong_key_is_401_without_echo(
    source: DemoSource, path: str, headers: dict[str, str]
) -> None:
    response = requests.get(source.url + path, headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json() == {"error": "invalid or missing API key"}
    assert b"wrong" not in response.content
    assert KEY.upper().encode() not in response.content


def test_unknown_endpoint_is_404_and_other_methods_405(source: DemoSource) -> None:
    unknown = get(source, "/indicators")
    posted = requests.post(f"{source.url}/iocs", headers=AUTH, timeout=5)

    assert unknown.status_code == 404
    assert unknown.json() == {"error": "no such endpoint: /indicators"}
    assert posted.status_code == 405
    assert posted.headers["Allow"] == "GET"


def test_scales_to_100000_ids() -> None:
    with DemoSource(api_key=KEY, count=100_000, seed=1) as big:
        every = get(big, "/iocs", params=window(0, 200_000)).json()["ids"]
        middle = get(big, "/iocs", params=window(50_000, 50_003)).json()["ids"]
        last = get(big, "/iocs/ioc-100000")
        beyond = get(big, "/iocs/ioc-100001")

    assert len(every) == 100_000
    assert every[:2] == ["ioc-0001", "ioc-0002"]
    assert every[9998:10000] == ["ioc-9999", "ioc-10000"]
    assert every[-1] == "ioc-100000"
    assert middle == ["ioc-50001", "ioc-50002", "ioc-50003"]
    assert last.json()["created_at"] == (EPOCH + 99_999 * HOUR).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert beyond.status_code == 404


def test_constructor_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="api_key must not be empty"):
        DemoSource(api_key="")
    with pytest.raises(ValueError, match="count must be 0 or more, got -1"):
        DemoSource(api_key=KEY, count=-1)
    with pytest.raises(
        InvalidFaultError, match=r"'id' 'ioc-0021' is not a seeded IOC id"
    ):
        DemoSource(
            api_key=KEY,
            faults=[{"name": "http_500", "endpoint": "ioc", "id": "ioc-0021"}],
        )
    with pytest.raises(ValueError, match="start and end must be timezone-aware"):
        SeededData(seed=0, count=1).ids_between(datetime(2026, 1, 1), datetime.now(UTC))


def test_runs_standalone_and_stops_on_ctrl_c() -> None:
    command = [
        sys.executable,
        "-m",
        "connector_sandbox.source",
        "--api-key",
        KEY,
        "--count",
        "3",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first_line)
        assert url, first_line
        response = requests.get(f"{url[0]}/iocs/ioc-0003", headers=AUTH, timeout=5)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=10)

    assert first_line.startswith("demo source: 3 IOCs on http://127.0.0.1:")
    assert response.json()["id"] == "ioc-0003"
    assert process.returncode == 130
    assert rest == "demo source stopped\n"


def test_standalone_rejects_a_bad_fault() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "connector_sandbox.source",
            "--api-key",
            KEY,
            "--fault",
            "{}",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert result.returncode == 2
    assert "'name' is required" in result.stderr
    assert result.stdout == ""
