"""The Playground notebook's tables: escaped, one row per record or work, columns in order."""

from __future__ import annotations

import pytest

from connector_sandbox.tables import HtmlTable, log_table, works_table


def test_log_table_has_a_row_per_record_with_a_line_per_attribute() -> None:
    table = log_table(
        [
            {
                "timestamp": "2026-11-29T03:03:25.218050Z",
                "level": "WARNING",
                "name": "Example IOC connector",
                "message": "IOC skipped",
                "attributes": {
                    "ioc_id": "ioc-0002",
                    "error": "DataRetrievalError",
                    "data_warnings": [],
                    "skipped": {"UseCaseError": 1},
                },
            },
            {
                "timestamp": "2026-11-29T03:03:25.242209Z",
                "level": "INFO",
                "name": "api",
                "message": "Pushing a bundle to queue through API",
                "attributes": "{'connector-id'}",
            },
            {"level": "INFO", "name": "api", "message": "Health check"},
        ]
    )

    assert table.headers == ("Time", "Level", "Logger", "Message", "Attributes")
    assert table.rows == (
        (
            "03:03:25.218",
            "WARNING",
            "Example IOC connector",
            "IOC skipped",
            "ioc_id: ioc-0002\nerror: DataRetrievalError\ndata_warnings: []\n"
            'skipped: {"UseCaseError": 1}',
        ),
        (
            "03:03:25.242",
            "INFO",
            "api",
            "Pushing a bundle to queue through API",
            "{'connector-id'}",
        ),
        ("", "INFO", "api", "Health check", ""),
    )


def test_works_table_lists_messages_and_errors_one_per_line() -> None:
    work = {
        "name": "Example IOC connector run",
        "status": "complete",
        "in_error": True,
        "messages": [{"message": "3 of 4 IOCs ingested"}, {"message": "1 skipped"}],
        "errors": [{"message": "DataRetrievalError: HTTP 503"}],
        "bundles_received": 1,
        "objects_received": 12,
    }

    table = works_table([work])

    assert table.rows == (
        (
            "Example IOC connector run",
            "complete",
            "True",
            "3 of 4 IOCs ingested\n1 skipped",
            "DataRetrievalError: HTTP 503",
            "1",
            "12",
        ),
    )
    assert "<td>3 of 4 IOCs ingested<br>1 skipped</td>" in table._repr_html_()


def test_html_escapes_every_value_so_a_payload_cannot_inject_markup() -> None:
    table = log_table([{"message": "<script>alert('x')</script> & co"}])

    html = table._repr_html_()

    assert "<script>" not in html
    assert "<td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co</td>" in html
    assert html.startswith(
        "<table><thead><tr><th>Time</th><th>Level</th><th>Logger</th>"
        "<th>Message</th><th>Attributes</th></tr></thead><tbody><tr>"
    )
    assert html.endswith("</tr></tbody></table>")


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^row 2 has 1 cells, the header has 2$"):
        HtmlTable(("Level", "Message"), (("INFO", "ok"), ("WARNING",)))
