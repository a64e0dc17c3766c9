"""Do: one small try per lookup that can fail, each with the message that
fits it."""

PATTERNS = {
    "domain-name": "[domain-name:value = '{value}']",
    "ipv4-addr": "[ipv4-addr:value = '{value}']",
}


class IOCError(Exception):
    """An IOC from the source can't be turned into a STIX pattern."""


# --8<-- [start:example]
def to_pattern(ioc: dict[str, str]) -> str:
    value = field(ioc, "value")
    kind = field(ioc, "type")
    try:
        template = PATTERNS[kind]  # (1)!
    except KeyError as err:
        raise IOCError(
            f"IOC {ioc.get('id')} has unknown type {kind!r}"
        ) from err
    # format() can't raise KeyError here: it stays outside any try.
    return template.format(value=value)


def field(ioc: dict[str, str], name: str) -> str:
    try:
        value = ioc[name]
    except KeyError as err:
        raise IOCError(f"IOC {ioc.get('id')} has no {name!r} field") from err
    return value


# --8<-- [end:example]
if __name__ == "__main__":
    iocs = [
        {"id": "ioc-7", "type": "domain", "value": "bad.example"},
        {"id": "ioc-8", "value": "1.2.3.4"},
        {"id": "ioc-9", "type": "ipv4-addr"},
        {"id": "ioc-10", "type": "domain-name", "value": "evil.example"},
    ]
    for ioc in iocs:
        try:
            result = to_pattern(ioc)
        except IOCError as err:
            result = str(err)
        print(result)  # each failure says what is wrong
        #> IOC ioc-7 has unknown type 'domain'
        #> IOC ioc-8 has no 'type' field
        #> IOC ioc-9 has no 'value' field
        #> [domain-name:value = 'evil.example']
