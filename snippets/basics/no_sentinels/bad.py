"""Don't: return -1 when a value can't be read, and trust every caller to check."""

FEED = [
    {"value": "a.example", "score": "80"},
    {"value": "b.example", "score": "high"},
    {"value": "c.example"},
    {"value": "d.example", "score": "120"},
]


def parse_score(raw: dict[str, str]) -> int:
    try:
        return int(raw["score"])
    except (KeyError, ValueError):
        return -1  # [OCE003] means "no usable score", but only this function knows it


def to_indicator(raw: dict[str, str]) -> dict[str, object]:
    # The caller forgot the -1 check: nothing fails, nothing is logged.
    return {"value": raw["value"], "x_opencti_score": parse_score(raw)}


if __name__ == "__main__":
    for raw in FEED:
        indicator = to_indicator(raw)
        # Two different problems now look the same, and both reach OpenCTI.
        print("sent", indicator["value"], "score", indicator["x_opencti_score"])
        #> sent a.example score 80
        #> sent b.example score -1
        #> sent c.example score -1
        #> sent d.example score 120
