from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ApiCall, ModuleFacts
from ..analysis.prefilter import is_test_file
from ..diagnostics import Diagnostic, Related
from .base import Rule
from .context import ProjectContext, diagnostic, display_name


def _seeded_generator(call: ApiCall) -> bool:
    """An independent generator created (or seeded) with a literal seed."""
    if call.seed is None or call.loop_depth:
        return False
    if call.seed.kind != "constant" and call.seed.constant is None:
        return False  # neither a literal nor a name for one (`SEED = 123`)
    if call.role == "construct":
        return call.qualname not in ("numpy.random.SeedSequence",)
    return call.qualname == "torch.Generator.manual_seed"


class SharedSeed(Rule):
    """## What it does
    Checks for two or more independent generators created with the same constant seed in one
    scope (`rng_a = default_rng(0)` and `rng_b = default_rng(0)`; two
    `torch.Generator().manual_seed(0)`).

    ## Why is this bad?
    Generators with the same seed produce the same stream: the "independent" noise of two
    components, two workers or two augmentations is perfectly correlated.

    ## Example
    ```python
    import numpy as np

    init_rng = np.random.default_rng(0)
    noise_rng = np.random.default_rng(0)
    ```

    ## Use instead
    ```python
    import numpy as np

    init_rng, noise_rng = np.random.default_rng(0).spawn(2)
    ```
    or `np.random.SeedSequence(0).spawn(2)`, or distinct seeds.

    Re-creating a generator under the same name (a deliberate restart) and test files (which
    compare two streams on purpose) are not reported.

    ## Fix safety
    No automatic fix: spawning changes the numbers of both generators.
    """

    code = "SDL005"
    name = "shared-seed"
    summary = "Several generators created with the same constant seed"
    invalid = (
        "import numpy as np\na = np.random.default_rng(0)\nb = np.random.default_rng(0)\n",
        "import random\na = random.Random(1)\nb = random.Random(1)\n",
    )
    valid = (
        # Different algorithms: the same seed gives unrelated streams.
        "import random\nimport numpy as np\na = random.Random(1)\nb = np.random.default_rng(1)\n",
        "import numpy as np\na = np.random.default_rng(0)\nb = np.random.default_rng(1)\n",
        "import numpy as np\ndef f():\n    return np.random.default_rng(0)\n"
        "def g():\n    return np.random.default_rng(0)\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        if is_test_file(module.path):
            # Tests build two generators with one seed on purpose, to compare their streams.
            return
        first_by_seed: dict[tuple[str, str, str, str], ApiCall] = {}
        for call in module.calls:
            if not _seeded_generator(call):
                continue
            assert call.seed is not None
            # Through a named constant, only generators of one kind count: `SEED` also seeds
            # other libraries' and other bit generators in most code, on purpose.
            named = call.qualname if call.seed.kind != "constant" else ""
            key = (call.scope, _algorithm(call.qualname), call.seed.text, named)
            first = first_by_seed.setdefault(key, call)
            if first is call or (call.target is not None and call.target == first.target):
                continue  # `rng = Random(0)` again: a deliberate restart, not a second stream
            message = (
                f"`{display_name(call.qualname)}` uses seed {call.seed.text}, like the generator "
                f"at line {first.span.line}: both produce the same stream; use "
                "`SeedSequence(seed).spawn(n)` / `Generator.spawn(n)` or distinct seeds"
            )
            related = (
                Related(module.path, first.span.line, first.span.column, "same seed used here"),
            )
            library = call.library if call.library in ("random", "numpy", "torch") else None
            yield diagnostic(type(self), module, call, message, library, related=related)


def _algorithm(qualname: str) -> str:
    """What a constructor's seed feeds: only generators of one algorithm (and library) with
    one seed produce the same stream (`random.Random(3)` and `default_rng(3)` do not)."""
    library, _, rest = qualname.partition(".")
    last = rest.rsplit(".", 1)[-1]
    return f"{library}:{ {'default_rng': 'PCG64'}.get(last, last) }"
