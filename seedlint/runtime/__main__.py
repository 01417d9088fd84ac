"""`python -m seedlint.runtime [--report FILE] [--twice] script.py ARGS` / `-m module ARGS`."""

from __future__ import annotations

import sys

from .runner import main

if __name__ == "__main__":
    sys.exit(main())
