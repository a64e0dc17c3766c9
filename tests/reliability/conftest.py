"""Hypothesis profiles for the fuzz tests: a fixed, repeatable one for CI, a longer one for
``nox -s fuzz``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Derandomized: CI runs the same examples every time, so a failure there is reproducible and
# never a matter of luck. No example database: nothing is written into the work tree.
settings.register_profile(
    "ci",
    max_examples=2_000,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# `nox -s fuzz`: ten times as many examples, random ones, to find what CI's fixed set misses.
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("FUZZ_PROFILE", "ci"))
