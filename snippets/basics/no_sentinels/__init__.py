"""ERR-007: raise instead of returning sentinel values."""
