"""ERR-011: wrap data source failures into DataRetrievalError."""
