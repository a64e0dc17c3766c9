"""Snippets for the practices specific to OpenCTI connectors."""
