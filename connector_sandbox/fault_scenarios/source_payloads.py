"""Faults of the data source in what it sends: bodies, shapes, types, fields, sizes, PDFs."""

from __future__ import annotations

from dataclasses import replace

from connector_sandbox.fault_matrix import (
    ANY,
    FAULTY_IOC,
    IOC_WITH_PDF,
    Kind,
    Record,
    Scenario,
)
from connector_sandbox.fault_scenarios.outcomes import (
    NO_PDF,
    NOT_AS_DOCUMENTED,
    RUN_IN_ERROR,
    SKIPPED_FOR_GOOD,
    THE_IDS,
    THE_IOC,
    all_ingested,
    could_not,
    id_list_failed,
    invalid,
    on_ids,
    on_ioc,
    one_skipped,
)

PAYLOAD_SCENARIOS = (
    Scenario(
        "source_html_with_200",
        Kind.SOURCE,
        "200 with an HTML maintenance page instead of an IOC",
        SKIPPED_FOR_GOOD,
        one_skipped(
            invalid(THE_IOC, "body: Invalid JSON: expected value at line 1 column 1"),
            retried=False,
        ),
        source_faults=(on_ioc("html_200"),),
    ),
    Scenario(
        "source_html_with_200_on_the_id_list",
        Kind.SOURCE,
        "200 with an HTML maintenance page instead of the id list",
        RUN_IN_ERROR,
        id_list_failed(
            invalid(THE_IDS, "body: Invalid JSON: expected value at line 1 column 1")
        ),
        source_faults=(on_ids("html_200"),),
        rerun=True,
    ),
    Scenario(
        "source_empty_200",
        Kind.SOURCE,
        "200 with an empty body for one IOC",
        SKIPPED_FOR_GOOD,
        one_skipped(
            invalid(THE_IOC, f"body: Invalid JSON: EOF while parsing a value{ANY}"),
            retried=False,
        ),
        source_faults=(on_ioc("empty_200"),),
    ),
    Scenario(
        "source_truncated_json",
        Kind.SOURCE,
        "200 with the JSON of one IOC cut in half",
        SKIPPED_FOR_GOOD,
        one_skipped(
            invalid(THE_IOC, f"body: Invalid JSON: EOF while parsing a string{ANY}"),
            retried=False,
        ),
        source_faults=(on_ioc("malformed_json"),),
    ),
    Scenario(
        "source_wrong_shape",
        Kind.SOURCE,
        "JSON of the wrong shape: a number for the id, null for the value",
        SKIPPED_FOR_GOOD,
        one_skipped(
            invalid(
                THE_IOC,
                "id: Input should be a valid string; value: Input should be a valid string;"
                " created_at: Input should be a valid string",
            ),
            retried=False,
        ),
        source_faults=(on_ioc("wrong_shape"),),
    ),
    Scenario(
        "source_wrong_shape_on_the_id_list",
        Kind.SOURCE,
        'JSON of the wrong shape: a bare list instead of {"ids": [...]}',
        RUN_IN_ERROR,
        id_list_failed(invalid(THE_IDS, "body: Input should be an object")),
        source_faults=(on_ids("wrong_shape"),),
        rerun=True,
    ),
    Scenario(
        "source_unknown_ioc_type",
        Kind.SOURCE,
        'An IOC of a type the connector can\'t convert ("url")',
        "Skips the IOC with a WARNING that carries the data warning too; asking again would"
        " not help.",
        one_skipped(
            f"IOC {FAULTY_IOC} has type 'url'; supported: domain, ip, hash",
            retried=False,
            error="UnsupportedTypeError",
            data_warnings=(
                "UnexpectedValueWarning: field 'type' has unexpected value 'url';"
                " it is kept as is",
            ),
        ),
        source_faults=(on_ioc("unknown_type"),),
    ),
    Scenario(
        "source_unknown_extra_fields",
        Kind.SOURCE,
        "An IOC with three fields the source never documented",
        "Ingests the IOC, with one WARNING per unknown field.",
        all_ingested(
            *(
                Record(
                    "WARNING",
                    NOT_AS_DOCUMENTED,
                    {
                        "ioc_id": FAULTY_IOC,
                        "detail": f"UnknownFieldWarning: unknown field '{name}'"
                        " in IOCResponseModel; it is ignored",
                    },
                )
                for name in ("sensor", "severity", "tags")
            )
        ),
        source_faults=(on_ioc("extra_fields"),),
    ),
    Scenario(
        "source_missing_recommended_field",
        Kind.SOURCE,
        "An IOC without its created_at, which the source documents as always present",
        "Ingests the IOC, with one WARNING.",
        all_ingested(
            Record(
                "WARNING",
                NOT_AS_DOCUMENTED,
                {
                    "ioc_id": FAULTY_IOC,
                    "detail": "MissingRecommendedFieldWarning: recommended field"
                    " 'created_at' is missing",
                },
            )
        ),
        source_faults=(on_ioc("missing_recommended"),),
    ),
    Scenario(
        "source_oversized_ioc",
        Kind.SOURCE,
        "An IOC answer of 5 MiB (the limit is 1 MiB)",
        "Refuses the body by its declared size, then skips the IOC with a WARNING; the"
        " others go on. Asking again would not help.",
        one_skipped(
            could_not(
                THE_IOC, "ResponseTooLargeError: body of 5242880 bytes, limit 1048576"
            ),
            retried=False,
        ),
        source_faults=(on_ioc("oversized"),),
    ),
    Scenario(
        "source_oversized_id_list",
        Kind.SOURCE,
        "An id list of 5 MiB (the limit is 64 MiB)",
        "Reads it: a long id list is legitimate.",
        all_ingested(),
        source_faults=(on_ids("oversized"),),
    ),
    Scenario(
        "source_slow_trickle_within_the_deadline",
        Kind.SOURCE,
        "One IOC sent 8 bytes at a time, 10 ms apart",
        "Reads it to the end: the whole body arrives within its deadline (3 timeouts).",
        all_ingested(),
        source_faults=(on_ioc("trickle", seconds=0.01),),
    ),
    Scenario(
        "source_slow_trickle_past_the_deadline",
        Kind.SOURCE,
        "One IOC sent 8 bytes at a time, 0.1 s apart: no read ever times out",
        "Gives up at the request's deadline (3 timeouts) and does not send it again in this"
        " run: skips the IOC with a WARNING. The next run asks again.",
        replace(
            one_skipped(
                could_not(THE_IOC, "DeadlineExceededError: no complete answer in 0.9s"),
                retried=True,
            ),
            source_requests={f"/iocs/{FAULTY_IOC}": 1},
        ),
        source_faults=(on_ioc("trickle", seconds=0.1),),
        settings={"IOC_SOURCE_TIMEOUT_SECONDS": "0.3"},
        rerun=True,
    ),
    Scenario(
        "source_pdf_500",
        Kind.SOURCE,
        "500 on the undocumented PDF endpoint",
        "Ingests the IOC without its report: a missing PDF is a documented quirk (INFO).",
        all_ingested(Record("INFO", NO_PDF, {"ioc_id": IOC_WITH_PDF})),
        source_faults=({"name": "http_500", "endpoint": "pdf", "id": IOC_WITH_PDF},),
    ),
    Scenario(
        "source_pdf_html_with_200",
        Kind.SOURCE,
        "200 with an HTML page instead of a PDF",
        "Attaches only a body that starts like a PDF: ingests the IOC without it (INFO).",
        all_ingested(Record("INFO", NO_PDF, {"ioc_id": IOC_WITH_PDF})),
        source_faults=({"name": "html_200", "endpoint": "pdf", "id": IOC_WITH_PDF},),
    ),
)
