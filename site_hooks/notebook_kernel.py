"""The notebooks' kernel talks to the build over encrypted sockets, so it does not warn.

mkdocs-jupyter runs each notebook in an IPython kernel over TCP on 127.0.0.1. Unencrypted,
every kernel logs "Kernel is running over TCP without encryption", twice a build, a warning
the reader of the build log can do nothing about. jupyter_client can give the kernel
CurveZMQ keys when its kernelspec says it supports them (ipykernel's does):
``KernelManager.transport_encryption = "auto"``, set in ``jupyter_config/``, which
mkdocs-jupyter's nbconvert reads because this hook puts the folder first on
``JUPYTER_CONFIG_PATH``. A kernel that can't encrypt still runs, and still warns.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter_config"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    paths = [
        p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p
    ]
    if str(JUPYTER_CONFIG) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(JUPYTER_CONFIG), *paths]
        )
    return config
