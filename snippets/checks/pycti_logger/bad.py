"""Don't: pass exc_info= to pycti's logger: the skip handler raises."""

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

FETCHED: list[str] = []


def fetch(ioc_id: str) -> str:
    FETCHED.append(ioc_id)
    if ioc_id == "ioc-2":
        raise TimeoutError("The read operation timed out")
    return f"{ioc_id}.example"


def run(helper: OpenCTIConnectorHelper, ids: list[str]) -> list[str]:
    sent = []
    for ioc_id in ids:
        try:
            sent.append(fetch(ioc_id))
        except TimeoutError as err:
            # Meant to skip this IOC with a WARNING, and go on with the next.
            helper.connector_logger.warning(
                "IOC skipped", {"ioc_id": ioc_id}, exc_info=err  # [OCE001]
            )
    return sent


if __name__ == "__main__":
    try:
        run(RecordingHelper(), ["ioc-1", "ioc-2", "ioc-3"])
    except TypeError as err:
        # pycti's class is logger.<locals>.AppLogger: keep the method's name.
        print(f"{type(err).__name__}: {str(err).rpartition('.')[2]}")
        #> TypeError: warning() got an unexpected keyword argument 'exc_info'
        print("raised while handling:", repr(err.__context__))
        #> raised while handling: TimeoutError('The read operation timed out')
    print("fetched:", FETCHED)  # ioc-3 never is: the run ended at ioc-2
    #> fetched: ['ioc-1', 'ioc-2']
