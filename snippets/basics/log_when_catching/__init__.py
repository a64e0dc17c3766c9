"""ERR-004: log what you catch."""
