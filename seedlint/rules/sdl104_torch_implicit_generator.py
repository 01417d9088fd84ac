from __future__ import annotations

from collections.abc import Iterator

from ..analysis.draws import passes_generator
from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ..knowledge import torch_call
from .base import Rule
from .context import ProjectContext, diagnostic


class TorchImplicitGenerator(Rule):
    """## What it does
    Checks for torch calls that draw from torch's default (global) generator although they
    accept an explicit `generator=`: `torch.rand`, `torch.randn`, `torch.randint`,
    `torch.randperm`, the `*_like` family, `torch.bernoulli`, `torch.multinomial`,
    `torch.normal`, the in-place `Tensor` samplers (`x.uniform_()`, `w.data.normal_()`,
    `mask.bernoulli_(p)`), `torch.nn.init.*_`, `random_split`, samplers and `DataLoader`
    (which draws at every `iter()`, even with `shuffle=False`).

    ## Why is this bad?
    The default generator is shared by everything in the process: a model, a data pipeline and
    a third-party library all advance it, so adding one draw anywhere shifts every number
    after it.  A `torch.Generator` that you seed and pass explicitly keeps each stream
    independent and reproducible.

    ## Example
    ```python
    import torch

    torch.manual_seed(0)
    noise = torch.randn(8, 3)
    ```

    ## Use instead
    ```python
    import torch

    g = torch.Generator().manual_seed(0)
    noise = torch.randn(8, 3, generator=g)
    ```

    ## Fix safety
    The fix is *stream-preserving* on the CPU: `torch.randn(3, generator=torch.Generator()
    .manual_seed(s))` gives the same numbers as `torch.manual_seed(s); torch.randn(3)` as long
    as the draws happen in the same order.  A call with a non-CPU `device=` needs a generator
    on that device, so it gets no automatic fix.
    """

    code = "SDL104"
    name = "torch-implicit-generator"
    summary = "torch draw from the default generator where `generator=` is accepted"
    library = "torch"
    fixable = True
    invalid = (
        "import torch\nx = torch.randn(3)\n",
        "from torch import randn as t\nx = t(3)\n",
        "import torch\nw = torch.empty(3)\nw.data.normal_()\n",
        "import torch\nimport torch.nn as nn\nlayer = nn.Linear(2, 2)\n"
        "nn.init.xavier_uniform_(layer.weight)\n",
        "import torch\nfrom torch.utils.data import DataLoader\n"
        "loader = DataLoader([1, 2], shuffle=False)\n",
    )
    valid = (
        "import torch\ng = torch.Generator().manual_seed(0)\nx = torch.randn(3, generator=g)\n",
        "import torch\nx = torch.nn.functional.dropout(torch.ones(3), 0.5)\n",
        "def f(x):\n    x.normal_()\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        for call in module.calls:
            if call.library != "torch" or call.role not in ("draw", "deferred"):
                continue
            if call.usage != "call" or call.origin is not None:
                continue  # (a use of a loader is reported where the loader is built)
            api = torch_call(call.qualname)
            if api is None or not api.accepts_generator or passes_generator(call):
                continue
            name = call.qualname
            if api.draws_on == "iteration":
                message = (
                    f"iterating `{name}` draws from torch's default generator (even without "
                    "shuffling); pass `generator=` a seeded `torch.Generator`"
                )
            else:
                message = (
                    f"`{name}` draws from torch's default generator; pass `generator=` a "
                    "seeded `torch.Generator`"
                )
            yield diagnostic(type(self), module, call, message, "torch")
