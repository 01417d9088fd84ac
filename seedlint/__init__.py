"""seedlint: find and fix non-reproducible randomness in Python, numpy and torch code.

Importing this package is cheap on purpose (`seedlint --version` must not pay for the
analysis machinery); the engine lives in `seedlint.engine`.
"""

__version__ = "0.1.0"
