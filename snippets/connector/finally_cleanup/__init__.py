"""ERR-015: close the work and record state in finally."""
