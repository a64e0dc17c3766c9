"""connector-check: run a pycti connector against the platform stand-in, and say which rules
its error handling breaks."""
