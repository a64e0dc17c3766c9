"""Do: one small try per operation that can fail, each with the message that fits it."""

PATTERNS = {
    "domain-name": "[domain-name:value = '{value}']",
    "ipv4-addr": "[ipv4-addr:value = '{value}']",
}


class IOCError(Exception):
    """An IOC from the source can't be turned into a STIX pattern."""


def to_pattern(ioc: dict[str, str]) -> str:
    try:
        value = ioc["value"]
    except KeyError as err:
        raise IOCError(f"IOC {ioc.get('id')} has no 'value' field") from err
    try:
        template = PATTERNS[ioc["type"]]
    except KeyError as err:
        supported = ", ".join(PATTERNS)
        raise IOCError(
            f"IOC {ioc.get('id')} has type {ioc.get('type')!r}; supported: {supported}"
        ) from err
    # Formatting can't raise KeyError here, so it stays outside any try.
    return template.format(value=value)


if __name__ == "__main__":
    ioc = {"id": "ioc-7", "type": "domain", "value": "malicious.example"}
    try:
        to_pattern(ioc)
    except IOCError as err:
        print(err)
        #> IOC ioc-7 has type 'domain'; supported: domain-name, ipv4-addr
    print(to_pattern({"id": "ioc-8", "type": "domain-name", "value": "evil.example"}))
    #> [domain-name:value = 'evil.example']
