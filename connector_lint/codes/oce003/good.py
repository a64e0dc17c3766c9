"""Do: raise an exception that says what is wrong with the value."""


class ConversionError(Exception):
    """An IOC from the source can't be turned into an indicator."""


def parse_score(raw: dict[str, str]) -> int:
    try:
        return int(raw["score"])
    except (KeyError, ValueError) as err:
        raise ConversionError(f"no readable score in {raw!r}") from err
