"""Don't: one try around the whole conversion, so its handler catches
errors it wasn't written for."""

PATTERNS = {
    "domain-name": "[domain-name:value = '{value}']",
    "ipv4-addr": "[ipv4-addr:value = '{value}']",
}


class IOCError(Exception):
    """An IOC from the source can't be turned into a STIX pattern."""


# --8<-- [start:example]
def to_pattern(ioc: dict[str, str]) -> str:
    try:  # [OCE006]
        value = ioc["value"]
        kind = ioc["type"]
        template = PATTERNS[kind]  # also raises KeyError, for another reason
        return template.format(value=value)
    except KeyError as err:
        # Written for an IOC without "value"; it fires for the others too.
        raise IOCError(f"IOC {ioc.get('id')} has no 'value' field") from err


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
        print(result)  # ioc-7 and ioc-8 have a value: two wrong reasons
        #> IOC ioc-7 has no 'value' field
        #> IOC ioc-8 has no 'value' field
        #> IOC ioc-9 has no 'value' field
        #> [domain-name:value = 'evil.example']
