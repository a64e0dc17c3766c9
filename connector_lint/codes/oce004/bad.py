"""Don't: catch Ctrl+C around one bundle: the loop goes on, and the stop is
lost."""

from pycti import OpenCTIConnectorHelper


def send_bundles(helper: OpenCTIConnectorHelper, bundles: list[str]) -> None:
    for bundle in bundles:
        try:
            helper.send_stix2_bundle(bundle)
        except KeyboardInterrupt:  # [OCE004]
            helper.connector_logger.warning(
                "Interrupted: going on with the next bundle"
            )
