"""Don't: leave a file that doesn't parse: none of its code is checked."""


def ioc_url(base_url: str, ioc_id: str) -> str  # [OCE000]
    return f"{base_url}/iocs/{ioc_id}"
