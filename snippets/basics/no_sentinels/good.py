"""Do: raise when a value can't be read; warn when it is usable but doubtful."""

import warnings

FEED = [
    {"value": "a.example", "score": "80"},
    {"value": "b.example", "score": "high"},
    {"value": "c.example"},
    {"value": "d.example", "score": "120"},
]


class ConversionError(Exception):
    """An IOC from the source can't be turned into an indicator."""


class SourceDataWarning(UserWarning):
    """The source sent a value we can use, though not what its documentation says."""


def parse_score(raw: dict[str, str]) -> int:
    text = raw.get("score", "")
    try:
        score = int(text)
    except ValueError as err:
        message = f"{raw['value']}: score {text!r} is not a number"
        raise ConversionError(message) from err
    if not 0 <= score <= 100:
        clamped = min(max(score, 0), 100)
        message = f"{raw['value']}: score {score} is out of 0-100, using {clamped}"
        warnings.warn(message, SourceDataWarning, stacklevel=2)  # (1)!
        return clamped
    return score


def to_indicator(raw: dict[str, str]) -> dict[str, object]:
    return {"value": raw["value"], "x_opencti_score": parse_score(raw)}


if __name__ == "__main__":
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for raw in FEED:
            try:
                indicator = to_indicator(raw)
            except ConversionError as err:
                # A real run loop logs this at WARNING and skips the IOC (ERR-012).
                outcome = f"skipped {err}"
            else:
                outcome = f"sent {raw['value']} score {indicator['x_opencti_score']}"
            print(outcome)
            #> sent a.example score 80
            #> skipped b.example: score 'high' is not a number
            #> skipped c.example: score '' is not a number
            #> sent d.example score 100
    for warning in caught:
        print(warning.category.__name__, warning.message)
        #> SourceDataWarning d.example: score 120 is out of 0-100, using 100
