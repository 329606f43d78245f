"""azgate's benchmark harness: `nox -s bench` (or `python -m bench` from the project root).

Not part of the wheel. See bench/README.md for the method and bench/RESULTS.md for the figures.
"""
