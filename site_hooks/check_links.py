"""Check the built site's internal links and anchors, offline.

``python -m site_hooks.check_links site`` reads every HTML page under ``site``, notes the ids
each page defines, and checks every ``href`` and ``src`` that stays inside the site: the file
it names exists, and its ``#fragment``, if any, is an id on that page. Links with a scheme or a
host (``https:``, ``mailto:``, ``//host``) lead elsewhere and are not followed: nothing here
touches the network. Exit code 0 when every link resolves, 1 when some don't (one line each on
stdout), 2 when the site folder is missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that make the browser load or go to another URL.
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
}
# Any host will do: it only gives urljoin an absolute base to resolve against.
SITE_ORIGIN = "http://site.invalid"


@dataclass(frozen=True)
class BrokenLink:
    page: str
    link: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.problem}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute is not None and attribute in values:
            self.links.append(values[attribute])


@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]
    links: tuple[str, ...]


def _read_page(path: Path) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return _Page(frozenset(parser.ids), tuple(parser.links))


def broken_links(site: Path) -> list[BrokenLink]:
    """Every internal link of every page under ``site`` that leads nowhere, page by page."""
    pages = {
        path.relative_to(site).as_posix(): _read_page(path)
        for path in sorted(site.rglob("*.html"))
    }
    found = []
    for name, page in pages.items():
        for link in page.links:
            problem = _problem(site, pages, name, link)
            if problem is not None:
                found.append(BrokenLink(name, link, problem))
    return found


def _problem(site: Path, pages: dict[str, _Page], page: str, link: str) -> str | None:
    # urljoin resolves "../" as a browser does, and never above the site's root.
    target = urlsplit(urljoin(f"{SITE_ORIGIN}/{page}", link))
    if f"{target.scheme}://{target.netloc}" != SITE_ORIGIN:
        return None  # another site, or a scheme such as mailto: or data:
    path = unquote(target.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    if not (site / path).is_file():
        if (site / path).is_dir():
            return f"{path} is a folder without index.html"
        return f"no file {path}"
    fragment = unquote(target.fragment)
    if not fragment or path not in pages:
        return None
    if fragment not in pages[path].ids:
        return f"no id {fragment!r} on {path}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site's folder")
    args = parser.parse_args(argv)
    site: Path = args.site
    if not site.is_dir():
        print(f"no site folder at {site}: build the site first", file=sys.stderr)
        return 2
    broken = broken_links(site)
    _report(broken, site)
    return 1 if broken else 0


def _report(broken: Iterable[BrokenLink], site: Path) -> None:
    lines = [str(link) for link in broken]
    for line in lines:
        print(line)
    pages = len(list(site.rglob("*.html")))
    summary = f"{len(lines)} broken links" if lines else "no broken links"
    print(f"Checked the internal links of {pages} pages in {site}: {summary}.")


if __name__ == "__main__":
    sys.exit(main())
