"""Who calls the platform stand-in: API tokens, their users and capabilities.

OpenCTI checks each field's ``@auth(for: [...])`` against the capabilities of the token's
user (``graphql/authDirective``): ``BYPASS`` (the admin's) passes every check, a field with
an empty list only needs a logged-in user, and a capability is held when one of the user's
contains its name (``MODULES_MODMANAGE`` grants ``MODULES``), any of them, or all with
``and: true``.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from connector_sandbox.platform_schema import FieldAuth

# The admin user's id is fixed in every OpenCTI.
ADMIN_USER_ID = "88ec0c6a-13ce-5e39-b486-354fe4a7084f"
BYPASS = "BYPASS"
# The capabilities of OpenCTI's default "Connector" role: what a connector's token has.
CONNECTOR_ROLE = frozenset(
    {
        "KNOWLEDGE_KNUPDATE_KNDELETE",
        "KNOWLEDGE_KNUPLOAD",
        "KNOWLEDGE_KNASKIMPORT",
        "KNOWLEDGE_KNGETEXPORT_KNASKEXPORT",
        "KNOWLEDGE_KNENRICHMENT",
        "CONNECTORAPI",
        "MODULES_MODMANAGE",
        "TAXIIAPI",
        "SETTINGS_SETMARKINGS",
        "SETTINGS_SETLABELS",
    }
)


@dataclass(frozen=True)
class User:
    id: str
    name: str
    capabilities: frozenset[str]

    def may(self, auth: FieldAuth) -> bool:
        if BYPASS in self.capabilities or not auth.capabilities:
            return True
        held = [
            any(wanted in own for own in self.capabilities)
            for wanted in auth.capabilities
            if wanted != BYPASS
        ]
        return all(held) if auth.all_of else any(held)


ADMIN = User(ADMIN_USER_ID, "admin", frozenset({BYPASS}))


class Tokens:
    """The tokens the stand-in accepts: the admin's, and any with capabilities of their own."""

    def __init__(
        self, admin_token: str, others: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        self._users: dict[str, User] = {admin_token: ADMIN}
        for number, (token, capabilities) in enumerate((others or {}).items(), 1):
            if not token or token == admin_token:
                raise ValueError(
                    "each extra token must be non-empty and differ from the admin token"
                )
            self._users[token] = User(
                f"sandbox-user-{number}", f"user {number}", frozenset(capabilities)
            )

    def user(self, authorization: str | None) -> User | None:
        """The user of an ``Authorization: Bearer <token>`` header; None if none matches."""
        sent = (authorization or "").encode()
        found = None
        for token, user in self._users.items():
            # Compare with every token, so the time taken tells nothing about which is close.
            if hmac.compare_digest(sent, f"Bearer {token}".encode()):
                found = user
        return found
