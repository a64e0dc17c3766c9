"""OpenCTI's GraphQL schema, as far as pycti's connector helper uses it, served by graphql-core.

The schema is the real one's text (``opencti_connector_api.graphql``, copied field for field
from OpenCTI's published schema, which names the release it follows). Documents are parsed
and validated by graphql-core, variables coerced by it, so a misspelled field, an unknown
argument or a value of the wrong type gets the error a GraphQL server gives. Two of
OpenCTI's directives are enforced here as the platform enforces them:

- ``@auth(for: [...])``: the caller's user needs one of the capabilities (``BYPASS`` has
  them all); without a user the answer is ``AUTH_REQUIRED``, without the capability
  ``FORBIDDEN_ACCESS`` (``platform_auth``).
- ``@constraint(minLength: n, format: "not-blank")`` on an input field: a value that breaks
  it is refused with ``VALIDATION_ERROR`` before anything runs, as the platform's
  graphql-constraint-directive plugin does.

``PlatformRelease`` picks the schema of one release: the current one, or a 6.x one that
lacks what pycti 7 asks for and sends (``jwks``, ``config.s3``, ``version``/``slug`` on
``RegisterConnectorInput``, ``isMultiPartWork`` on ``workAdd``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    IntValueNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ValueNode,
    build_ast_schema,
    parse,
)

SCHEMA_FILE = Path(__file__).with_name("opencti_connector_api.graphql")


class PlatformRelease(StrEnum):
    """The OpenCTI releases the stand-in can be: the schema and the version it reports."""

    CURRENT = "7.261026.0"  # the release the installed pycti's version follows
    V6 = "6.8.14"  # a 6.x release: its schema lacks what pycti 7 asks for

    @property
    def version(self) -> str:
        return self.value


# What the 6.x schema lacks compared with the current one: type -> fields, or
# "Type.field" -> arguments of that field.
MISSING_IN_6 = {
    "RegisterConnectorInput": ("xtm_one_intent", "version", "slug"),
    "Connector": ("last_seen_at", "xtm_one_intent", "version", "slug", "jwks"),
    "ConnectorConfig": ("s3",),
    "Mutation.workAdd": ("isMultiPartWork",),
}


@dataclass(frozen=True)
class FieldAuth:
    """An ``@auth`` directive: the capabilities of which a user needs one (or all)."""

    capabilities: tuple[str, ...]
    all_of: bool = False


@cache
def schema_for(release: PlatformRelease) -> GraphQLSchema:
    """The executable schema of one release; built once per release, then shared."""
    document = parse(SCHEMA_FILE.read_text(encoding="utf-8"))
    if release is PlatformRelease.V6:
        document = _without(document, MISSING_IN_6)
    schema = build_ast_schema(document)
    _bind_scalars(schema)
    _bind_constraints(schema)
    return schema


def field_auth(
    schema: GraphQLSchema, type_name: str, field_name: str
) -> FieldAuth | None:
    """The ``@auth`` of a field (or of its type); None when the field needs no login."""
    return _auth_table(schema).get((type_name, field_name))


# region the 6.x variant
def _without(
    document: DocumentNode, missing: Mapping[str, Iterable[str]]
) -> DocumentNode:
    definitions = []
    for node in document.definitions:
        if isinstance(node, InputObjectTypeDefinitionNode | ObjectTypeDefinitionNode):
            node = _drop_fields(node, missing)
        definitions.append(node)
    return DocumentNode(definitions=tuple(definitions))


def _drop_fields(node: Any, missing: Mapping[str, Iterable[str]]) -> Any:
    type_name = node.name.value
    dropped = set(missing.get(type_name, ()))
    fields = []
    for field in node.fields or ():
        if field.name.value in dropped:
            continue
        arguments = set(missing.get(f"{type_name}.{field.name.value}", ()))
        if arguments and isinstance(field, FieldDefinitionNode):
            kept = tuple(
                a for a in field.arguments or () if a.name.value not in arguments
            )
            field = FieldDefinitionNode(
                name=field.name,
                description=field.description,
                arguments=kept,
                type=field.type,
                directives=field.directives,
            )
        fields.append(field)
    return type(node)(
        name=node.name,
        description=node.description,
        directives=node.directives,
        fields=tuple(fields),
        **({"interfaces": node.interfaces} if hasattr(node, "interfaces") else {}),
    )


# endregion


# region scalars
def _parse_date_time(value: object) -> datetime.datetime:
    # graphql-scalars' DateTime, which OpenCTI uses: an RFC 3339 string with a time zone.
    if isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None and "T" in value.upper():
            return parsed
        raise GraphQLError(
            f"DateTime cannot represent an invalid date-time-string {value}."
        )
    raise GraphQLError(f"DateTime cannot represent non string or Date type {value!r}")


def _serialize_date_time(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def _bind_scalars(schema: GraphQLSchema) -> None:
    date_time = schema.type_map.get("DateTime")
    if isinstance(date_time, GraphQLScalarType):
        date_time.parse_value = _parse_date_time  # type: ignore[method-assign]
        date_time.serialize = _serialize_date_time  # type: ignore[method-assign]


# endregion


# region @constraint
def _bind_constraints(schema: GraphQLSchema) -> None:
    """Wrap constrained String input fields in a checking scalar, as the directive does.

    graphql-constraint-directive names that scalar after the field, its type and the
    constraint (``name_String_NotNull_minLength_2``): the name is part of the message.
    """
    for type_ in schema.type_map.values():
        ast = getattr(type_, "ast_node", None)
        if not isinstance(ast, InputObjectTypeDefinitionNode):
            continue
        for field_ast in ast.fields or ():
            bounds = _constraint(field_ast)
            if not bounds:
                continue
            field = type_.fields[field_ast.name.value]  # type: ignore[attr-defined]
            required = isinstance(field.type, GraphQLNonNull)
            scalar = _constrained_string(field_ast.name.value, required, bounds)
            field.type = GraphQLNonNull(scalar) if required else scalar


class ConstraintViolationError(GraphQLError):
    """A value that breaks an input field's ``@constraint``; the platform answers it with
    ``VALIDATION_ERROR`` naming the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


def _constraint(field: InputValueDefinitionNode) -> dict[str, int | str]:
    for directive in field.directives or ():
        if directive.name.value == "constraint":
            return {
                arg.name.value: int(arg.value.value)
                if isinstance(arg.value, IntValueNode)
                else str(getattr(arg.value, "value", ""))
                for arg in directive.arguments or ()
            }
    return {}


def _constrained_string(
    field_name: str, required: bool, bounds: Mapping[str, int | str]
) -> GraphQLScalarType:
    suffix = re.sub(r"\W", "_", "_".join(f"{k}_{v}" for k, v in bounds.items()))
    name = f"{field_name}_String{'_NotNull' if required else ''}_{suffix}"
    min_length = bounds.get("minLength")
    max_length = bounds.get("maxLength")

    def parse_value(value: object) -> str:
        if not isinstance(value, str):
            raise GraphQLError(f"String cannot represent a non string value: {value!r}")
        # graphql-constraint-directive's messages, and the platform's own "not-blank".
        if isinstance(min_length, int) and len(value) < min_length:
            raise ConstraintViolationError(
                field_name, f"Must be at least {min_length} characters in length"
            )
        if isinstance(max_length, int) and len(value) > max_length:
            raise ConstraintViolationError(
                field_name, f"Must be no more than {max_length} characters in length"
            )
        if bounds.get("format") == "not-blank" and not value.strip():
            raise ConstraintViolationError(
                field_name, "Value cannot have only whitespace(s)"
            )
        return value

    return GraphQLScalarType(name, parse_value=parse_value)


# endregion


# region @auth
@cache
def _auth_table(schema: GraphQLSchema) -> dict[tuple[str, str], FieldAuth]:
    table = {}
    for type_name, type_ in schema.type_map.items():
        ast = getattr(type_, "ast_node", None)
        if not isinstance(ast, ObjectTypeDefinitionNode):
            continue
        on_type = _auth(ast.directives)
        for field_ast in ast.fields or ():
            auth = _auth(field_ast.directives) or on_type
            if auth is not None:
                table[(type_name, field_ast.name.value)] = auth
    return table


def _auth(directives: Iterable[DirectiveNode] | None) -> FieldAuth | None:
    for directive in directives or ():
        if directive.name.value != "auth":
            continue
        arguments: dict[str, ValueNode] = {
            a.name.value: a.value for a in directive.arguments or ()
        }
        listed = arguments.get("for")
        capabilities = (
            tuple(v.value for v in listed.values)  # type: ignore[attr-defined]
            if isinstance(listed, ListValueNode)
            else ()
        )
        all_of = getattr(arguments.get("and"), "value", False) is True
        return FieldAuth(capabilities, all_of)
    return None


# endregion
