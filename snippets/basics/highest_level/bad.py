"""Don't: let the data source client decide that any failure ends the connector."""

import logging
import subprocess
import sys

logger = logging.getLogger("connector")


class HTTPError(Exception):
    """Stand-in for requests.HTTPError."""


class SourceClient:
    def _get(self, path: str) -> str:
        if path == "/iocs/ioc-2":
            raise HTTPError(f"404 Not Found: {path}")
        return path.removeprefix("/iocs/") + ".example"

    def get_ioc(self, ioc_id: str) -> str:
        try:
            return self._get(f"/iocs/{ioc_id}")
        except HTTPError as err:
            # Written with "the source is down" in mind. The client can't know that
            # this is one IOC among many, yet it decides for the whole process.
            logger.error("Source failed: %s", err)  # [TRY400, OCE005]
            sys.exit(1)  # [OCE008]


def run(client: SourceClient) -> None:
    for ioc_id in ["ioc-1", "ioc-2", "ioc-3"]:
        print("sent", client.get_ioc(ioc_id))
    print("run finished")


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(message)s")
        run(SourceClient())
    else:
        child = subprocess.run(
            [sys.executable, __file__, "child"],
            capture_output=True,
            text=True,
            check=False,
        )
        # ioc-3 is never sent and the run never finishes: one missing IOC stops it all.
        for line in child.stdout.splitlines():
            print(line)
            #> sent ioc-1.example
            #> ERROR Source failed: 404 Not Found: /iocs/ioc-2
        print("exit code:", child.returncode)
        #> exit code: 1
