from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ApiCall, ModuleFacts
from ..diagnostics import Diagnostic
from ..knowledge import explicit_generator, seeding_call
from .base import Rule
from .context import ProjectContext, diagnostic, display_name

_TORCH_GENERATOR_HAZARD = (
    "`torch.Generator()` is never seeded with `manual_seed`: every unseeded torch.Generator "
    "starts from the same fixed seed, so all of them produce identical streams; call "
    "`.manual_seed(seed)` with a distinct seed"
)


def _reseeded_later(construct: ApiCall, module: ModuleFacts) -> bool:
    """`rng = random.Random()` followed by `rng.seed(1)` / `rng.setstate(st)` in its scope."""
    return construct.target is not None and (construct.scope, construct.target) in module.reseeded


def _torch_generator_seeded(construct: ApiCall, module: ModuleFacts) -> bool:
    for call in module.calls:
        if call.qualname != "torch.Generator.manual_seed":
            continue
        if call.span.line <= construct.span.line and call.span.end_line >= construct.span.end_line:
            if call.span != construct.span and (
                call.span.line < construct.span.line or call.span.column <= construct.span.column
            ):
                return True  # chained: torch.Generator().manual_seed(0)
        if (
            construct.target is not None
            and call.target == construct.target
            and call.scope == construct.scope
        ):
            return True
    return False


class NonReproducibleSeed(Rule):
    """## What it does
    Checks for seeds that are not reproducible: seeding from entropy or the clock
    (`random.seed()`, `np.random.seed()` / `seed(None)`, `torch.seed()`, a seed computed from
    `time.time()`, `datetime.now()`, `os.urandom`, `uuid`, `secrets`, `os.getpid()`), and
    explicit generators created without a seed (`np.random.default_rng()`,
    `np.random.RandomState()`, `random.Random()`, numpy bit generators) — unless the unseeded
    generator is only the default of a parameter (`rng=None` then `default_rng(rng)`, the
    scientific-Python convention).  A `torch.Generator()` that is never `manual_seed`ed is the
    opposite hazard: it always starts from the *same* fixed seed, so independent-looking
    generators produce identical streams.

    ## Why is this bad?
    Seeding from entropy is the same as not seeding: the numbers differ on every run.  And
    identical streams where independent ones were intended silently correlate experiments.

    ## Example
    ```python
    import time
    import numpy as np

    np.random.seed(int(time.time()))
    rng = np.random.default_rng()
    ```

    ## Use instead
    ```python
    import numpy as np

    SEED = 12345
    rng = np.random.default_rng(SEED)
    ```

    ## Fix safety
    No automatic fix unless you pass `--seed N`: seedlint never invents a seed.
    """

    code = "SDL003"
    name = "non-reproducible-seed"
    summary = "Seed from entropy or time, or generator created without a seed"
    invalid = (
        "import random\nrandom.seed()\n",
        "import time\nimport numpy as np\nnp.random.seed(int(time.time()))\n",
        "import numpy as np\nrng = np.random.default_rng()\n",
        "import torch\ng = torch.Generator()\n",
        "import torch\ntorch.seed()\n",
    )
    valid = (
        "import numpy as np\nrng = np.random.default_rng(42)\n",
        "import random\nclass A:\n    def __init__(self, state):\n"
        "        self.random = random.Random()\n        self.random.setstate(state)\n",
        "import numpy as np\ndef f(rng=None):\n    rng = np.random.default_rng(rng)\n",
        "import numpy as np\ndef f(rng=None):\n    if rng is None:\n"
        "        rng = np.random.default_rng()\n    return rng\n",
        "import torch\ng = torch.Generator().manual_seed(3)\n",
        "import torch\ng = torch.Generator()\ng.manual_seed(3)\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for call in module.calls:
            message = self._message(call, module)
            if message is not None:
                library = call.library if call.library in ("random", "numpy", "torch") else None
                yield diagnostic(type(self), module, call, message, library)

    def _message(self, call: ApiCall, module: ModuleFacts) -> str | None:
        name = display_name(call.qualname)
        seed = call.seed
        if call.role == "entropy":
            return f"`{name}()` reseeds from operating-system entropy: results change on every run"
        if seed is not None and seed.kind == "entropy":
            return (
                f"`{name}` is seeded from `{seed.text}`, which changes on every run; use a "
                "fixed seed (a constant, a config value or a command-line argument)"
            )
        if call.role in ("seed", "state-write"):
            entry = seeding_call(call.qualname)
            without = entry.without_seed if entry is not None else "entropy"
            if call.qualname in ("random.seed", "numpy.random.seed"):
                without = "entropy"
            if seed is not None and seed.kind in ("absent", "none") and without == "entropy":
                return (
                    f"`{name}()` without a seed seeds from operating-system entropy: results "
                    "change on every run; pass a fixed seed"
                )
            return None
        if call.role != "construct" or call.param_default or _reseeded_later(call, module):
            return None
        generator = explicit_generator(call.qualname)
        if generator is None:
            return None
        if call.qualname == "torch.Generator":
            return None if _torch_generator_seeded(call, module) else _TORCH_GENERATOR_HAZARD
        if generator.seed_param is None or call.qualname == "numpy.random.SeedSequence":
            # Generator(bitgen): seeded through its bit generator; SeedSequence() entropy is
            # the documented way to *create* a seed, reported when it is used unseeded below.
            if (
                call.qualname == "numpy.random.SeedSequence"
                and seed is not None
                and seed.kind in ("absent", "none")
            ):
                return (
                    "`np.random.SeedSequence()` without entropy draws a fresh seed from the OS: "
                    "results change on every run unless you log and reuse `.entropy`"
                )
            return None
        if seed is not None and seed.kind in ("absent", "none"):
            return (
                f"`{name}()` without a seed starts from operating-system entropy: results "
                "change on every run; pass a fixed seed"
            )
        return None
