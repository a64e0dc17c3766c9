"""Do: close the work in a finally: in error unless the import got through."""

from pycti import OpenCTIConnectorHelper


def import_bundle(helper: OpenCTIConnectorHelper, bundle: str) -> None:
    work_id = helper.api.work.initiate_work(helper.connect_id, "IOC import")
    message, in_error = "IOC import failed: see the connector's log", True
    try:
        helper.send_stix2_bundle(bundle, work_id=work_id)
        message, in_error = "IOC import done", False
    finally:
        helper.api.work.to_processed(work_id, message, in_error)
