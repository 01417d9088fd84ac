"""The prefilter's tiers: what makes a file worth parsing, and what does not.

A false "direct" only costs a parse; a file classified too low loses its findings, so every
test that checks a lower tier has a twin that checks the same token in code."""

from __future__ import annotations

import pytest

from seedlint.analysis.loader import scan_imports
from seedlint.analysis.prefilter import classify

DOCSTRING = '''\
def f(x):
    """Add noise.

    Example::

        y = f(torch.randn(3))
    """
    return x
'''


@pytest.mark.parametrize(
    "source",
    [
        DOCSTRING,
        DOCSTRING.replace('"""', "'''"),
        "# np.random.seed(0) once made this deterministic\nx = 1\n",
        "def f():\n    '''\n    >>> np.random.rand(2)\n    '''\n",
        "TEMPLATE = '''\ntorch.manual_seed({seed})\n'''\n",
        "self.random_state = random_state\ninfo.randomness = 'error'\n",
        "from .make_fx import randomize\n",
        "def philox_rand(seed):\n    return expand_multinomial(seed)\n",
        "def rand(seed, offset):\n    return ops.philox(seed, offset)\n",
        "class Generator(Base):\n    pass\n",
        "gen = HopSchemaGenerator(self)\ninit_xavier_std = 1.0\n",
        'NONDETERMINISTIC = ["randn", "rand_like", \'bernoulli\']\n',
        "ops = [aten.randn_like.default, torch.ops.aten.randperm]\n",
        "x = 1  # np.random.seed(0)\n",
        'msg = f"call torch.manual_seed({seed}) first"\n',
        'code = f"""\n    tl.rand({seed}, {offset})\n"""\n',
    ],
    ids=[
        "docstring",
        "single-quoted",
        "comment",
        "doctest",
        "template",
        "longer-names",
        "import-longer-name",
        "name-suffix",
        "def-name",
        "class-name",
        "name-prefix",
        "one-line-strings",
        "aten-operators",
        "trailing-comment",
        "f-string-text",
        "f-string-template",
    ],
)
def test_mentions_outside_code_do_not_make_a_file_direct(source: str) -> None:
    assert classify(source, "lib.py") == "none"


@pytest.mark.parametrize(
    "source",
    [
        DOCSTRING + "\nnoise = torch.randn(3)\n",
        "def f():\n    '''Docs.'''\n    return np.random.rand(2)\n",
        # An escaped quote does not end the docstring; the code after the real end counts.
        'def f():\n    """A \\""" inside."""\n    return np.random.rand(2)\n',
        "import numpy.random as npr\n",
        "x.random_(0, 10)\n",
        "def f():\n    return np.random\n",
        'print(f"sample: {np.random.rand()}")\n',
        'code = f"""\n    {torch.randn(3)}\n"""\n',
        'x = """doc"""; torch.manual_seed(0)\n',
        'x = g("a#b", torch.randn(3))\n',
        "from torch.nn.init import xavier_uniform_\nxavier_uniform_(w)\n",
        "def rand(n):\n    return n\n\nx = rand(3)\n",
        "def set_seed(seed):\n    seed_all(seed)\n",
    ],
    ids=[
        "after-docstring",
        "one-line-docstring",
        "escaped-quote",
        "import",
        "random_",
        "eol",
        "f-string-braces",
        "f-string-template-braces",
        "after-string-on-line",
        "hash-in-string",
        "bare-name",
        "defined-and-used",
        "seeding-helper-definition",
    ],
)
def test_mentions_in_code_make_a_file_direct(source: str) -> None:
    assert classify(source, "lib.py") == "direct"


def test_an_unterminated_string_hides_what_follows_it() -> None:
    # Not valid Python: the parse would fail anyway, and only a named file is parsed then.
    assert classify('x = """\nnp.random.rand(2)\n', "lib.py") == "none"


def test_third_party_estimators_count_where_they_are_called() -> None:
    called = "from sklearn.cluster import KMeans\n\nmodel = KMeans(n_clusters=3)\n"
    assert classify(called, "lib.py") == "direct"
    assert classify("import sklearn\nm = sklearn.cluster.KMeans(3)\n", "lib.py") == "direct"
    defined = "import sklearn\n\nclass KMeans(sklearn.base.BaseEstimator):\n    pass\n"
    assert classify(defined, "lib.py") == "none"
    helper = "import sklearn\n\ndef shuffle(x):\n    return x\n"
    assert classify(helper, "lib.py") == "none"
    documented = 'import sklearn\n\ndef f():\n    """Use KMeans(n_clusters=2)."""\n'
    assert classify(documented, "lib.py") == "none"
    # A name that merely ends like an estimator is another name.
    assert classify("import sklearn\nm = MyPCA(2)\n", "lib.py") == "none"


def test_scanned_imports_leave_out_the_libraries() -> None:
    text = (
        "import torch.nn\nimport numpy as np, helpers\n"
        "from torch import nn\nfrom .utils import seed_all\n"
    )
    assert scan_imports(text, "pkg.train", is_package=False) == (
        "helpers",
        "pkg.utils",
        "pkg.utils.seed_all",
    )


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("test_a.py", "import numpy as np\n\ndef test_a():\n    assert np.zeros(2).shape\n"),
        ("demo.py", "import os\n\nif __name__ == '__main__':\n    print(os.getcwd())\n"),
        ("loop.py", "import helpers\n\nfor step in range(3):\n    helpers.act(step)\n"),
    ],
)
def test_entry_points_naming_no_api_are_lone_unless_they_build_layers(
    path: str, source: str
) -> None:
    assert classify(source, path) == "lone"
    assert classify(source + "layer = nn.Linear(2, 2)\n", path) == "entry"
    assert classify(source + "x = np.random.rand(2)\n", path) == "direct"
    assert classify(source, "notebook.ipynb") == "entry"  # cells: always a program


def test_scanned_imports_leave_out_type_checking_blocks() -> None:
    """They never run: a program reaches nothing through them."""
    text = (
        "from typing import TYPE_CHECKING\nimport pkg.always\n"
        "if TYPE_CHECKING:\n    from .models import *\n    # note\n\n"
        "    from .layers import (\n        Dense,\n    )\nelse:\n    import pkg.runtime\n"
        "if typing.TYPE_CHECKING:  # for mypy\n    import pkg.typed\n"
        "import pkg.after\n"
        "def load():\n    if TYPE_CHECKING:\n        import pkg.inner\n    import pkg.lazy\n"
    )
    assert scan_imports(text, "pkg", is_package=True) == (
        "pkg.after",
        "pkg.always",
        "pkg.lazy",
        "pkg.runtime",
        "typing",
        "typing.TYPE_CHECKING",
    )
    # A negated test runs its imports.
    assert scan_imports("if not TYPE_CHECKING:\n    import b\n", "m", False) == ("b",)


def test_draw_names_qualified_by_a_project_module_wait_for_a_program() -> None:
    """`init.normal_(w)` after a relative import of `init` calls a project function: the
    file draws only when a program runs it (program tier), unlike torch's own `init`."""
    project = "from ... import initialization as init\n\ndef f(m):\n    init.normal_(m.w)\n"
    assert classify(project, "pkg/model.py") == "program"
    assert classify(project + "\nif __name__ == '__main__':\n    f(1)\n", "m.py") == "entry"
    torch_init = project.replace("from ... import initialization", "from torch.nn import init")
    assert classify(torch_init, "pkg/model.py") == "direct"
    both = project + "\ndef g(w):\n    torch.nn.init.normal_(w)\n"
    assert classify(both, "pkg/model.py") == "direct"
    # An unqualified or attribute-qualified call is not a project name.
    assert classify(project + "\ndef g(t):\n    t.w.normal_()\n", "pkg/model.py") == "direct"
    # Seeding through a project helper still counts (seeding rules read the caller).
    assert classify("from . import utils\n\nutils.set_seed(0)\n", "pkg/run.py") == "direct"
