"""``python -m benchmarks.peak_rss REPORT -- COMMAND...``: run COMMAND, write its peak memory.

The connector is started from this small process, not from the benchmark's: on Linux, a
child started with vfork, as ``subprocess`` does, takes its parent's memory high-water mark
at exec, so measured from the benchmark's process, which holds every bundle the platform
stand-in received, each run would report at least the benchmark's own peak. From here, the
child's ``ru_maxrss`` is the connector's own. REPORT gets ``{"exit_code", "peak_rss_kib"}``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(
            "usage: python -m benchmarks.peak_rss REPORT -- COMMAND...", file=sys.stderr
        )
        return 2
    report, command = Path(argv[0]), argv[2:]
    completed = subprocess.run(command, check=False)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report.write_text(
        json.dumps({"exit_code": completed.returncode, "peak_rss_kib": peak_kib}),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
