"""Do: fix the syntax error the finding points at, and the file is checked
again."""


def ioc_url(base_url: str, ioc_id: str) -> str:
    return f"{base_url}/iocs/{ioc_id}"
