"""ERR-003: catch the most specific exception first."""
