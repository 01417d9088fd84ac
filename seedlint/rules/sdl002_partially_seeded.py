from __future__ import annotations

from collections.abc import Iterator

from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ._seeding_messages import built_at, describe_seeding, deterministic_seeds, what_is_drawn
from .base import Rule
from .context import ProjectContext, diagnostic


class PartiallySeeded(Rule):
    """## What it does
    Checks for programs that seed some random generators but draw from another library's
    global generator that they never seed before the draw: the classic "seeded numpy, forgot
    torch".  A seeding call that comes only *after* the draw does not count.  Seeding helpers
    count for exactly the libraries they seed (Lightning's `seed_everything` and transformers'
    `set_seed` seed `random`, numpy and torch; keras' `set_random_seed` seeds torch only with
    the torch backend; `torch.cuda.manual_seed_all` seeds no CPU generator), and so does a
    project helper, however deep.

    ## Why is this bad?
    The program looks reproducible (there is a seed!) but the unseeded library still starts
    from operating-system entropy: runs differ, and the seed gives false confidence.

    ## Example
    ```python
    import numpy as np
    import torch

    if __name__ == "__main__":
        np.random.seed(0)
        weights = torch.randn(3)
    ```

    ## Use instead
    ```python
    import numpy as np
    import torch

    if __name__ == "__main__":
        np.random.seed(0)
        torch.manual_seed(0)
        weights = torch.randn(3)
    ```

    ## Fix safety
    There is no automatic fix: which seed to use is the program's decision.
    """

    code = "SDL002"
    name = "partially-seeded"
    summary = "Program seeds some libraries but draws from one it never seeds"
    project_wide = True
    invalid = (
        "import random\nimport numpy as np\nif __name__ == '__main__':\n"
        "    np.random.seed(0)\n    print(random.random())\n",
        "import random\nif __name__ == '__main__':\n"
        "    print(random.random())\n    random.seed(0)\n",
    )
    valid = (
        "import random\nimport numpy as np\nif __name__ == '__main__':\n"
        "    np.random.seed(0)\n    random.seed(0)\n    print(random.random())\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for finding in project.seeding.findings.get(module.path, ()):
            if not deterministic_seeds(finding):
                continue  # nothing seeded deterministically: SDL001's case
            call = module.calls[finding.site[1]]
            how, related = describe_seeding(finding, project.modules)
            message = f"{what_is_drawn(call, finding.library)}{how}"
            related = (*related, *built_at(module, call))
            yield diagnostic(type(self), module, call, message, finding.library, related=related)
