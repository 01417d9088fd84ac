from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ._seeding_messages import built_at, deterministic_seeds, entropy_seeding, what_is_drawn
from .base import Rule
from .context import ProjectContext, diagnostic


class UnseededGlobalDraw(Rule):
    """## What it does
    Checks for draws from a library's global generator (`random`, numpy's legacy global
    `RandomState`, torch's default generator, and third-party APIs that fall back to numpy's)
    in a *program* that seeds no generator at all before the draw.  A program is a module run
    as a script (`if __name__ == "__main__":`), a module whose top level draws, or a pytest
    test with its fixtures.  Helpers are followed across files: a `set_seed()` in `utils.py`
    counts when `train.py` calls it.

    ## Why is this bad?
    A global generator that nobody seeded starts from operating-system entropy: every run
    produces different numbers, so results, failures and benchmarks cannot be reproduced.

    ## Example
    ```python
    import numpy as np

    if __name__ == "__main__":
        print(np.random.rand(3))
    ```

    ## Use instead
    ```python
    import numpy as np

    if __name__ == "__main__":
        rng = np.random.default_rng(0)
        print(rng.random(3))
    ```

    ## Fix safety
    There is no automatic fix for the missing seed itself (seedlint does not invent seeds);
    `--fix --seed N` rewrites the draws to an explicit generator seeded with `N`.
    """

    code = "SDL001"
    name = "unseeded-global-draw"
    summary = "Draw from a global generator in a program that seeds nothing"
    project_wide = True
    invalid = (
        "import random\nif __name__ == '__main__':\n    print(random.random())\n",
        "import numpy as np\nNOISE = np.random.rand(4)\n",
    )
    valid = (
        "import random\nif __name__ == '__main__':\n"
        "    random.seed(0)\n    print(random.random())\n",
        "import numpy as np\ndef library_function():\n    return np.random.rand(4)\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for finding in project.seeding.findings.get(module.path, ()):
            if deterministic_seeds(finding):
                continue  # the program seeds something: SDL002's case
            call = module.calls[finding.site[1]]
            entropy = entropy_seeding(finding, project.modules)
            if entropy is not None:
                how, related = entropy
                drawn = what_is_drawn(call, finding.library)
                message = f"{drawn}{how}: results change on every run"
            elif finding.worker:
                related = ()
                message = (
                    f"{what_is_drawn(call, finding.library)} in a DataLoader worker process, "
                    "which reseeds it from a base seed drawn from torch's default generator, "
                    f"but program {finding.program.name} never seeds torch: results change on "
                    "every run"
                )
            else:
                related = ()
                message = (
                    f"{what_is_drawn(call, finding.library)}, but program "
                    f"{finding.program.name} never seeds any generator: results change on every run"
                )
            related = (*related, *built_at(module, call))
            yield diagnostic(type(self), module, call, message, finding.library, related=related)
