"""Do: log every error you handle, with what failed and why."""

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper


class DataRetrievalError(Exception):
    """The data source could not provide the data."""


class UseCaseError(Exception):
    """The connector can't process this entity."""


def process(ioc_id: str) -> str:
    """Fetch and convert one IOC; two of them fail."""
    if ioc_id == "ioc-2":
        raise DataRetrievalError("the source answered 404")
    if ioc_id == "ioc-3":
        raise UseCaseError("unsupported type 'mutex'")
    return ioc_id


# --8<-- [start:example]
def run(helper: OpenCTIConnectorHelper, ids: list[str]) -> list[str]:
    sent, skipped = [], 0
    for ioc_id in ids:
        try:
            sent.append(process(ioc_id))
        except (DataRetrievalError, UseCaseError) as err:
            skipped += 1
            # Handled, and the run goes on: a WARNING, no traceback.
            helper.connector_logger.warning(  # (1)!
                "IOC skipped",
                {
                    "ioc_id": ioc_id,
                    "reason": str(err),
                    "error": type(err).__name__,
                },
            )
    helper.connector_logger.info(
        "Run finished", {"sent": len(sent), "skipped": skipped}
    )
    return sent


# --8<-- [end:example]
if __name__ == "__main__":
    helper = RecordingHelper()
    print("Sent:", run(helper, ["ioc-1", "ioc-2", "ioc-3", "ioc-4"]))
    #> Sent: ['ioc-1', 'ioc-4']
    for line in helper.logs.lines(width=64):
        print(line)
        #> WARNING IOC skipped {"ioc_id": "ioc-2",
        #>     "reason": "the source answered 404",
        #>     "error": "DataRetrievalError"}
        #> WARNING IOC skipped {"ioc_id": "ioc-3",
        #>     "reason": "unsupported type 'mutex'",
        #>     "error": "UseCaseError"}
        #> INFO Run finished {"sent": 2, "skipped": 2}
