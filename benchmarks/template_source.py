"""Runs OpenCTI's connector template with a source: ``python template_source.py MAIN``.

MAIN is the template's ``src/main.py``. As published, the template's client raises
``NotImplementedError`` where a developer writes the call to their source, so every run of it
fails before it sends anything. Here that one method answers three addresses, the only part
the template asks a developer to write; the rest of the template (its work, its bundle, its
state and its error handling) runs as a connector built on it would.

This file runs in the template's own environment, with the template's pycti: it imports
nothing of this project.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

# Documentation addresses (RFC 5737, RFC 3849) and a reserved name (RFC 2606).
ENTITIES = ("198.51.100.7", "2001:db8::7", "feed.example")


def get_entities(self: object, params: object = None) -> list[dict[str, Any]]:
    return [{"value": value} for value in ENTITIES]


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: template_source.py MAIN (the template's src/main.py)")
    main_py = Path(argv[0]).resolve()
    # The template imports its packages from the folder of its main.py.
    sys.path.insert(0, str(main_py.parent))
    sys.argv = [str(main_py)]
    from template_client.api_client import (  # type: ignore[import-not-found]
        TemplateClient,
    )

    TemplateClient.get_entities = get_entities
    runpy.run_path(str(main_py), run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
