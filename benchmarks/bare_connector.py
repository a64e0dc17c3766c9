"""The example connector's work with no error handling at all: the baseline of the cost.

Same configuration, pycti helper, models, converter and batches as ``snippets.example_connector``,
on the same clean data, but: no try/except anywhere, no retries, no timeouts, no size limits or
deadline on a body, no per-IOC isolation (one bad IOC would end the run), no data-warning
capture, no state bookkeeping for a work left open, and no log record of its own. It is a
benchmark's baseline, never a connector to copy: every rule of the site is broken here.

Run by ``benchmarks.costs`` as ``python -m benchmarks.bare_connector`` against the sandbox.
"""

from __future__ import annotations

import datetime
from typing import Any

from pycti import OpenCTIConnectorHelper

from snippets.example_connector.config import load_config
from snippets.example_connector.connector import batched
from snippets.example_connector.converter import ConverterToStix
from snippets.example_connector.http_transport import new_session
from snippets.example_connector.main import SOURCE_AUTHOR
from snippets.example_connector.models import IOCIdsResponseModel, IOCResponseModel


def main() -> None:
    config = load_config()
    helper = OpenCTIConnectorHelper(config.to_pycti())
    converter = ConverterToStix(SOURCE_AUTHOR)
    # The example connector's session, so that the comparison is of the handling alone.
    session = new_session(str(config.ioc_source.url))
    session.headers["X-API-Key"] = config.ioc_source.api_key.get_secret_value()
    base_url = str(config.ioc_source.url).rstrip("/")
    run_start = datetime.datetime.now(datetime.UTC)
    work_id = helper.api.work.initiate_work(
        helper.connect_id, f"{config.connector.name} run", is_multipart=True
    )
    window = {"start": _iso(config.ioc_source.import_start), "end": _iso(run_start)}
    answer = session.get(f"{base_url}/iocs", params=window)
    ids = IOCIdsResponseModel.model_validate_json(answer.content).ids
    for batch in batched(ids, config.connector.batch_size):
        objects: list[Any] = []
        for ioc_id in batch:
            answer = session.get(f"{base_url}/iocs/{ioc_id}")
            ioc = IOCResponseModel.model_validate_json(answer.content)
            pdf = session.get(f"{base_url}/pdf/{ioc_id}")
            # About half the IOCs have no report: that is the data, not an error.
            raw_pdf = pdf.content if pdf.status_code == 200 else None
            objects += converter.convert_ioc(ioc, raw_pdf)
        bundle = helper.stix2_create_bundle([converter.author, *objects])
        helper.send_stix2_bundle(
            bundle, work_id=work_id, cleanup_inconsistent_bundle=True
        )
    helper.api.work.to_processed(
        work_id=work_id, message=f"{len(ids)} IOCs sent", in_error=False
    )
    helper.set_state({"last_run": run_start.isoformat()})
    session.close()


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    main()
