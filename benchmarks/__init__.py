"""Benchmarks: what the error handling costs, and how fast the site builds and tests.

``python -m benchmarks run [--quick]`` measures and writes ``benchmarks/results.json``;
``python -m benchmarks render`` prints the Performance page's generated part from it. The page
is built from the committed results file: no benchmark runs during ``mkdocs build``.
"""
