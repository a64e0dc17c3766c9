"""Answers several checks ask of the same file, worked out once per file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from connector_lint.syntax import Module

AnswerT = TypeVar("AnswerT")


def once_per_module(
    function: Callable[[Module], AnswerT],
) -> Callable[[Module], AnswerT]:
    """``function(module)``, kept for the module last asked about: the checks run on one
    file at a time, so one slot is enough and holds no file after the next one. The answer
    is shared: ``function`` must return what no caller can change (a tuple, a frozenset)."""
    last: list[tuple[Module, AnswerT]] = []

    @functools.wraps(function)
    def remembered(module: Module) -> AnswerT:
        if not last or last[0][0] is not module:
            last[:] = [(module, function(module))]
        return last[0][1]

    return remembered
