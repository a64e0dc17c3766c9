"""Don't: one try around the whole function, so its handler catches errors it wasn't written for."""

PATTERNS = {
    "domain-name": "[domain-name:value = '{value}']",
    "ipv4-addr": "[ipv4-addr:value = '{value}']",
}


class IOCError(Exception):
    """An IOC from the source can't be turned into a STIX pattern."""


def to_pattern(ioc: dict[str, str]) -> str:
    try:  # [OCE006]
        value = ioc["value"]
        kind = ioc["type"]
        template = PATTERNS[kind]  # also raises KeyError, for another reason
        return template.format(value=value)
    except KeyError as err:
        # Written for a payload without "value"; it fires for an unknown type too.
        raise IOCError(f"IOC {ioc.get('id')} has no 'value' field") from err


if __name__ == "__main__":
    ioc = {"id": "ioc-7", "type": "domain", "value": "malicious.example"}
    try:
        to_pattern(ioc)
    except IOCError as err:
        # The IOC has a value: the message sends whoever reads the log the wrong way.
        print(err)
        #> IOC ioc-7 has no 'value' field
