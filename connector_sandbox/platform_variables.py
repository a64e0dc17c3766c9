"""Checks of GraphQL variables, with the messages a GraphQL server gives for bad ones.

Each check returns the value with its Python type, or raises GraphQLError ``BAD_USER_INPUT``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from connector_sandbox.platform_records import GraphQLError

Variables = Mapping[str, Any]


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, "BAD_USER_INPUT", http_status=400, genre="BUSINESS")


def shown(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def required_str(values: Variables, name: str, type_name: str = "String!") -> str:
    value = values.get(name)
    if value is None:
        raise bad_input(
            f'Variable "${name}" of required type "{type_name}" was not provided.'
        )
    if not isinstance(value, str):
        raise bad_input(
            f'Variable "${name}" got invalid value {shown(value)}; expected {type_name}.'
        )
    return value


def optional_str(values: Variables, name: str) -> str | None:
    return None if values.get(name) is None else required_str(values, name, "String")


def boolean(values: Variables, name: str) -> bool:
    value = values.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad_input(
            f'Variable "${name}" got invalid value {shown(value)}; expected Boolean.'
        )
    return value


def integer(values: Variables, name: str) -> int:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad_input(
            f'Variable "${name}" got invalid value {shown(value)}; expected Int.'
        )
    return value


def optional_object(
    values: Variables, name: str, type_name: str, fields: frozenset[str] | None = None
) -> dict[str, Any] | None:
    value = values.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_input(
            f'Variable "${name}" got invalid value {shown(value)}; expected {type_name}.'
        )
    unknown = sorted(set(value) - fields) if fields is not None else []
    if unknown:
        raise bad_input(
            f'Variable "${name}" got invalid value {shown(value)}; '
            f'Field "{unknown[0]}" is not defined by type "{type_name}".'
        )
    return value
