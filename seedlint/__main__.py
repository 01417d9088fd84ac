"""`python -m seedlint ...`: the same as the `seedlint` command."""

import sys

from .integrations.cli import main

if __name__ == "__main__":
    sys.exit(main())
