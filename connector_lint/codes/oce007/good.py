"""Do: catch the narrower class first: each error reaches the handler written
for it."""

from pycti import OpenCTIConnectorHelper


class PlatformUnavailableError(Exception):
    """OpenCTI, or its queue, can't be reached."""


def send_bundle(helper: OpenCTIConnectorHelper, bundle: str) -> None:
    try:
        helper.send_stix2_bundle(bundle)
    except TimeoutError as err:
        raise PlatformUnavailableError("OpenCTI's queue timed out") from err
    except OSError as err:
        raise PlatformUnavailableError(
            "OpenCTI's queue is unreachable"
        ) from err
