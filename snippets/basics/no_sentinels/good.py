"""Do: raise when a value can't be read; warn when it is usable but
doubtful, with one message per kind of doubt."""

import warnings

from pycti import OpenCTIConnectorHelper

from snippets.recording_helper import RecordingHelper

FEED = [
    {"id": "41", "value": "a.example", "score": "80"},
    {"id": "42", "value": "b.example", "score": "high"},
    {"id": "43", "value": "c.example"},
    {"id": "44", "value": "d.example", "score": "120"},
]


# --8<-- [start:example]
class ConversionError(Exception):
    """An IOC from the source can't be turned into an indicator."""


class SourceDataWarning(UserWarning):
    """The source sent a value we can use, though not as documented."""


class ScoreClampedWarning(SourceDataWarning):
    def __init__(self, score: int) -> None:
        super().__init__("Score clamped to 0-100")  # (1)!
        self.score = score


def parse_score(raw: dict[str, str]) -> int:
    if "score" not in raw:
        raise ConversionError("no score")
    try:
        score = int(raw["score"])
    except ValueError as err:
        raise ConversionError(f"score is {raw['score']!r}") from err
    clamped = min(max(score, 0), 100)
    if clamped != score:
        warnings.warn(ScoreClampedWarning(score), stacklevel=2)
    return clamped


def to_indicator(raw: dict[str, str]) -> dict[str, object]:
    return {"value": raw["value"], "x_opencti_score": parse_score(raw)}


def process(
    helper: OpenCTIConnectorHelper, feed: list[dict[str, str]]
) -> list[dict[str, object]]:
    indicators = []
    for raw in feed:
        with warnings.catch_warnings(record=True) as caught:  # (2)!
            warnings.simplefilter("always", SourceDataWarning)
            try:
                indicators.append(to_indicator(raw))
            except ConversionError as err:
                helper.connector_logger.warning(
                    "IOC skipped", {"ioc_id": raw["id"], "reason": str(err)}
                )
        for warning in caught:
            if isinstance(warning.message, SourceDataWarning):
                details = {"ioc_id": raw["id"], **vars(warning.message)}
                helper.connector_logger.warning(str(warning.message), details)
    return indicators


# --8<-- [end:example]
def registry_size() -> int:
    """The warnings this module's registry remembers ("version" aside)."""
    registry = globals().get("__warningregistry__", {})
    return sum(1 for key in registry if key != "version")


def silent(*args: object, **kwargs: object) -> None:
    """Shows no warning, and changes no filter: the registry works as usual,
    the test report is spared the one the default filter would show."""


if __name__ == "__main__":
    shown, warnings.showwarning = warnings.showwarning, silent
    helper = RecordingHelper()
    for indicator in process(helper, FEED):
        value, score = indicator["value"], indicator["x_opencti_score"]
        print("sent", value, "score", score)
        #> sent a.example score 80
        #> sent d.example score 100
    for line in helper.logs.lines():  # each IOC's id is in the meta
        print(line)
        #> WARNING IOC skipped {"ioc_id": "42", "reason": "score is 'high'"}
        #> WARNING IOC skipped {"ioc_id": "43", "reason": "no score"}
        #> WARNING Score clamped to 0-100 {"ioc_id": "44", "score": 120}

    # A long-running connector: 1,000 doubtful IOCs, one WARNING each.
    doubtful = [
        {"id": f"{n}", "value": f"{n}.example", "score": "150"}
        for n in range(1000)
    ]
    helper = RecordingHelper()
    process(helper, doubtful)
    print("WARNING records:", len(helper.logs.records))
    #> WARNING records: 1000
    print("Registry entries:", registry_size())  # "always" records none
    #> Registry entries: 0
    # Where no run loop records them, the default filter: one text, one entry.
    for raw in doubtful:
        to_indicator(raw)
    print("Registry entries, no run loop:", registry_size())
    #> Registry entries, no run loop: 1
    warnings.showwarning = shown
