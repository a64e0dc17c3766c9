"""The guide's example connector, corrected and complete: every rule working in one program.

Run it with ``python -m snippets.example_connector`` (see the "Run it yourself" page).
"""
