from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from .base import Rule
from .context import ProjectContext, diagnostic


class StdlibGlobalRandom(Rule):
    """## What it does
    Checks for calls of the module-level functions of Python's `random` module
    (`random.random()`, `random.choice(...)`, `random.shuffle(...)`, `random.seed(...)`, ...),
    however they are imported.

    ## Why is this bad?
    These functions are methods of one hidden `random.Random` instance shared by the whole
    process.  Every imported library can draw from it or reseed it, so a value drawn here
    depends on what ran before.  A `random.Random(seed)` instance that you own and pass around
    gives the same numbers every run, whatever else happens.

    This rule is about reproducibility, not security: for secrets use the `secrets` module.

    ## Example
    ```python
    import random

    random.seed(7)
    batch = random.sample(items, k=4)
    ```

    ## Use instead
    ```python
    import random

    rng = random.Random(7)
    batch = rng.sample(items, k=4)
    ```

    ## Fix safety
    The fix is *stream-preserving*: `random.Random(s)` produces exactly the numbers that the
    module functions produce after `random.seed(s)`, as long as all draws go through it.
    """

    code = "SDL103"
    name = "stdlib-global-random"
    summary = "Call of a `random` module function (the hidden global instance)"
    library = "random"
    fixable = True
    invalid = (
        "import random\nx = random.random()\n",
        "from random import choice\nx = choice([1, 2])\n",
        "import random as rnd\nrnd.seed(3)\n",
    )
    valid = (
        "import random\nrng = random.Random(0)\nx = rng.randint(1, 6)\n",
        "import random\nx = random.Random(0).randint(1, 6)\n",
        "import random\nx = random.SystemRandom().random()\n",
        "import secrets\nx = secrets.token_hex(8)\n",
        "class A:\n    def f(self):\n        self.random.shuffle([1])\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for call in module.calls:
            if call.library != "random" or call.role in ("construct", "instance"):
                continue
            name = call.qualname
            if call.role == "seed":
                message = (
                    f"`{name}` seeds the hidden global `random` instance that every module "
                    "shares; create `rng = random.Random(seed)` and draw from it"
                )
            elif call.role in ("state-read", "state-write"):
                message = (
                    f"`{name}` works on the hidden global `random` instance; keep the state "
                    "of an explicit `random.Random(seed)` instead"
                )
            else:
                how = "passed as a callable, " if call.usage == "reference" else ""
                method = name.rsplit(".", 1)[1]
                message = (
                    f"`{name}` {how}draws from the hidden global `random` instance; use "
                    f"`rng.{method}(...)` on an explicit `rng = random.Random(seed)`"
                )
            yield diagnostic(type(self), module, call, message, "random")
