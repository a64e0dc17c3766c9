"""Warning categories for data that is usable but not what the source documents.

They are raised with :func:`warnings.warn` by the models and logged at WARNING by the client,
one record per warning, with the IOC id and the field in ``meta``.
"""

from __future__ import annotations


class PermissiveValidationWarning(UserWarning):  # (1)!
    """Base class: the payload was accepted, but something in it is unexpected."""


class UnknownFieldWarning(PermissiveValidationWarning):  # (2)!
    """The payload has a field the model does not declare; it is kept, not used."""


class UnexpectedValueWarning(PermissiveValidationWarning):  # (3)!
    """A field holds a value outside the documented list; it is kept as it came."""


class MissingRecommendedFieldWarning(PermissiveValidationWarning):  # (4)!
    """A field the source documents as always present is missing."""
