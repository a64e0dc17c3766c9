"""Which requests a fault hits and how often, the admin endpoints, and bad fault specs."""

from __future__ import annotations

import pytest
import requests

from connector_sandbox.source import DemoSource
from connector_sandbox.source_faults import (
    VALID_NAMES,
    Endpoint,
    FaultName,
    FaultSpec,
    InvalidFaultError,
)
from tests.sandbox.source_support import AUTH, IDS_QUERY, KEY, get, ioc_ids, pdf_id


def test_transient_fault_fires_times_then_succeeds(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "http_503", "endpoint": "ioc", "id": "ioc-0002", "times": 2}]
    )

    statuses = [get(source, "/iocs/ioc-0002").status_code for _ in range(4)]
    other = get(source, "/iocs/ioc-0003")

    assert statuses == [503, 503, 200, 200]
    assert other.status_code == 200
    listed = requests.get(f"{source.url}/_faults", timeout=5).json()
    assert listed == {
        "faults": [
            {
                "name": "http_503",
                "endpoint": "ioc",
                "id": "ioc-0002",
                "times": 2,
                "fired": 2,
            }
        ]
    }
    # Setting faults again starts the counts afresh.
    source.set_faults(source.faults)
    assert get(source, "/iocs/ioc-0002").status_code == 503


def test_rate_fault_hits_the_same_ids_for_the_same_seed(source: DemoSource) -> None:
    spec = {"name": "http_500", "endpoint": "ioc", "rate": 0.3}
    ids = ioc_ids(120)
    hit_sets = []
    for _ in range(2):
        with (
            DemoSource(api_key=KEY, count=120, seed=11, faults=[spec]) as other,
            requests.Session() as session,
        ):
            session.headers.update(AUTH)
            statuses = {i: session.get(f"{other.url}/iocs/{i}", timeout=5) for i in ids}
            hit_sets.append([i for i in ids if statuses[i].status_code == 500])

    fault = FaultSpec(FaultName.HTTP_500, Endpoint.IOC, rate=0.3)
    assert hit_sets[0] == hit_sets[1]
    assert hit_sets[0] == [i for i in ids if fault.selects(11, i)]
    assert hit_sets[0] != [i for i in ids if fault.selects(12, i)]
    assert 0.15 < len(hit_sets[0]) / len(ids) < 0.45


def test_rate_with_times_fails_each_picked_id_that_often(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "http_503", "endpoint": "ioc", "rate": 0.5, "times": 2}]
    )
    fault = source.faults[0]

    rounds = [
        [get(source, f"/iocs/{i}").status_code for i in ioc_ids(20)] for _ in range(3)
    ]

    picked = [503 if fault.selects(source.seed, i) else 200 for i in ioc_ids(20)]
    assert 503 in picked
    assert rounds == [picked, picked, [200] * 20]


def test_rate_on_the_id_list_is_keyed_by_query(source: DemoSource) -> None:
    source.set_faults([{"name": "http_500", "endpoint": "ids", "rate": 0.5}])
    queries = [
        f"start=2026-01-01T00:00:00Z&end=2026-01-01T{h:02d}:00:00Z" for h in range(20)
    ]

    first = [get(source, f"/iocs?{q}").status_code for q in queries]
    second = [get(source, f"/iocs?{q}").status_code for q in queries]

    assert first == second
    assert set(first) == {200, 500}


@pytest.mark.parametrize(("rate", "expected"), [(0, {200}), (1, {500})])
def test_rate_bounds(source: DemoSource, rate: float, expected: set[int]) -> None:
    source.set_faults([{"name": "http_500", "endpoint": "ioc", "rate": rate}])

    assert {get(source, f"/iocs/{i}").status_code for i in ioc_ids(20)} == expected


def test_faults_wait_for_auth_and_known_ids(source: DemoSource) -> None:
    source.set_faults([{"name": "http_503", "endpoint": "ioc"}])

    wrong_key = requests.get(
        f"{source.url}/iocs/ioc-0001", headers={"X-API-Key": "no"}, timeout=5
    )
    unknown = get(source, "/iocs/ioc-0099")

    assert wrong_key.status_code == 401
    assert unknown.status_code == 404
    assert source.stats().faults_fired == {}


def test_a_pdf_fault_on_an_id_without_pdf_then_404(source: DemoSource) -> None:
    without = pdf_id(source, False)
    source.set_faults(
        [{"name": "http_503", "endpoint": "pdf", "id": without, "times": 1}]
    )

    assert [get(source, f"/pdf/{without}").status_code for _ in range(2)] == [503, 404]


def test_first_matching_fault_wins(source: DemoSource) -> None:
    source.set_faults(
        [
            {"name": "http_429", "endpoint": "ioc", "id": "ioc-0001", "times": 1},
            {"name": "http_500", "endpoint": "ioc"},
        ]
    )

    statuses = [get(source, "/iocs/ioc-0001").status_code for _ in range(2)]

    assert statuses == [429, 500]


def test_admin_endpoints(source: DemoSource) -> None:
    admin = f"{source.url}/_faults"
    spec = {"name": "http_500", "endpoint": "ids", "rate": 0.5}

    posted = requests.post(admin, json=spec, timeout=5)
    get(source, "/iocs/ioc-0001")
    get(source, "/iocs/ioc-0001")
    stats = requests.get(f"{source.url}/_stats", timeout=5).json()
    deleted = requests.delete(admin, timeout=5)
    reset = requests.delete(f"{source.url}/_stats", timeout=5)

    assert posted.status_code == 200
    assert posted.json() == {"faults": [{**spec, "fired": 0}]}
    assert stats == {"requests": {"/iocs/ioc-0001": 2}, "faults_fired": {}, "total": 2}
    assert deleted.json() == {"faults": []}
    assert source.faults == ()
    assert reset.json() == {"requests": {}, "faults_fired": {}, "total": 0}
    assert requests.put(admin, timeout=5).status_code == 501


def test_stats_count_requests_and_fired_faults(source: DemoSource) -> None:
    source.set_faults(
        [{"name": "http_503", "endpoint": "ioc", "id": "ioc-0002", "times": 1}]
    )
    for path in (
        "/iocs/ioc-0002",
        "/iocs/ioc-0002",
        f"/iocs?{IDS_QUERY}",
        "/pdf/ioc-0002",
    ):
        get(source, path)

    stats = source.stats()

    assert stats.requests == {"/iocs/ioc-0002": 2, "/iocs": 1, "/pdf/ioc-0002": 1}
    assert stats.faults_fired == {"http_503": 1}
    assert stats.total == 4


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"endpoint": "ioc"}, "fault #0: 'name' is required"),
        ({"name": "http_502", "endpoint": "ioc"}, "fault #0: unknown name 'http_502'"),
        (
            {"name": "http_500"},
            "'endpoint' is required; valid: \\['ids', 'ioc', 'pdf'\\]",
        ),
        ({"name": "http_500", "endpoint": "iocs"}, "unknown endpoint 'iocs'; valid: "),
        (
            {"name": "http_500", "endpoint": "ioc", "when": 1},
            r"unknown field\(s\) \['when'\]",
        ),
        (
            {"name": "malformed_json", "endpoint": "pdf"},
            "applies only to endpoint\\(s\\) \\['ids', 'ioc'\\]",
        ),
        (
            {"name": "unknown_type", "endpoint": "ids"},
            "applies only to endpoint\\(s\\) \\['ioc'\\]",
        ),
        (
            {"name": "http_500", "endpoint": "ids", "id": "ioc-0001"},
            "'id' can't target the id list",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "id": "ioc-0001", "rate": 0.5},
            "give 'id' or 'rate', not both",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "id": "ioc-0999"},
            "'ioc-0999' is not a seeded IOC id \\(seeded: ioc-0001 to ioc-0020\\)",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "id": 1},
            "'id' must be a string, got 1",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "rate": 1.5},
            "'rate' must be from 0 to 1, got 1.5",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "rate": True},
            "'rate' must be a number, got True",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "times": 0},
            "'times' must be at least 1, got 0",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "times": 1.5},
            "'times' must be a whole number",
        ),
        (
            {"name": "http_500", "endpoint": "ioc", "seconds": 1},
            "'seconds' applies only to \\['slow', 'trickle', 'http_429', 'trickle_headers',",
        ),
        (
            {"name": "slow", "endpoint": "ioc", "seconds": 0},
            "'seconds' must be above 0, got 0.0",
        ),
        (
            {"name": "http_429", "endpoint": "ioc", "seconds": 0.5},
            "'seconds' of http_429 is whole seconds",
        ),
        (
            [{"name": "slow", "endpoint": "ioc"}, "slow"],
            "fault #1: a fault spec must be an object, got str",
        ),
        ("slow", "expected a fault spec object or a list of them"),
    ],
)
def test_invalid_fault_specs_are_400_listing_the_names(
    source: DemoSource, spec: object, problem: str
) -> None:
    source.set_faults([{"name": "http_500", "endpoint": "pdf"}])

    response = requests.post(f"{source.url}/_faults", json=spec, timeout=5)

    assert response.status_code == 400
    body = response.json()
    assert body["valid_names"] == list(VALID_NAMES)
    assert body["valid_endpoints"] == ["ids", "ioc", "pdf"]
    assert f"(valid names: {', '.join(VALID_NAMES)})" in body["error"]
    with pytest.raises(InvalidFaultError, match=problem):
        source.set_faults(spec)  # type: ignore[arg-type]
    # A rejected post leaves the faults that were active.
    assert [f.to_json() for f in source.faults] == [
        {"name": "http_500", "endpoint": "pdf"}
    ]


def test_fault_body_that_is_not_json_is_400(source: DemoSource) -> None:
    response = requests.post(f"{source.url}/_faults", data=b"{name", timeout=5)

    assert response.status_code == 400
    assert response.json()["error"].startswith(
        "the body is not JSON: Expecting property name"
    )


def test_fault_spec_takes_plain_strings_and_checks_them() -> None:
    spec = FaultSpec("http_503", "ioc")  # type: ignore[arg-type]

    assert spec.name is FaultName.HTTP_503
    assert spec.endpoint is Endpoint.IOC
    with pytest.raises(InvalidFaultError, match="unknown endpoint 'iocs'"):
        FaultSpec(FaultName.SLOW, "iocs")  # type: ignore[arg-type]
