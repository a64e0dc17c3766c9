"""Don't: catch everything to skip a bundle: Ctrl+C and SIGTERM are skipped too."""

from pycti import OpenCTIConnectorHelper


def send_bundle(helper: OpenCTIConnectorHelper, bundle: str) -> None:
    try:
        helper.send_stix2_bundle(bundle)
    except:  # [OCE004]
        helper.connector_logger.warning("Bundle not sent")
