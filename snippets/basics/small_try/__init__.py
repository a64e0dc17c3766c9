"""ERR-001: keep try blocks small."""
