"""MkDocs hooks that render pages from the rule registry."""
