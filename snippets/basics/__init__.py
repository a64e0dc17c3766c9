"""Snippets for the general Python practices."""
