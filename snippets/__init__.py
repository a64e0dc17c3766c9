"""Every code sample the site shows, as importable, runnable modules.

The layout mirrors ``docs/``: the page ``docs/<section>/<practice>.md`` includes
``snippets/<section>/<practice>/bad.py`` (the "Don't" tab) and ``good.py`` (the "Do" tab).
"""
