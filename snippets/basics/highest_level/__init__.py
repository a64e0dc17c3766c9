"""ERR-006: handle errors at the highest level that can act on them."""
