"""``python -m snippets.example_connector``: run the example connector."""

import sys

from snippets.example_connector.main import main

sys.exit(main())
