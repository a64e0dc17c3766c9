"""``python -m connector_lint PATH...``: the same as the ``connector-lint`` command."""

import sys

from connector_lint.cli import main

sys.exit(main())
