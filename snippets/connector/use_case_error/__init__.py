"""ERR-012: raise UseCaseError for an entity the connector cannot process."""
