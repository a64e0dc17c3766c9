"""What the two sandbox servers' faults share: reading specs, and the book of active ones.

Each server has its own fault names and fields (``source_faults``, ``platform_faults``);
both read a spec or a list of specs the same way, refuse a bad one with ``InvalidFaultError``
naming it by position, and keep the active faults in a ``FaultBook``, which counts how often
each fired, per key, so that ``times`` means "this many times, then answer normally".
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Generic, Protocol, TypeVar


class InvalidFaultError(ValueError):
    """A fault spec that can't be used; the message says why."""

    def __init__(self, problem: str, valid_names: Collection[str] = ()) -> None:
        listed = f" (valid names: {', '.join(valid_names)})" if valid_names else ""
        super().__init__(f"{problem}{listed}")
        self.problem = problem
        self.valid_names = tuple(valid_names)


class Counted(Protocol):
    """A fault spec: how many times it fires before requests succeed again (None: always)."""

    @property
    def times(self) -> int | None: ...


S = TypeVar("S", bound=Counted)


def parse_specs(
    specs: object, parse_one: Callable[[object], S], kind: type[S]
) -> list[S]:
    """One spec (a mapping or a ``kind``) or a list of them, each read by ``parse_one``."""
    if isinstance(specs, Mapping | kind):
        items: list[object] = [specs]
    elif isinstance(specs, Iterable) and not isinstance(specs, str | bytes):
        items = list(specs)
    else:
        raise InvalidFaultError("expected a fault spec object or a list of them")
    faults = []
    for position, item in enumerate(items):
        try:
            faults.append(parse_one(item))
        except InvalidFaultError as err:
            raise InvalidFaultError(
                f"fault #{position}: {err.problem}", err.valid_names
            ) from err
    return faults


def spec_mapping(spec: object, fields: Collection[str]) -> Mapping[str, object]:
    """The spec as a mapping with known fields only; InvalidFaultError otherwise."""
    if not isinstance(spec, Mapping):
        raise InvalidFaultError(
            f"a fault spec must be an object, got {type(spec).__name__}"
        )
    unknown = sorted(str(key) for key in spec if key not in fields)
    if unknown:
        raise InvalidFaultError(
            f"unknown field(s) {unknown}; valid fields: {list(fields)}"
        )
    return spec


def whole_times(value: object) -> int | None:
    """``times``: absent, or a whole number of at least 1."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidFaultError(
            f"'times' must be a whole number of at least 1, got {value!r}"
        )
    return value


def number(spec: Mapping[str, object], field: str) -> float | None:
    value = spec.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidFaultError(f"{field!r} must be a number, got {value!r}")
    return float(value)


class FaultBook(Generic[S]):
    """The active faults and how often each fired per key; safe to share between threads."""

    def __init__(self, faults: Iterable[S] = ()) -> None:
        self._lock = threading.Lock()
        self._faults: tuple[S, ...] = tuple(faults)
        self._fired: Counter[tuple[int, str]] = Counter()

    @property
    def faults(self) -> tuple[S, ...]:
        return self._faults

    def replace(self, faults: Iterable[S]) -> None:
        """Use these faults from now on, with every ``times`` count starting afresh."""
        with self._lock:
            self._faults = tuple(faults)
            self._fired.clear()

    def with_counts(self) -> list[tuple[S, int]]:
        """Each active fault with how many times it fired, in order."""
        with self._lock:
            totals: Counter[int] = Counter()
            for (position, _), fired in self._fired.items():
                totals[position] += fired
            return [(fault, totals[index]) for index, fault in enumerate(self._faults)]

    def take(self, matches: Callable[[S], bool], key: str = "") -> S | None:
        """The first fault that matches and has fired fewer than ``times`` for ``key``,
        counted as fired; None means "answer normally", the common case."""
        taken = self._take(matches, key, first_only=True)
        return taken[0] if taken else None

    def take_all(self, matches: Callable[[S], bool], key: str = "") -> list[S]:
        """Every fault that applies, each counted as fired: for faults that add up."""
        return self._take(matches, key, first_only=False)

    def _take(
        self, matches: Callable[[S], bool], key: str, first_only: bool
    ) -> list[S]:
        taken = []
        with self._lock:
            for index, fault in enumerate(self._faults):
                if not matches(fault):
                    continue
                if fault.times is not None and self._fired[index, key] >= fault.times:
                    continue
                self._fired[index, key] += 1
                taken.append(fault)
                if first_only:
                    break
        return taken
