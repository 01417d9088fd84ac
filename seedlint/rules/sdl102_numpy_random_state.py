from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from .base import Rule
from .context import ProjectContext, diagnostic


class NumpyRandomState(Rule):
    """## What it does
    Checks for construction of `np.random.RandomState`, numpy's legacy explicit generator.

    ## Why is this bad?
    `RandomState` is frozen: numpy keeps it only so that old streams stay reproducible.  It uses
    the slower MT19937 algorithm, its methods differ from the modern `Generator` API
    (`randint` vs `integers`, `rand` vs `random`), and new numpy features land only on
    `Generator`.  Explicit is good; legacy is not.

    ## Example
    ```python
    import numpy as np

    rs = np.random.RandomState(0)
    x = rs.randint(0, 10, size=5)
    ```

    ## Use instead
    ```python
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.integers(0, 10, size=5)
    ```

    ## Fix safety
    The fix is *stream-changing*: `default_rng(0)` produces different numbers than
    `RandomState(0)`.  Keep `RandomState` (and add `# noqa: SDL102`) where golden values must
    not change.
    """

    code = "SDL102"
    name = "numpy-random-state"
    summary = "Construction of numpy's legacy RandomState"
    library = "numpy"
    fixable = True
    invalid = (
        "import numpy as np\nrs = np.random.RandomState(0)\n",
        "import numpy as np\nx = np.random.RandomState(0).rand()\n",
        "from numpy.random import RandomState\nrs = RandomState(1)\n",
    )
    valid = (
        "import numpy as np\nrng = np.random.default_rng(0)\n",
        "import numpy as np\nok = isinstance(object(), np.random.RandomState)\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for call in module.calls:
            if call.role == "construct" and call.qualname == "numpy.random.RandomState":
                yield diagnostic(
                    type(self),
                    module,
                    call,
                    "`np.random.RandomState` is numpy's legacy generator; use "
                    "`np.random.default_rng(seed)` (a `Generator`) unless you must reproduce "
                    "legacy streams",
                    "numpy",
                )
