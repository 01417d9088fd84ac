from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ..knowledge import numpy_legacy_call
from .base import Rule
from .context import ProjectContext, diagnostic, display_name


class NumpyLegacyGlobalApi(Rule):
    """## What it does
    Checks for calls into numpy's legacy global random API: `np.random.rand`, `np.random.seed`,
    `np.random.choice` and the other module-level functions of `numpy.random`, however they are
    imported (`from numpy.random import rand`, `np.random.mtrand.rand`, `f = np.random.rand`)
    and also when such a function is passed around as a callable.

    ## Why is this bad?
    These functions all share one hidden `RandomState` inside numpy.  Any library you call can
    draw from it or reseed it, so the numbers your code gets depend on everything else that ran
    before it.  numpy has recommended explicit `Generator` objects since 1.17: they make the
    stream a value you pass around, and they use a better algorithm (PCG64).

    ## Example
    ```python
    import numpy as np

    np.random.seed(42)
    weights = np.random.randn(3, 2)
    ```

    ## Use instead
    ```python
    import numpy as np

    rng = np.random.default_rng(42)
    weights = rng.standard_normal((3, 2))
    ```

    ## Fix safety
    The fix is *stream-changing*: `Generator` uses a different algorithm, so the numbers change
    even with the same seed (golden values in tests must be updated).  Use
    `--numpy-target=randomstate` to keep the exact stream with a seeded `RandomState` instead.
    """

    code = "SDL101"
    name = "numpy-legacy-global-api"
    summary = "Call into numpy's legacy global random API"
    library = "numpy"
    fixable = True
    invalid = (
        "import numpy as np\nx = np.random.rand(3)\n",
        "from numpy.random import randn as rn\nx = rn(2)\n",
        "import numpy as np\nnp.random.seed(0)\n",
        "import numpy\nsampler = numpy.random.mtrand.rand\nsampler(3)\n",
        "import numpy as np\nxs = list(map(np.random.permutation, [3, 4]))\n",
    )
    valid = (
        "import numpy as np\nrng = np.random.default_rng(0)\nx = rng.random(3)\n",
        "import numpy as np\nx = np.random.default_rng(0).normal()\n",
        "def f(np):\n    return np.random.rand(3)\n",
        "import jax\nkey = jax.random.PRNGKey(0)\nx = jax.random.normal(key)\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for call in module.calls:
            if call.library != "numpy" or call.role in ("construct", "instance"):
                continue
            entry = numpy_legacy_call(call.qualname)
            if entry is None:
                continue
            name = display_name(call.qualname)
            if entry.role == "seed":
                message = (
                    f"`{name}` seeds numpy's hidden global RandomState; create an explicit "
                    "generator with `np.random.default_rng(seed)` and draw from it"
                )
            elif entry.generator_method is None:
                message = (
                    f"`{name}` works on numpy's hidden global RandomState; use an explicit "
                    "`np.random.default_rng(seed)` Generator instead"
                )
            else:
                how = "passed as a callable, " if call.usage == "reference" else ""
                message = (
                    f"`{name}` {how}draws from numpy's hidden global RandomState; use "
                    f"`rng.{entry.generator_method}(...)` on an explicit "
                    "`rng = np.random.default_rng(seed)`"
                )
            yield diagnostic(type(self), module, call, message, "numpy")
