"""Don't: catch OSError before TimeoutError: a timeout never reaches its own
handler."""

from pycti import OpenCTIConnectorHelper


class PlatformUnavailableError(Exception):
    """OpenCTI, or its queue, can't be reached."""


def send_bundle(helper: OpenCTIConnectorHelper, bundle: str) -> None:
    try:
        helper.send_stix2_bundle(bundle)
    except OSError as err:
        raise PlatformUnavailableError(
            "OpenCTI's queue is unreachable"
        ) from err
    except TimeoutError as err:  # [OCE007]
        raise PlatformUnavailableError("OpenCTI's queue timed out") from err
