import sys

from connector_check.cli import main

sys.exit(main())
