"""Don't: return -1 when a value can't be read, and put the IOC in the
text of a warning."""

import warnings

FEED = [
    {"id": "41", "value": "a.example", "score": "80"},
    {"id": "42", "value": "b.example", "score": "high"},
    {"id": "43", "value": "c.example"},
    {"id": "44", "value": "d.example", "score": "120"},
]


# --8<-- [start:example]
class SourceDataWarning(UserWarning):
    """The source sent a value we can use, though not as documented."""


def parse_score(raw: dict[str, str]) -> int:
    try:
        score = int(raw["score"])
    except (KeyError, ValueError):
        return -1  # [OCE003] "no usable score", but only this function knows
    clamped = min(max(score, 0), 100)
    if clamped != score:
        message = f"IOC {raw['id']}: score {score} clamped to {clamped}"
        warnings.warn(message, SourceDataWarning, stacklevel=2)
    return clamped


def to_indicator(raw: dict[str, str]) -> dict[str, object]:
    # The caller forgot the -1 check: nothing fails, nothing is logged.
    return {"value": raw["value"], "x_opencti_score": parse_score(raw)}


def process(feed: list[dict[str, str]]) -> list[dict[str, object]]:
    return [to_indicator(raw) for raw in feed]


# --8<-- [end:example]
def registry_size() -> int:
    """The warnings this module's registry remembers ("version" aside)."""
    registry = globals().get("__warningregistry__", {})
    return sum(1 for key in registry if key != "version")


def silent(*args: object, **kwargs: object) -> None:
    """Shows no warning, and changes no filter: the registry works as usual,
    stderr and the test report are spared 1,000 lines."""


if __name__ == "__main__":
    shown, warnings.showwarning = warnings.showwarning, silent
    # Two different problems now look the same, and both reach OpenCTI.
    for indicator in process(FEED):
        value, score = indicator["value"], indicator["x_opencti_score"]
        print("sent", value, "score", score)
        #> sent a.example score 80
        #> sent b.example score -1
        #> sent c.example score -1
        #> sent d.example score 100
    print("Registry entries:", registry_size())
    #> Registry entries: 1

    # A long-running connector: 1,000 doubtful IOCs, each its own text.
    doubtful = [
        {"id": f"{n}", "value": f"{n}.example", "score": "150"}
        for n in range(1000)
    ]
    process(doubtful)
    print("Registry entries:", registry_size())  # one more per IOC, for ever
    #> Registry entries: 1001
    warnings.showwarning = shown
