"""Do: catch the error you handle, and let a request to stop go through."""

from pycti import OpenCTIConnectorHelper


def send_bundles(helper: OpenCTIConnectorHelper, bundles: list[str]) -> None:
    for bundle in bundles:
        try:
            helper.send_stix2_bundle(bundle)
        except (
            ValueError
        ) as err:  # what pycti raises when OpenCTI refuses the bundle
            helper.connector_logger.warning(
                "Bundle not sent", {"reason": str(err)}
            )
