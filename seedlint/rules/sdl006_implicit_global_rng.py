from __future__ import annotations

from collections.abc import Iterator

from ..analysis.draws import thirdparty_draws_global
from ..analysis.facts import ModuleFacts
from ..diagnostics import Diagnostic
from ..knowledge import thirdparty_draw
from .base import Rule
from .context import ProjectContext, diagnostic


class ImplicitGlobalRng(Rule):
    """## What it does
    Checks for third-party calls that silently draw from numpy's global generator because
    `random_state` (or `rng`) is omitted or `None`: scikit-learn's `train_test_split`,
    `shuffle`, `resample`, `make_*` datasets, splitters with `shuffle=True` and estimators
    whose algorithm is random with the given arguments (`RandomForestClassifier`, `KMeans`,
    `SVC(probability=True)`, `LogisticRegression(solver="saga")`, ...), `scipy.stats`
    distributions' `.rvs()` and pandas' `.sample()`.  An estimator is reported where it is
    built, and only when it is fitted (or split with, or handed to another function)
    somewhere: one that is only built or displayed draws nothing.

    ## Why is this bad?
    `random_state=None` means "use numpy's global RandomState": the split, the model and the
    sample change on every run unless something seeded numpy's global state first, and any
    other draw in between shifts them.

    In a program that never seeds numpy, the same line also gets SDL001 ("results change on
    every run"): two different problems, one about the program, one about this call.  Seeding
    the program fixes SDL001 only; `random_state=` fixes both.

    ## Example
    ```python
    from sklearn.model_selection import train_test_split

    X_train, X_test = train_test_split(X, test_size=0.2)
    ```

    ## Use instead
    ```python
    from sklearn.model_selection import train_test_split

    X_train, X_test = train_test_split(X, test_size=0.2, random_state=0)
    ```

    ## Fix safety
    No automatic fix: seedlint does not invent seeds.
    """

    code = "SDL006"
    name = "implicit-global-rng"
    summary = "Third-party call that falls back to numpy's global generator"
    library = "numpy"
    invalid = (
        "from sklearn.model_selection import train_test_split\n"
        "a, b = train_test_split([1, 2, 3])\n",
        "from sklearn.ensemble import RandomForestClassifier\nm = RandomForestClassifier()\n"
        "m.fit([[0], [1]], [0, 1])\n",
        "from scipy import stats\nx = stats.norm.rvs(size=3)\n",
    )
    valid = (
        "from sklearn.model_selection import train_test_split\n"
        "a, b = train_test_split([1, 2, 3], random_state=0)\n",
        "from sklearn.svm import SVC\nm = SVC()\n",
        "from sklearn.model_selection import KFold\ncv = KFold(5)\n",
        "from sklearn.ensemble import RandomForestClassifier\nprint(RandomForestClassifier())\n",
    )

    def check(self, module: ModuleFacts, project: ProjectContext) -> Iterator[Diagnostic]:
        # An estimator is reported where it is built (where `random_state=` goes), and only
        # when it is fitted (or handed on) somewhere: one only built and displayed draws nothing.
        used = {call.origin for call in module.calls if call.origin is not None}
        for index, call in enumerate(module.calls):
            if call.library in ("random", "numpy", "torch") or call.origin is not None:
                continue
            if call.role != "draw" and not (call.role == "deferred" and index in used):
                continue
            entry = thirdparty_draw(call.qualname)
            if entry is None or not thirdparty_draws_global(call, entry):
                continue
            message = (
                f"`{entry.qualname}` without `{entry.seed_keyword}=` draws from numpy's shared "
                "global generator: its result depends on every other draw from it; pass "
                f"`{entry.seed_keyword}=` a fixed seed"
            )
            yield diagnostic(type(self), module, call, message, "numpy")
