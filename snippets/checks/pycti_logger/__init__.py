"""OCE001: pycti's logger called like the standard library's."""
