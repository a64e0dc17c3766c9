"""IOC -> STIX 2.1: an Indicator with its pattern, the observable it is based on, and the link.

Ids are deterministic (pycti's ``generate_id`` for the Indicator, the identity and the
relationship; stix2's own for observables), so sending the same IOC twice updates one object
in OpenCTI instead of creating a duplicate: a rerun after a failed run is safe.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from typing import Any

import stix2
from pycti import Identity, Indicator, StixCoreRelationship

from snippets.example_connector.bounds import file_name, quoted
from snippets.example_connector.errors import ConversionError, UnsupportedTypeError
from snippets.example_connector.models import IOCResponseModel

HASH_ALGORITHMS = {32: "MD5", 40: "SHA-1", 64: "SHA-256"}
HEX = re.compile(r"^[0-9a-fA-F]+$")
# RFC 1035 labels, at least two of them; no trailing dot.
DOMAIN = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class ConverterToStix:
    """Turns IOCs into STIX objects authored by the source's identity."""

    def __init__(self, author_name: str) -> None:
        self.author = stix2.Identity(
            id=Identity.generate_id(author_name, "organization"),
            name=author_name,
            identity_class="organization",
        )

    def convert_ioc(
        self, ioc: IOCResponseModel, raw_pdf: bytes | None = None
    ) -> list[Any]:
        """The STIX objects for one IOC; ``UseCaseError`` when it can't be converted."""
        observable, pattern = self._observable_and_pattern(ioc)
        extra: dict[str, Any] = {}
        if raw_pdf is not None:
            extra["x_opencti_files"] = [
                {
                    "name": file_name(ioc.id, ".pdf"),
                    "data": base64.b64encode(raw_pdf).decode("ascii"),
                    "mime_type": "application/pdf",
                }
            ]
        indicator = stix2.Indicator(
            id=Indicator.generate_id(pattern),  # (1)!
            name=ioc.value,
            description=ioc.description,
            pattern=pattern,
            pattern_type="stix",
            created_by_ref=self.author.id,
            allow_custom=True,
            custom_properties={
                "x_opencti_main_observable_type": observable.type,
                **extra,
            },
        )
        based_on = stix2.Relationship(
            id=StixCoreRelationship.generate_id(
                "based-on", indicator.id, observable.id
            ),
            relationship_type="based-on",
            source_ref=indicator.id,
            target_ref=observable.id,
            created_by_ref=self.author.id,
        )
        return [indicator, observable, based_on]

    def _observable_and_pattern(self, ioc: IOCResponseModel) -> tuple[Any, str]:
        match ioc.type:
            case "domain":
                return self._domain(ioc)
            case "ip":
                return self._ip(ioc)
            case "hash":
                return self._hash(ioc)
            case _:
                raise UnsupportedTypeError(  # (2)!
                    f"IOC {quoted(ioc.id)} has type {quoted(ioc.type)!r}; "
                    "supported: domain, ip, hash"
                )

    def _domain(self, ioc: IOCResponseModel) -> tuple[Any, str]:
        # fullmatch: with match, "$" also accepts a newline after the domain.
        if not DOMAIN.fullmatch(ioc.value):  # (3)!
            raise ConversionError(
                f"IOC {quoted(ioc.id)} is a domain but its value is not one"
            )
        observable = stix2.DomainName(value=ioc.value.lower())
        return observable, f"[domain-name:value = '{observable.value}']"

    def _ip(self, ioc: IOCResponseModel) -> tuple[Any, str]:
        try:
            address = ipaddress.ip_address(ioc.value)
        except ValueError as err:
            raise ConversionError(
                f"IOC {quoted(ioc.id)} is an ip but its value is not one"
            ) from err  # (4)!
        # A zone index ("fe80::1%eth0") names an interface of one host, and may hold any
        # character, quotes included, that would break the STIX pattern.
        if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
            raise ConversionError(f"IOC {quoted(ioc.id)} is an ip with a zone index")
        stix_type = "ipv4-addr" if address.version == 4 else "ipv6-addr"
        observable_class = (
            stix2.IPv4Address if address.version == 4 else stix2.IPv6Address
        )
        observable = observable_class(value=str(address))
        return observable, f"[{stix_type}:value = '{address}']"

    def _hash(self, ioc: IOCResponseModel) -> tuple[Any, str]:
        algorithm = HASH_ALGORITHMS.get(len(ioc.value))
        if algorithm is None or not HEX.fullmatch(ioc.value):  # (5)!
            raise ConversionError(
                f"IOC {quoted(ioc.id)} is a hash but not an MD5, SHA-1 or SHA-256 hex digest"
            )
        digest = ioc.value.lower()
        observable = stix2.File(hashes={algorithm: digest})
        return observable, f"[file:hashes.'{algorithm}' = '{digest}']"
