"""ERR-010: validate the configuration at start-up and raise ConfigError."""
