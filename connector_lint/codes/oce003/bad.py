"""Don't: return -1 for a score that can't be read: the caller sends it to
OpenCTI."""


def parse_score(raw: dict[str, str]) -> int:
    try:
        return int(raw["score"])
    except (KeyError, ValueError):
        return -1  # [OCE003]
