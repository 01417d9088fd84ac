"""Facts must not depend on the interpreter's string hash seed (sets of values are unordered)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SOURCE = """\
try:
    from .fast import prepare
    from .fast import helper as decorate
except ImportError:
    from .slow import prepare
    from .slow import other as decorate
import numpy
try:
    from numpy.random import rand as pick
except ImportError:
    from numpy.random import randn as pick

@decorate
def main():
    prepare()
    values = list(map(pick, [1, 2]))
"""

PROGRAM = f"""
import json
from seedlint.analysis.extract import extract_facts
from seedlint.analysis.serialize import facts_to_json
print(json.dumps(facts_to_json(extract_facts({SOURCE!r}, "pkg/mod.py", "pkg.mod"))))
"""


def facts_with_hash_seed(seed: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_facts_are_the_same_under_any_hash_seed() -> None:
    reference = facts_with_hash_seed(0)
    # Both alternatives of each conditional import are there, in one fixed order.
    (main,) = [f for f in reference["functions"] if f[0] == "main"]  # type: ignore[union-attr]
    assert main[3] == ["pkg.fast.helper"], main
    assert [node for node in main[6] if node[0] == "call"] == [
        ["call", "pkg.fast.prepare"],
        ["call", "pkg.slow.prepare"],
    ]
    for seed in range(1, 8):
        assert facts_with_hash_seed(seed) == reference, seed
