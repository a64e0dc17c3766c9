"""What `.ci/run` runs before any environment exists: the standard library only."""
