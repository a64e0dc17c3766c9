"""connector-lint: the rules of "Handling errors in OpenCTI connectors" that ruff can't see.

Run ``connector-lint PATH...`` (or ``python -m connector_lint PATH...``) on a connector's code.
Each finding names a code (``OCE001``...) and links the rule page that explains it; which rule
each code enforces is written once, in the rule registry (``snippets/rules.py``).
"""

from connector_lint.findings import Finding
from connector_lint.runner import Settings, check_file, check_source

__all__ = ["Finding", "Settings", "check_file", "check_source"]
