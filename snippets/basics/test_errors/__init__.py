"""ERR-005: unit-test the errors you raise."""
