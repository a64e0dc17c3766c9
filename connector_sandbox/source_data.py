"""The demo source's seeded IOCs, generated on demand from a seed and an index.

Nothing is stored per IOC, so a source of 100,000 IOCs costs no more memory than one of 20:
every record, id list and PDF is recomputed from ``(seed, index)`` when asked for.
All values come from ranges reserved for documentation (RFC 2606, 5737, 3849).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import parse_qs

# The first IOC is created at EPOCH, the next one STEP later, and so on.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
STEP = timedelta(hours=1)

IocType = Literal["domain", "ip", "hash"]
IOC_TYPES: tuple[IocType, ...] = ("domain", "ip", "hash")

_ID_PREFIX = "ioc-"
_ID_PATTERN = re.compile(r"ioc-(\d{4,})")
_WORDS = ("login", "update", "secure", "cdn", "mail", "portal", "files", "sync")
_DOMAINS = ("example.com", "example.net", "example.org", "test")
_IPV4_NETWORKS = ("192.0.2.0", "198.51.100.0", "203.0.113.0")
_IPV6_NETWORK = int(ipaddress.IPv6Address("2001:db8::"))
_CAMPAIGNS = ("DEMO-BEAR", "FAKE-PANDA", "SAMPLE-KITTEN", "TEST-SPIDER")
_ROLES = {
    "domain": ("Phishing domain", "Command-and-control domain"),
    "ip": ("Scanning host", "Command-and-control server"),
    "hash": ("Loader sample", "Ransomware sample"),
}


class UnknownIocError(LookupError):
    """Raised when an id is not one of the seeded IOC ids."""


class BadParamError(ValueError):
    """A missing or invalid query parameter; ``param`` names it."""

    def __init__(self, param: str, problem: str) -> None:
        super().__init__(problem)
        self.param = param


@dataclass(frozen=True)
class Ioc:
    """One seeded IOC, exactly as ``GET /iocs/{id}`` returns it."""

    id: str
    value: str
    type: IocType
    description: str
    created_at: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def format_id(index: int) -> str:
    """The id of the IOC at a 0-based index: ``ioc-0001`` is index 0."""
    return f"{_ID_PREFIX}{index + 1:04d}"


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """Read an ISO-8601 date-time that carries its UTC offset, e.g. 2026-01-01T00:00:00Z.

    Raises ValueError saying what is wrong: a time without an offset would be read in the
    server's local zone, which is how windows silently shift by hours.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        hint = " (a '+' in a URL must be sent as %2B)" if " " in text else ""
        raise ValueError(
            f"{text!r} is not an ISO-8601 date-time, e.g. 2026-01-01T00:00:00Z{hint}"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            f"{text!r} has no UTC offset; add Z or +00:00, e.g. 2026-01-01T00:00:00Z"
        )
    return moment.astimezone(UTC)


def parse_window(query: str) -> tuple[datetime, datetime]:
    """The start and end of ``GET /iocs?start=&end=``; BadParamError names a bad one."""
    params = parse_qs(query, keep_blank_values=True)
    bounds = []
    for name in ("start", "end"):
        values = params.get(name, [])
        if len(values) != 1:
            raise BadParamError(
                name,
                f"{'repeated' if values else 'missing'} query parameter {name!r}:"
                " give it once, in ISO-8601 UTC, e.g. 2026-01-01T00:00:00Z",
            )
        try:
            bounds.append(parse_utc(values[0]))
        except ValueError as err:
            raise BadParamError(
                name, f"invalid query parameter {name!r}: {err}"
            ) from err
    start, end = bounds
    if end < start:
        raise BadParamError("end", "query parameter 'end' is before 'start'")
    return start, end


@dataclass(frozen=True)
class SeededData:
    """``count`` IOCs derived from ``seed``, created one per ``step`` from EPOCH onwards.

    With the default step of an hour, only the ids created before now are in a window
    that ends now; a smaller step puts more of them there (the benchmarks' 100,000).
    """

    seed: int
    count: int
    step: timedelta = STEP

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"count must be 0 or more, got {self.count}")
        if self.step < timedelta(seconds=1):
            raise ValueError(f"step must be at least one second, got {self.step}")

    def index_of(self, ioc_id: str) -> int:
        """The 0-based index of a seeded id; UnknownIocError for any other string."""
        match = _ID_PATTERN.fullmatch(ioc_id)
        index = int(match[1]) - 1 if match else -1
        # "ioc-00001" parses to a valid number but is not an id this source ever gave out.
        if not 0 <= index < self.count or format_id(index) != ioc_id:
            raise UnknownIocError(f"no IOC with id {ioc_id!r}")
        return index

    def ioc(self, ioc_id: str) -> Ioc:
        return self.ioc_at(self.index_of(ioc_id))

    def ioc_at(self, index: int) -> Ioc:
        digest = self._digest("ioc", index)
        ioc_type = IOC_TYPES[digest[0] % len(IOC_TYPES)]
        role = _ROLES[ioc_type][digest[1] % 2]
        campaign = _CAMPAIGNS[digest[2] % len(_CAMPAIGNS)]
        return Ioc(
            id=format_id(index),
            value=_VALUE_MAKERS[ioc_type](digest),
            type=ioc_type,
            description=f"{role} linked to the fictitious campaign {campaign}.",
            created_at=format_time(EPOCH + index * self.step),
        )

    def ids_between(self, start: datetime, end: datetime) -> list[str]:
        """Ids created in [start, end), oldest first; both bounds must carry an offset."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware datetimes")
        return [format_id(i) for i in range(self._first_at(start), self._first_at(end))]

    def has_pdf(self, ioc_id: str) -> bool:
        """Whether ``GET /pdf/{id}`` has a report: about half the ids, fixed by the seed."""
        return self._digest("pdf", self.index_of(ioc_id))[0] % 2 == 0

    def pdf(self, ioc_id: str) -> bytes:
        if not self.has_pdf(ioc_id):
            raise UnknownIocError(f"no PDF report for IOC {ioc_id!r}")
        return tiny_pdf(f"Demo report for {ioc_id}")

    def _first_at(self, moment: datetime) -> int:
        """The index of the first IOC created at or after ``moment``, within [0, count]."""
        # Ceiling division, as timedelta // timedelta floors.
        index = -((EPOCH - moment) // self.step)
        return min(max(index, 0), self.count)

    def _digest(self, purpose: str, index: int) -> bytes:
        return hashlib.sha256(f"{purpose}|{self.seed}|{index}".encode()).digest()


def _domain(digest: bytes) -> str:
    word = _WORDS[digest[3] % len(_WORDS)]
    return f"{word}-{digest[4:7].hex()}.{_DOMAINS[digest[7] % len(_DOMAINS)]}"


def _ip(digest: bytes) -> str:
    if digest[3] % 2:
        interface = int.from_bytes(digest[4:16])
        return str(ipaddress.IPv6Address(_IPV6_NETWORK | interface))
    network = ipaddress.IPv4Address(_IPV4_NETWORKS[digest[4] % len(_IPV4_NETWORKS)])
    return str(network + 1 + digest[5] % 254)


def _hash(digest: bytes) -> str:
    algorithm = ("md5", "sha1", "sha256")[digest[3] % 3]
    return hashlib.new(algorithm, digest, usedforsecurity=False).hexdigest()


_VALUE_MAKERS = {"domain": _domain, "ip": _ip, "hash": _hash}


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII, no parentheses), with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
