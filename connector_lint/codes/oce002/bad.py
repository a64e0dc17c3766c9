"""Don't: close the work only when the import succeeds: an error leaves it
open."""

from pycti import OpenCTIConnectorHelper


def import_bundle(helper: OpenCTIConnectorHelper, bundle: str) -> None:
    work_id = helper.api.work.initiate_work(  # [OCE002]
        helper.connect_id, "IOC import"
    )
    helper.send_stix2_bundle(bundle, work_id=work_id)
    helper.api.work.to_processed(work_id, "IOC import done")
