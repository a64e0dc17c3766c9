"""Run a notebook again only when something it could show has changed.

mkdocs-jupyter caches a notebook's output under a key made of the notebook's own bytes: a
change to the connector the notebook imports would not run it again, and the page would show
last week's output. This hook points the plugin's cache at a folder named after everything
else the output depends on: every Python file of ``snippets/`` and ``connector_sandbox/``, the Python version and the
installed distributions. Change any of them and the folder is new, so every notebook runs;
change nothing and a build reuses the output, which is what makes a warm build fast.

Each Python environment (the nox sessions', a developer's) keeps a cache of its own, so that
builds from two of them don't evict each other's; within one, folders of earlier digests are
removed, so it holds one generation.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

PLUGIN = "mkdocs-jupyter"
CACHE_ROOT = Path(".cache") / "notebooks"
# The notebooks run the example connector (snippets/) against the sandbox.
CODE_PACKAGES = ("snippets", "connector_sandbox")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise PluginError(f"site_hooks/notebook_cache.py needs the {PLUGIN} plugin")
    root = Path(config.config_file_path).parent
    cache_root = root / CACHE_ROOT / _digest(sys.prefix.encode())
    cache_dir = cache_root / code_digest(*(root / name for name in CODE_PACKAGES))
    remove_other_generations(cache_root, keep=cache_dir)
    plugin.config["cache"] = True
    plugin.config["cache_dir"] = str(cache_dir)
    return config


def code_digest(*packages: Path) -> str:
    """A digest of the packages' Python files, the interpreter and the installed versions."""
    digest = hashlib.sha256(sys.version.encode())
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package.parent).as_posix().encode())
            digest.update(path.read_bytes())
    versions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()
    )
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:16]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def remove_other_generations(cache_root: Path, keep: Path) -> None:
    if not cache_root.is_dir():
        return
    for folder in cache_root.iterdir():
        if folder != keep and folder.is_dir():
            # Another build may be removing it at the same moment: that is fine.
            shutil.rmtree(folder, ignore_errors=True)
