"""ERR-002: raise your own exceptions, chained with from."""
