"""ERR-008: let SystemExit and KeyboardInterrupt propagate."""
