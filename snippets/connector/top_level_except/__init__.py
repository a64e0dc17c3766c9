"""ERR-014: catch Exception only at the top of a run, and alert the platform."""
