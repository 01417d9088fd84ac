from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ApiCall, ModuleFacts
from ..analysis.prefilter import is_test_file
from ..diagnostics import Diagnostic
from .base import Rule
from .context import ProjectContext, diagnostic, display_name


def _loop_invariant_seed(call: ApiCall) -> bool:
    seed = call.seed
    if seed is None or call.loop_depth == 0:
        return False
    if seed.kind == "constant":
        return True
    if seed.kind == "dynamic":
        return not set(seed.names) & set(call.loop_assigned) and seed.text != "*args"
    return False


class ReseedInLoop(Rule):
    """## What it does
    Checks for seeding a global or explicit generator inside a loop body with a value that
    does not change between iterations (`np.random.seed(0)`, `torch.manual_seed(seed)`,
    `rng = np.random.default_rng(SEED)` in a `for`/`while` body).

    ## Why is this bad?
    Every iteration restarts the stream from the same point, so every epoch, batch or trial
    sees the same "random" numbers: augmentations repeat, Monte Carlo estimates stop
    converging, and the loop silently does less than it seems to.

    ## Example
    ```python
    import numpy as np

    for epoch in range(10):
        np.random.seed(0)
        order = np.random.permutation(100)
    ```

    ## Use instead
    ```python
    import numpy as np

    rng = np.random.default_rng(0)
    for epoch in range(10):
        order = rng.permutation(100)
    ```

    Test files (`test_*.py`, `*_test.py`, `conftest.py`) are not checked: tests reseed in loops
    on purpose, to give every parameter the same data.

    ## Fix safety
    No automatic fix: moving the seed out of the loop changes the numbers on purpose.
    """

    code = "SDL004"
    name = "reseed-in-loop"
    summary = "Generator reseeded with a loop-invariant value inside a loop"
    invalid = (
        "import numpy as np\nfor i in range(3):\n    np.random.seed(0)\n",
        "import torch\ndef train(seed):\n"
        "    for epoch in range(3):\n        torch.manual_seed(seed)\n",
        "import random\nwhile True:\n    rng = random.Random(7)\n    break\n",
    )
    valid = (
        "import numpy as np\nfor seed in range(3):\n    np.random.seed(seed)\n",
        "import numpy as np\nfor i in range(3):\n    rng = np.random.default_rng(100 + i)\n",
        "import numpy as np\nnp.random.seed(0)\nfor i in range(3):\n    pass\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        if is_test_file(module.path):
            # Tests reseed inside loops on purpose: every parameter gets the same data.
            return
        for call in module.calls:
            if call.role not in ("seed", "state-write", "construct", "instance"):
                continue
            if not _loop_invariant_seed(call):
                continue
            assert call.seed is not None
            message = (
                f"`{display_name(call.qualname)}({call.seed.text})` inside a loop restarts the "
                "stream with the same seed on every iteration; seed once before the loop or "
                "derive a per-iteration seed"
            )
            library = call.library if call.library in ("random", "numpy", "torch") else None
            yield diagnostic(type(self), module, call, message, library)
